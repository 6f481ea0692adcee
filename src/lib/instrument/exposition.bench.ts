/**
 * @module
 * Benchmarks of the two hot paths: rendering a realistic registry (50 families, 2 000 series,
 * about 4 600 sample lines) in both formats, and `HistogramChild.observe`. Prints ops/s, bytes per
 * exposition and heap growth. Run: `node --import tsx src/lib/instrument/exposition.bench.ts`
 * (add `--expose-gc` for steadier heap figures).
 */
import { Registry } from './index.js';

/** Runs `fn` for about `ms` after a warm-up and returns calls per second. */
function opsPerSecond(fn: () => void, ms = 1000): number {
  const warmUntil = performance.now() + ms / 4;
  while (performance.now() < warmUntil) fn();
  let calls = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    for (let i = 0; i < 16; i++) fn();
    calls += 16;
    now = performance.now();
  }
  return (calls * 1000) / (now - start);
}

function heapUsed(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed;
}

function buildRegistry(): Registry {
  const registry = new Registry();
  const methods = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'];
  for (let f = 0; f < 20; f++) {
    const c = registry.counter({
      name: `vigil_bench_requests_${f}_total`,
      help: `Requests of kind ${f}.`,
      labelNames: ['method', 'route'],
    });
    for (let s = 0; s < 50; s++) c.labels(methods[s % 5]!, `/api/v1/route/${s}`).inc(s * 17);
  }
  for (let f = 0; f < 20; f++) {
    const g = registry.gauge({
      name: `vigil_bench_queue_${f}_bytes`,
      help: 'Queue size.',
      labelNames: ['queue'],
    });
    for (let s = 0; s < 40; s++) g.labels(`queue-${s}`).set(s * 1024.5);
  }
  for (let f = 0; f < 10; f++) {
    const h = registry.histogram({
      name: `vigil_bench_latency_${f}_seconds`,
      help: 'Latency.',
      labelNames: ['handler', 'method'],
    });
    for (let s = 0; s < 20; s++) {
      const child = h.labels(`/h/${s}`, methods[s % 5]!);
      for (let i = 0; i < 100; i++) child.observe(i / 37);
    }
  }
  return registry;
}

const registry = buildRegistry();
const families = registry.collect();
const series = families.reduce((n, f) => n + new Set(f.samples.map((s) => s.labels)).size, 0);
const lines = families.reduce((n, f) => n + f.samples.length, 0);
console.log(`registry: ${families.length} families, ${series} series, ${lines} samples`);

for (const format of ['text', 'openmetrics'] as const) {
  const bytes = Buffer.byteLength(registry.expose(format));
  const before = heapUsed();
  const ops = opsPerSecond(() => registry.expose(format));
  const growth = heapUsed() - before;
  console.log(
    `expose('${format}'): ${ops.toFixed(0)} ops/s, ${(1000 / ops).toFixed(2)} ms/op, ` +
      `${bytes} bytes/op, ${((ops * bytes) / 2 ** 20).toFixed(0)} MiB/s, ` +
      `${(1e9 / ops / lines) | 0} ns/sample, heap growth ${(growth / 1024).toFixed(0)} KiB`,
  );
}

const h = new Registry().histogram({
  name: 'vigil_bench_observe_seconds',
  help: 'x',
  labelNames: ['k'],
});
const child = h.labels('a');
const values = Float64Array.from({ length: 1024 }, (_, i) => (i % 97) / 31);
let i = 0;
const before = heapUsed();
const observeOps = opsPerSecond(() => child.observe(values[i++ & 1023]!));
console.log(
  `HistogramChild.observe: ${(observeOps / 1e6).toFixed(1)} M ops/s, ` +
    `heap growth ${((heapUsed() - before) / 1024).toFixed(0)} KiB`,
);
const labelledOps = opsPerSecond(() => h.labels('a').observe(values[i++ & 1023]!));
console.log(`Histogram.labels(v).observe: ${(labelledOps / 1e6).toFixed(1)} M ops/s`);
