/**
 * TSDB benchmark: append throughput, head memory per series, disk bytes per sample after
 * compaction, and select latency, on Vigil's TSDB; and, where Debian's prometheus/promtool are
 * installed, the same data through them for comparison.
 *
 *   node --expose-gc --max-old-space-size=8192 --import tsx bench/tsdb.bench.ts [series=1000000] [scrapes=30]
 *
 * Series look like exporter output: 200 metric names × `series/200` instances (20 jobs), one
 * sample per series per 15 s scrape, all samples of a scrape at the scrape's timestamp (as
 * Prometheus stamps them), counters growing by small integers, gauges walking with 2 decimals.
 * Appends go through the WAL (policy `write`), 1 000 samples per commit (one target's scrape).
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Labels } from '../src/metrics/model/labels.js';
import { Matcher } from '../src/metrics/model/matcher.js';
import { Tsdb } from '../src/metrics/tsdb/db.js';

const SERIES = Number(process.argv[2] ?? 1_000_000);
const SCRAPES = Number(process.argv[3] ?? 30);
const METRICS = 200;
const STEP = 15_000;
const T0 = 1_700_000_000_000 - (1_700_000_000_000 % (2 * 3600_000));
const BATCH = 1000;

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const mib = (b: number) => (b / 1024 / 1024).toFixed(1);

function seriesLabels(i: number): Labels {
  const metric = i % METRICS;
  const instance = Math.floor(i / METRICS);
  return Labels.fromRecord({
    __name__: `metric_${metric}${metric % 2 === 0 ? '_total' : ''}`,
    instance: `host-${instance}.example.com:9100`,
    job: `job_${instance % 20}`,
    ...(metric % 10 === 0 ? { mode: ['user', 'system', 'idle'][instance % 3]! } : {}),
  });
}

/**
 * Deterministic values in one of two mixes. `exporter` resembles node_exporter-style output,
 * where most series change slowly or not at all: by `i % 10`, 0–2 constant (limits, info), 3–6
 * counters growing by 0–3 (half the time 0), 7 a busy counter (+0–999), 8 a 2-decimal gauge
 * walk, 9 an integer gauge moving by ±1. `churn`: every series changes every scrape (counters
 * +0–9, 2-decimal gauge walks) — a worst case for XOR compression.
 */
function makeValues(n: number, mix: 'exporter' | 'churn') {
  const v = new Float64Array(n);
  let seed = 42;
  const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const walk = (x: number) => Math.round((x + (rnd() - 0.5)) * 100) / 100;
  return {
    v,
    advance() {
      for (let i = 0; i < n; i++) {
        const x = v[i]!;
        if (mix === 'churn') {
          v[i] = i % 2 === 0 ? x + Math.floor(rnd() * 10) : walk(x);
          continue;
        }
        const kind = i % 10;
        if (kind <= 2) v[i] = x === 0 ? 1 + (i % 97) : x;
        else if (kind <= 6) v[i] = x + (rnd() < 0.5 ? 0 : Math.floor(rnd() * 4));
        else if (kind === 7) v[i] = x + Math.floor(rnd() * 1000);
        else if (kind === 8) v[i] = walk(x);
        else v[i] = Math.max(0, x + Math.round(rnd() * 2 - 1));
      }
    },
  };
}

function heapBytes(): number {
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

function dirBytes(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    n += e.isDirectory() ? dirBytes(p) : statSync(p).size;
  }
  return n;
}

console.log(
  `# ${cpus()[0]?.model} x${cpus().length}, node ${process.version}, ${SERIES} series, ${SCRAPES} scrapes`,
);

let labels: Labels[] = [];

