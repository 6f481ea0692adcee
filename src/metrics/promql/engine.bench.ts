/**
 * PromQL evaluation throughput on a dashboard-shaped workload: 1 000 counter series (100 jobs ×
 * 10 instances) scraped every 15 s for 6 hours in the in-memory head, queried the way a Grafana
 * panel does (a 6 h range at a 30 s step, 721 steps). Reports queries/s, the samples each query
 * touches per second, and heap growth. Run with
 *   node --expose-gc --import tsx src/metrics/promql/engine.bench.ts [rounds=5]
 */
import { Labels } from '../model/labels.js';
import { Head } from '../tsdb/head/head.js';
import { Engine } from './engine.js';

const ROUNDS = Number(process.argv[2] ?? 5);
const SCRAPE_MS = 15_000;
const HOURS = 6;
const END = HOURS * 3_600_000;
const STEP = 30_000;

const QUERIES = [
  'requests_total',
  'sum by (job) (rate(requests_total[5m]))',
  'histogram_quantile(0.9, sum by (le) (rate(requests_total[5m])))',
  'topk(5, max_over_time(requests_total[10m]))',
  'requests_total / on(job, instance) group_left sum by (job, instance) (requests_total)',
  'max_over_time(rate(requests_total[5m])[30m:1m])',
];

async function load(): Promise<{ head: Head; samples: number }> {
  const head = new Head();
  let samples = 0;
  for (let t = 0; t <= END; t += SCRAPE_MS) {
    const app = head.appender();
    for (let job = 0; job < 100; job++) {
      for (let inst = 0; inst < 10; inst++) {
        const labels = Labels.fromRecord({
          __name__: 'requests_total',
          job: `job-${job}`,
          instance: `10.0.${job}.${inst}:9100`,
          le: String(2 ** inst),
        });
        app.append(0, labels, t, (t / 1000) * (job + inst + 1));
        samples++;
      }
    }
    await app.commit();
  }
  return { head, samples };
}

const gc = (globalThis as { gc?: () => void }).gc;
const { head, samples } = await load();
console.log(`loaded ${samples} samples in ${head.numSeries} series`);
const engine = new Engine();
for (const q of QUERIES) {
  gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const times: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const started = performance.now();
    await engine.rangeQuery(head, q, 0, END, STEP);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)]!;
  const heap = (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024;
  console.log(
    `${q}\n  ${(1000 / median).toFixed(2)} queries/s, ${median.toFixed(0)} ms median, ` +
      `${(((samples / median) * 1000) / 1e6).toFixed(1)} M stored samples/s, heap +${heap.toFixed(1)} MiB`,
  );
}
