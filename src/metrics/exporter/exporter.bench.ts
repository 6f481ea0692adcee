/**
 * @module
 * Time for one scrape of every exporter on this machine: collecting (reading /proc, /sys and the
 * cgroup tree) and rendering the text format, and the two apart. Prints ms per scrape, the
 * exposition's size and heap growth over the run. Run:
 * `node --expose-gc --import tsx src/metrics/exporter/exporter.bench.ts`.
 */
import { Registry, writeFamilies } from '../../lib/instrument/index.js';
import { registerExporters } from './index.js';

function heapUsed(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed;
}

/** Mean ms per call of `fn` over about `ms`, after a quarter of that as warm-up. */
function msPerCall(fn: () => void, ms = 2000): number {
  const warmUntil = performance.now() + ms / 4;
  while (performance.now() < warmUntil) fn();
  let calls = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    fn();
    calls++;
    now = performance.now();
  }
  return (now - start) / calls;
}

const registry = new Registry();
registerExporters(registry);
const families = registry.collect();
const samples = families.reduce((n, f) => n + f.samples.length, 0);
const bytes = Buffer.byteLength(registry.expose('text'));

const heapBefore = heapUsed();
const scrape = msPerCall(() => registry.expose('text'));
const heapAfter = heapUsed();
const collect = msPerCall(() => registry.collect());
const render = msPerCall(() => writeFamilies(families, 'text'));

console.log(`families: ${families.length}, samples: ${samples}, text bytes: ${bytes}`);
console.log(`collect+expose: ${scrape.toFixed(3)} ms/scrape`);
console.log(`collect only:   ${collect.toFixed(3)} ms`);
console.log(`expose only:    ${render.toFixed(3)} ms`);
const durations = registry
  .collect()
  .find((f) => f.name === 'node_scrape_collector_duration_seconds');
for (const s of durations?.samples ?? []) {
  console.log(`  ${s.labels[0]![1].padEnd(12)} ${(s.value * 1000).toFixed(3)} ms (one scrape)`);
}
console.log(`heap growth over the scrape run: ${((heapAfter - heapBefore) / 1024).toFixed(0)} KiB`);