// `series=0` skips the append and select sections (1 and 2).
if (SERIES > 0) {
  // 1. Append throughput and memory.
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-tsdb-'));
  const baseline = heapBytes();
  labels = Array.from({ length: SERIES }, (_, i) => seriesLabels(i));
  const db = Tsdb.open(join(dir, 'vigil'));
  const labelsHeap = heapBytes() - baseline;
  const refs = new Float64Array(SERIES);
  const values = makeValues(SERIES, 'exporter');

  async function scrape(k: number): Promise<void> {
    values.advance();
    const t = T0 + k * STEP;
    const v = values.v;
    for (let start = 0; start < SERIES; start += BATCH) {
      const app = db.appender();
      const end = Math.min(SERIES, start + BATCH);
      for (let i = start; i < end; i++) refs[i] = app.append(refs[i]!, labels[i]!, t, v[i]!);
      await app.commit();
    }
  }

  let t0 = performance.now();
  await scrape(0);
  const createMs = performance.now() - t0;
  console.log(
    `series creation: ${(SERIES / (createMs / 1000) / 1e6).toFixed(2)} M series/s (${createMs.toFixed(0)} ms)`,
  );
  t0 = performance.now();
  for (let k = 1; k < SCRAPES; k++) await scrape(k);
  const appendMs = performance.now() - t0;
  const appended = SERIES * (SCRAPES - 1);
  console.log(
    `append (steady, cached refs, WAL write): ${(appended / (appendMs / 1000) / 1e6).toFixed(2)} M samples/s`,
  );
  const headHeap = heapBytes() - baseline - labelsHeap;
  console.log(
    `head memory: ${mib(headHeap + labelsHeap)} MiB = ${((headHeap + labelsHeap) / SERIES).toFixed(0)} B/series ` +
      `(of which label sets ${(labelsHeap / SERIES).toFixed(0)} B; ${SCRAPES} samples/series in the open chunk)`,
  );

  // 2. Select latency on the full head.
  const q = db.querier(T0, T0 + SCRAPES * STEP);
  function timeSelect(desc: string, matchers: Matcher[]) {
    const runs = 5;
    let series = 0;
    const start = performance.now();
    for (let r = 0; r < runs; r++) {
      series = 0;
      const set = q.select(matchers);
      while (set.next()) series++;
    }
    console.log(
      `select ${desc}: ${((performance.now() - start) / runs).toFixed(2)} ms, ${series} series`,
    );
  }
  timeSelect('{__name__="metric_7"}', [new Matcher('=', '__name__', 'metric_7')]);
  timeSelect('{__name__="metric_7", job="job_3"}', [
    new Matcher('=', '__name__', 'metric_7'),
    new Matcher('=', 'job', 'job_3'),
  ]);
  timeSelect('{__name__=~"metric_1.*", instance=~"host-1.*"}', [
    new Matcher('=~', '__name__', 'metric_1.*'),
    new Matcher('=~', 'instance', 'host-1.*'),
  ]);
  timeSelect('{job="job_3", mode!="idle"}', [
    new Matcher('=', 'job', 'job_3'),
    new Matcher('!=', 'mode', 'idle'),
  ]);
  q.close();
  await db.close();
  rmSync(dir, { recursive: true, force: true });
}

// 3. Disk bytes per sample after compaction: 2 000 series over 24 h at 15 s. Compaction cuts
// 2 h blocks and merges them into an 18 h block (level 3); the figure is that block's. The same
// samples also go through promtool's importer with --max-block-duration=18h, which writes
// Prometheus' blocks of that length.
const DISK_SERIES = 2_000;
const DISK_STEPS = (24 * 3600_000) / STEP;

