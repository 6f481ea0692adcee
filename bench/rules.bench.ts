/**
 * Rule evaluation over a real TSDB, in one process:
 *   node --expose-gc --import tsx bench/rules.bench.ts [series=100000] [rules=1000] [groups=10] [runs=1]
 * Writes `series` counters (`http_requests_total` by 10 jobs × instances × 10 codes, 11
 * samples 15 s apart) into a TSDB in a temp dir, loads `rules` rules in `groups` groups — half
 * recording rules (`sum by (instance) (rate(…{job, code}[5m]))`), half alerting rules
 * (`rate(…{job, code}[5m]) > 0.15` with `for`, labels and an annotation template), each rule
 * reading one job's one code, i.e. series/100 series — and evaluates every group at the last
 * sample's time: once to warm up (and restore `for` state), then `runs` timed passes (a pass over 100 000 series takes about 20 s here). Reports
 * the evaluation time per group (what must fit in the group's interval), per rule and per
 * series read, and the alerts the pass produced.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../src/lib/clock/clock.js';
import { Logger } from '../src/lib/log/logger.js';
import { Labels } from '../src/metrics/model/labels.js';
import { Engine } from '../src/metrics/promql/engine.js';
import { parseRuleFile } from '../src/metrics/rules/file.js';
import { RuleManager } from '../src/metrics/rules/manager.js';
import { engineQueryFn } from '../src/metrics/rules/query.js';
import { Tsdb } from '../src/metrics/tsdb/db.js';

const SERIES = Number(process.argv[2] ?? 100_000);
const RULES = Number(process.argv[3] ?? 1000);
const GROUPS = Number(process.argv[4] ?? 10);
const RUNS = Number(process.argv[5] ?? 1);
const JOBS = 10;
const CODES = 10;
const INSTANCES = Math.max(1, Math.round(SERIES / JOBS / CODES));
const STEP = 15_000;
const SAMPLES = 11;
const END = Math.floor(Date.now() / STEP) * STEP;

const dir = mkdtempSync(join(tmpdir(), 'vigil-rules-bench-'));
const db = Tsdb.open(join(dir, 'metrics'));
db.start();

let t = performance.now();
const labels: Labels[] = [];
for (let j = 0; j < JOBS; j++) {
  for (let c = 0; c < CODES; c++) {
    for (let i = 0; i < INSTANCES; i++) {
      labels.push(
        Labels.fromRecord({
          __name__: 'http_requests_total',
          job: `job-${j}`,
          code: `${200 + c}`,
          instance: `host-${i}:9100`,
        }),
      );
    }
  }
}
for (let k = 0; k < SAMPLES; k++) {
  const ts = END - (SAMPLES - 1 - k) * STEP;
  for (let off = 0; off < labels.length; off += 10_000) {
    const app = db.appender();
    for (let n = off; n < Math.min(off + 10_000, labels.length); n++) {
      // Per-series rates of 0–0.6/s, which rate() over 5m of 150 s of data reads as 0–0.3/s:
      // the alerting rules (`> 0.15`) fire for 3 series in 7.
      app.append(0, labels[n]!, ts, k * STEP * ((n % 7) / 10_000));
    }
    await app.commit();
  }
}
const loadMs = performance.now() - t;

const perGroup = Math.ceil(RULES / GROUPS);
let yaml = 'groups:\n';
for (let g = 0; g < GROUPS; g++) {
  yaml += `  - name: group-${g}\n    interval: 1m\n    rules:\n`;
  for (let r = 0; r < perGroup && g * perGroup + r < RULES; r++) {
    const n = g * perGroup + r;
    const sel = `http_requests_total{job="job-${n % JOBS}",code="${200 + (Math.floor(n / JOBS) % CODES)}"}`;
    if (r % 2 === 0) {
      yaml += `      - record: instance:requests:rate5m_${n}\n        expr: sum by (instance) (rate(${sel}[5m]))\n`;
    } else {
      yaml += `      - alert: HighRate${n}\n        expr: rate(${sel}[5m]) > 0.15\n        for: 1m\n        labels: { severity: page }\n        annotations: { summary: '{{ $labels.instance }} serves {{ $value | humanize }} req/s' }\n`;
    }
  }
}
const engine = new Engine({ maxSamples: 1e9 });
const clock = new ManualClock(END);
let alertsSent = 0;
const manager = new RuleManager({
  query: engineQueryFn(engine, db),
  queryable: db,
  appendable: db,
  clock,
  log: new Logger({ level: 'error' }),
  notify: (alerts) => (alertsSent += alerts.length),
});
await manager.update({
  groups: parseRuleFile(yaml, 'bench-rules.yml'),
  evaluationInterval: 60_000,
  context: { externalLabels: {}, externalURL: 'http://vigil:9700' },
});

await Promise.all(manager.groups.map((g) => g.evaluate(END)));
const times: number[] = [];
let active = 0;
for (let run = 0; run < RUNS; run++) {
  for (const g of manager.groups) {
    t = performance.now();
    await g.evaluate(END);
    times.push(performance.now() - t);
  }
}
for (const g of manager.groups) {
  for (const r of g.rules)
    if ('active' in r) active += (r as { active: Map<unknown, unknown> }).active.size;
}
await manager.stop();
await db.close();
rmSync(dir, { recursive: true, force: true });

times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)]!;
const total = times.reduce((a, b) => a + b, 0) / RUNS;
const fmt = (v: number, d = 0) => v.toLocaleString('en-US', { maximumFractionDigits: d });
console.log(
  `rules bench: ${fmt(labels.length)} series × ${SAMPLES} samples (loaded in ${fmt(loadMs)} ms), ${RULES} rules in ${GROUPS} groups, ${fmt(labels.length / JOBS / CODES)} series per rule; ${cpus()[0]?.model ?? '?'} ×${cpus().length}, Node ${process.version}`,
);
console.log('| figure | value |');
console.log('| --- | --- |');
console.log(
  `| evaluation per group (${perGroup} rules), median / max | ${fmt(median)} / ${fmt(times.at(-1)!)} ms |`,
);
console.log(`| all ${RULES} rules, one interval | ${fmt(total)} ms |`);
console.log(`| per rule | ${fmt(total / RULES, 2)} ms |`);
console.log(
  `| per series read | ${fmt((total * 1e3) / (RULES * (labels.length / JOBS / CODES)), 2)} µs |`,
);
console.log(
  `| active alerts after the passes / alerts sent | ${fmt(active)} / ${fmt(alertsSent)} |`,
);