async function diskBytesPerSample(mix: 'exporter' | 'churn'): Promise<void> {
  const diskDir = mkdtempSync(join(tmpdir(), 'vigil-bench-disk-'));
  const disk = Tsdb.open(join(diskDir, 'vigil'));
  const diskValues = makeValues(DISK_SERIES, mix);
  const diskRefs = new Float64Array(DISK_SERIES);
  const kept = Array.from({ length: DISK_SERIES }, () => new Float64Array(DISK_STEPS));
  for (let k = 0; k < DISK_STEPS; k++) {
    diskValues.advance();
    for (let start = 0; start < DISK_SERIES; start += BATCH) {
      const app = disk.appender();
      for (let i = start; i < Math.min(DISK_SERIES, start + BATCH); i++) {
        diskRefs[i] = app.append(
          diskRefs[i]!,
          labels[i] ?? seriesLabels(i),
          T0 + k * STEP,
          diskValues.v[i]!,
        );
        kept[i]![k] = diskValues.v[i]!;
      }
      await app.commit();
    }
  }
  await disk.compact();
  const block = [...disk.blocks].sort(
    (a, b) => b.meta.maxTime - b.meta.minTime - (a.meta.maxTime - a.meta.minTime),
  )[0]!;
  const blockMint = block.meta.minTime;
  const { numSamples, numSeries } = block.meta.stats;
  const vigilBytes = dirBytes(block.dir);
  const steps = Math.round(numSamples / numSeries);
  await disk.close();
  let peer = '';
  if (existsSync('/usr/bin/promtool')) {
    // OpenMetrics wants each family's samples together.
    const byFamily = new Map<string, string[]>();
    for (let i = 0; i < DISK_SERIES; i++) {
      const l = seriesLabels(i);
      const rest = l
        .pairs()
        .filter(([n]) => n !== '__name__')
        .map(([n, v]) => `${n}="${v}"`)
        .join(',');
      let lines = byFamily.get(l.metricName);
      if (lines === undefined)
        byFamily.set(l.metricName, (lines = [`# TYPE ${l.metricName} unknown`]));
      for (let k = 0; k < steps; k++) {
        const t = blockMint + k * STEP;
        lines.push(`${l.metricName}{${rest}} ${kept[i]![(t - T0) / STEP]} ${t / 1000}`);
      }
    }
    // Hundreds of MB of text: written family by family, never joined into one string.
    const fd = openSync(join(diskDir, 'in.om'), 'w');
    for (const lines of byFamily.values()) writeSync(fd, lines.join('\n') + '\n');
    writeSync(fd, '# EOF\n');
    closeSync(fd);
    const out = join(diskDir, 'promtool');
    const r = spawnSync(
      '/usr/bin/promtool',
      [
        'tsdb',
        'create-blocks-from',
        'openmetrics',
        `--max-block-duration=${(block.meta.maxTime - blockMint) / 3600_000}h`,
        join(diskDir, 'in.om'),
        out,
      ],
      { encoding: 'utf8' },
    );
    if (r.status === 0) {
      let bytes = 0;
      let samples = 0;
      for (const b of readdirSync(out)) {
        bytes += dirBytes(join(out, b));
        samples += JSON.parse(readFileSync(join(out, b, 'meta.json'), 'utf8')).stats.numSamples;
      }
      peer = `; promtool's blocks of the same samples ${(bytes / samples).toFixed(3)}`;
    } else {
      peer = `; promtool failed: ${r.stderr.slice(0, 200)}`;
    }
  }
  console.log(
    `disk (${mix} mix): ${(block.meta.maxTime - blockMint) / 3600_000} h block, level ${block.meta.compaction.level}, ${numSamples} samples, ${numSeries} series: ` +
      `${(vigilBytes / numSamples).toFixed(3)} bytes/sample (index + chunks + meta)${peer}`,
  );
  rmSync(diskDir, { recursive: true, force: true });
}
await diskBytesPerSample('exporter');
await diskBytesPerSample('churn');

// 5. Prometheus' memory per series: it replays a WAL Vigil wrote (the format is shared).
if (existsSync('/usr/bin/prometheus') && SERIES > 0) {
  const PROM_SERIES = Math.min(SERIES, 200_000);
  const promDir = mkdtempSync(join(tmpdir(), 'vigil-bench-prom-'));
  const w = Tsdb.open(join(promDir, 'data'));
  const now = Date.now() - (Date.now() % STEP) - SCRAPES * STEP;
  const pv = makeValues(PROM_SERIES, 'exporter');
  const pr = new Float64Array(PROM_SERIES);
  for (let k = 0; k < SCRAPES; k++) {
    pv.advance();
    for (let start = 0; start < PROM_SERIES; start += BATCH) {
      const app = w.appender();
      for (let i = start; i < Math.min(PROM_SERIES, start + BATCH); i++)
        pr[i] = app.append(pr[i]!, seriesLabels(i), now + k * STEP, pv.v[i]!);
      await app.commit();
    }
  }
  await w.close();
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  writeFileSync(join(promDir, 'prometheus.yml'), 'global:\n  scrape_interval: 1h\n');
  const prom = spawn(
    '/usr/bin/prometheus',
    [
      `--config.file=${join(promDir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(promDir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { stdio: 'ignore' },
  );
  const base = `http://127.0.0.1:${port}`;
  while ((await fetch(`${base}/-/ready`).catch(() => null))?.status !== 200)
    await new Promise((r) => setTimeout(r, 200));
  await new Promise((r) => setTimeout(r, 2000));
  const text = await (await fetch(`${base}/metrics`)).text();
  const metric = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);
  const headSeries = metric('prometheus_tsdb_head_series');
  const heapInuse = metric('go_memstats_heap_inuse_bytes');
  console.log(
    `prometheus 2.42 after replaying ${headSeries} series × ${SCRAPES} samples: heap in use ${mib(heapInuse)} MiB = ` +
      `${(heapInuse / headSeries).toFixed(0)} B/series (includes its fixed overhead)`,
  );
  prom.kill('SIGTERM');
  await new Promise((r) => prom.on('exit', r));
  rmSync(promDir, { recursive: true, force: true });
}
