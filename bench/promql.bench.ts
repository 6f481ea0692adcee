/**
 * Typical dashboard query latency, Vigil versus Debian's Prometheus 2.42, on the same data in the
 * same run. Needs a built `dist/` (`npm run build`) and `/usr/bin/prometheus` + `/usr/bin/promtool`:
 *   node --import tsx bench/promql.bench.ts [series=10000] [hours=24] [interval-s=60] [runs=7] [--cpu-prof]
 * It writes OpenMetrics text of `series` series (request counters, classic histograms, a gauge)
 * over the `hours` before the last UTC midnight, in time slices small enough for `vigil import`
 * (see `parts`), loads each slice with `promtool tsdb create-blocks-from openmetrics` and `vigil
 * import openmetrics`, starts both servers on 127.0.0.1, then times each query (wall clock of the
 * HTTP request, body read) `runs` times, alternating the two servers after a warm-up pass, and
 * checks both answer `success` with the same series and values. The default interval is 60 s,
 * not 30 s: at 10 000 series × 24 h that is 1.4 GiB of text and ~3 min of loading on 2 cores.
 * Both servers and this load generator share the machine's cores, so figures are floors. With
 * `--cpu-prof` the Vigil server writes a V8 CPU profile into the current directory on exit.
 * Known value differences: Prometheus 2's range selectors and subquery ranges include their left
 * end, Prometheus 3's and Vigil's do not; samples sit off the step grid so only the subquery
 * (whose inner steps are on it) shows it. `topk` over a range may pick different members at
 * near-ties.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { VIGIL_BIN } from '../test/harness/vigil.js';
import { freePort } from '../test/harness/ports.js';

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const cpuProf = process.argv.includes('--cpu-prof');
const seriesWanted = Number(args[0] ?? 10_000);
const hours = Number(args[1] ?? 24);
const intervalS = Number(args[2] ?? 60);
const runs = Number(args[3] ?? 7);

const JOBS = ['api', 'web', 'worker', 'auth', 'search'];
const METHODS = ['GET', 'POST', 'PUT', 'DELETE'];
const CODES = ['200', '201', '404', '429', '500'];
const HIST_METHODS = ['GET', 'POST'];
const LES = ['0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '5', '10', '+Inf'];
const QUEUES = ['default', 'priority'];
/** Series per (job, instance): 20 counters, 2 × (12 buckets + sum + count), 2 gauges. */
const SERIES_PER_INSTANCE =
  METHODS.length * CODES.length + HIST_METHODS.length * (LES.length + 2) + QUEUES.length;
const instancesPerJob = Math.max(1, Math.round(seriesWanted / JOBS.length / SERIES_PER_INSTANCE));
const seriesCount = instancesPerJob * JOBS.length * SERIES_PER_INSTANCE;

const DAY = 86_400;
const end = Math.floor(Date.now() / 1000 / DAY) * DAY; // last UTC midnight, s
const start = end - hours * 3600;
const steps = Math.floor((hours * 3600) / intervalS);

/** Deterministic hash of a few integers into [0, 1). */
function rnd(a: number, b: number, c = 0): number {
  let h =
    Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^
    Math.imul(b + 0x7f4a7c15, 0xc2b2ae35) ^
    Math.imul(c, 0x27d4eb2f);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return (h >>> 0) / 4_294_967_296;
}

/** Cumulative requests at step k for a series with base rate `r` per step: a slow daily wave. */
function cumulative(r: number, k: number): number {
  return Math.floor(r * (k + 0.8 * (steps / 20) * Math.sin((k * 20) / steps)));
}

/**
 * `vigil import` turns the whole file into one JS string, which V8 caps at 2^29 - 24 chars
 * (~512 MiB): the data goes out in `parts` files of consecutive time slices, ~106 B a line, each
 * well under that, and both stores get them as the same non-overlapping blocks of `partHours`.
 */
const parts =
  [1, 2, 3, 4, 6, 8, 12, 24].find(
    (n) =>
      (hours / n) % 1 === 0 &&
      24 % (hours / n) === 0 &&
      (seriesCount * steps * 110) / n < 400 * 2 ** 20,
  ) ?? 1;
const partHours = hours / parts;
/** Steps [k0, k1) of the file being written. */
const span = { k0: 0, k1: steps };

/**
 * Scrape offset of instance i in s, in [1, interval): samples never fall on the 60 s query grid,
 * where Prometheus 2's closed range selectors and 3's left-open ones (Vigil's) would differ.
 */
const offset = (i: number) => 1 + ((i * 7) % Math.max(1, intervalS - 1));

/** Writes one series' samples; `value(k)` gives the sample at step k. One write per series. */
function writeSeries(
  fd: number,
  name: string,
  labels: string,
  off: number,
  value: (k: number) => number,
): void {
  const parts: string[] = [];
  for (let k = span.k0; k < span.k1; k++)
    parts.push(`${name}{${labels}} ${value(k)} ${start + off + k * intervalS}\n`);
  writeSync(fd, parts.join(''));
}

function generate(file: string): void {
  const fd = openSync(file, 'w');
  const instances = (j: number) =>
    Array.from({ length: instancesPerJob }, (_, i) => `10.${j}.${i >> 8}.${i & 255}:9100`);
  writeSync(fd, '# TYPE http_requests counter\n');
  JOBS.forEach((job, j) =>
    instances(j).forEach((inst, i) =>
      METHODS.forEach((m, mi) =>
        CODES.forEach((code, ci) => {
          const r = (ci === 0 ? 20 : 1) * (4 - mi) * (1 + rnd(j, i, mi * 8 + ci));
          writeSeries(
            fd,
            'http_requests_total',
            `job="${job}",instance="${inst}",method="${m}",code="${code}"`,
            offset(i),
            (k) => cumulative(r, k),
          );
        }),
      ),
    ),
  );
  writeSync(fd, '# TYPE http_request_duration_seconds histogram\n');
  JOBS.forEach((job, j) =>
    instances(j).forEach((inst, i) =>
      HIST_METHODS.forEach((m, mi) => {
        const r = 10 * (1 + rnd(j, i, 100 + mi));
        const base = `job="${job}",instance="${inst}",method="${m}"`;
        // Share of requests at or under bucket b: rises to 1 at +Inf, so buckets stay cumulative.
        const share = LES.map((_, b) =>
          b === LES.length - 1 ? 1 : Math.min(1, ((b + 1) / LES.length) ** (0.5 + j / 5)),
        );
        LES.forEach((le, b) =>
          writeSeries(
            fd,
            'http_request_duration_seconds_bucket',
            `${base},le="${le}"`,
            offset(i),
            (k) => Math.floor(cumulative(r, k) * share[b]!),
          ),
        );
        writeSeries(
          fd,
          'http_request_duration_seconds_sum',
          base,
          offset(i),
          (k) => Math.round(cumulative(r, k) * (0.05 + j * 0.03) * 1000) / 1000,
        );
        writeSeries(fd, 'http_request_duration_seconds_count', base, offset(i), (k) =>
          cumulative(r, k),
        );
      }),
    ),
  );
  writeSync(fd, '# TYPE queue_depth gauge\n');
  JOBS.forEach((job, j) =>
    instances(j).forEach((inst, i) =>
      QUEUES.forEach((q, qi) =>
        writeSeries(
          fd,
          'queue_depth',
          `job="${job}",instance="${inst}",queue="${q}"`,
          offset(i),
          (k) => Math.floor(100 * rnd(j * 1000 + i, k, qi)),
        ),
      ),
    ),
  );
  writeSync(fd, '# EOF\n');
  closeSync(fd);
}

function run(cmd: string, argv: string[]): number {
  const t0 = Date.now();
  const r = spawnSync(cmd, argv, { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 64 << 20 });
  if (r.status !== 0)
    throw new Error(
      `cannot run ${cmd} ${argv.join(' ')}: exit ${r.status}: ${r.stderr.toString().slice(-2000)}`,
    );
  return (Date.now() - t0) / 1000;
}

async function waitReady(port: number, child: ChildProcess): Promise<number> {
  const t0 = Date.now();
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`server on port ${port} exited with ${child.exitCode}`);
    const res = await fetch(`http://127.0.0.1:${port}/-/ready`).catch(() => undefined);
    if (res?.status === 200) return (Date.now() - t0) / 1000;
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface Query {
  name: string;
  expr: string;
  /** Range in hours back from the end of the data; 0 = instant query at the end. */
  range: number;
}

const QUERIES: Query[] = [
  { name: 'sum by job rate', expr: 'sum by (job) (rate(http_requests_total[5m]))', range: 6 },
  {
    name: 'sum by code rate, job=api',
    expr: 'sum by (code) (rate(http_requests_total{job="api"}[5m]))',
    range: 6,
  },
  {
    name: 'histogram_quantile p99 by job',
    expr: 'histogram_quantile(0.99, sum by (le, job) (rate(http_request_duration_seconds_bucket[5m])))',
    range: 6,
  },
  {
    name: 'topk 5 instances',
    expr: 'topk(5, sum by (instance) (rate(http_requests_total[5m])))',
    range: 6,
  },
  {
    name: 'subquery max_over_time 1h:1m',
    expr: 'max_over_time(sum(rate(http_requests_total[5m]))[1h:1m])',
    range: 6,
  },
  { name: 'avg by instance gauge', expr: 'avg by (instance) (queue_depth)', range: 6 },
  { name: 'count by job', expr: 'count by (job) (http_requests_total)', range: 6 },
  {
    name: 'sum by job rate, 24 h',
    expr: 'sum by (job) (rate(http_requests_total[5m]))',
    range: 24,
  },
  {
    name: 'instant: sum by job rate',
    expr: 'sum by (job) (rate(http_requests_total[5m]))',
    range: 0,
  },
  {
    name: 'instant: p99 by job, method',
    expr: 'histogram_quantile(0.99, sum by (le, job, method) (rate(http_request_duration_seconds_bucket[5m])))',
    range: 0,
  },
];

interface Answer {
  ms: number;
  status: string;
  series: Map<string, number[]>;
  error?: string;
}

async function query(port: number, q: Query): Promise<Answer> {
  const queryEnd = end - intervalS; // last sample of the data
  const range = Math.min(q.range, hours);
  const params =
    q.range === 0
      ? new URLSearchParams({ query: q.expr, time: String(queryEnd) })
      : new URLSearchParams({
          query: q.expr,
          start: String(queryEnd - range * 3600),
          end: String(queryEnd),
          step: '60',
        });
  const path = q.range === 0 ? 'query' : 'query_range';
  const t0 = process.hrtime.bigint();
  const res = await fetch(`http://127.0.0.1:${port}/api/v1/${path}?${params}`);
  const text = await res.text();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const body = JSON.parse(text) as {
    status: string;
    error?: string;
    data?: {
      result: {
        metric: Record<string, string>;
        value?: [number, string];
        values?: [number, string][];
      }[];
    };
  };
  const series = new Map<string, number[]>();
  for (const r of body.data?.result ?? []) {
    const key = JSON.stringify(Object.entries(r.metric).sort(([a], [b]) => (a < b ? -1 : 1)));
    series.set(
      key,
      (r.values ?? (r.value ? [r.value] : [])).map(([, v]) => Number(v)),
    );
  }
  return { ms, status: body.status, series, error: body.error };
}

/** Largest relative difference between two answers' values, over series present in both. */
function maxRelDiff(a: Map<string, number[]>, b: Map<string, number[]>): [number, number] {
  let worst = 0;
  let at = -1;
  for (const [key, va] of a) {
    const vb = b.get(key);
    if (!vb) continue;
    if (va.length !== vb.length) return [Infinity, -1];
    for (let i = 0; i < va.length; i++) {
      const x = va[i]!;
      const y = vb[i]!;
      if (Number.isNaN(x) && Number.isNaN(y)) continue;
      const d = Math.abs(x - y) / Math.max(Math.abs(x), Math.abs(y), 1e-12);
      if (!(d <= worst)) [worst, at] = [Number.isNaN(d) ? Infinity : d, i];
    }
  }
  return [worst, at];
}

function quantile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
}

const fmt = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(1));

{
  console.log(
    `# ${cpus()[0]?.model} x${cpus().length}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}; ` +
      `${seriesCount} series x ${hours} h at ${intervalS} s (${steps} samples/series, ${((seriesCount * steps) / 1e6).toFixed(1)} M samples), ${runs} runs`,
  );
  const dir = mkdtempSync(join(tmpdir(), 'promql-bench-'));
  const children: ChildProcess[] = [];
  const stop = async () => {
    for (const c of children) {
      if (c.exitCode === null) {
        c.kill('SIGTERM');
        await new Promise((r) => c.once('exit', r));
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  // Interrupted: leave no server or temp dir behind.
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => void stop().then(() => process.exit(130)));
  try {
    const promData = join(dir, 'prom');
    const vigilData = join(dir, 'vigil');
    mkdirSync(promData);
    let [genS, promS, vigilS, bytes] = [0, 0, 0, 0];
    for (let part = 0; part < parts; part++) {
      const om = join(dir, `data-${part}.om`);
      span.k0 = Math.round((part * steps) / parts);
      span.k1 = Math.round(((part + 1) * steps) / parts);
      const t = Date.now();
      generate(om);
      genS += (Date.now() - t) / 1000;
      bytes += statSync(om).size;
      promS += run('/usr/bin/promtool', [
        'tsdb',
        'create-blocks-from',
        'openmetrics',
        '--max-block-duration=24h',
        om,
        promData,
      ]);
      vigilS += run(process.execPath, [
        VIGIL_BIN,
        'import',
        'openmetrics',
        om,
        '--data-dir',
        vigilData,
        '--block-duration',
        `${partHours}h`,
      ]);
      rmSync(om);
    }
    console.log(
      `OpenMetrics: ${(bytes / 2 ** 20).toFixed(0)} MiB in ${parts} file(s) of ${partHours} h, generated in ${genS.toFixed(1)} s; ` +
        `promtool create-blocks-from openmetrics ${promS.toFixed(1)} s; vigil import openmetrics ${vigilS.toFixed(1)} s`,
    );
    let t0 = Date.now();

    const [promPort, vigilPort] = [await freePort(), await freePort()];
    const config = join(dir, 'prometheus.yml');
    writeFileSync(config, 'global:\n  scrape_interval: 1h\n');
    const prom = spawn(
      '/usr/bin/prometheus',
      [
        `--config.file=${config}`,
        `--storage.tsdb.path=${promData}`,
        `--web.listen-address=127.0.0.1:${promPort}`,
        '--storage.tsdb.retention.time=100y',
      ],
      { stdio: 'ignore' },
    );
    children.push(prom);
    const vigil = spawn(
      process.execPath,
      [
        ...(cpuProf ? ['--cpu-prof'] : []),
        VIGIL_BIN,
        'server',
        '--listen',
        `127.0.0.1:${vigilPort}`,
        '--data-dir',
        vigilData,
        '--no-local-agent',
      ],
      { stdio: 'ignore' },
    );
    children.push(vigil);
    t0 = Date.now();
    await Promise.all([waitReady(promPort, prom), waitReady(vigilPort, vigil)]);
    console.log(`both ready after ${((Date.now() - t0) / 1000).toFixed(1)} s`);

    // One pass over every query first, so the first query does not pay for JIT and page cache.
    for (const q of QUERIES) await Promise.all([query(vigilPort, q), query(promPort, q)]);
    const rows: string[][] = [];
    const ratios: number[] = [];
    for (const q of QUERIES) {
      const vWarm = await query(vigilPort, q);
      const pWarm = await query(promPort, q);
      const vt: number[] = [];
      const pt: number[] = [];
      for (let i = 0; i < runs; i++) {
        vt.push((await query(vigilPort, q)).ms);
        pt.push((await query(promPort, q)).ms);
      }
      const notes: string[] = [];
      if (vWarm.status !== 'success') notes.push(`vigil: ${vWarm.status} ${vWarm.error ?? ''}`);
      if (pWarm.status !== 'success')
        notes.push(`prometheus: ${pWarm.status} ${pWarm.error ?? ''}`);
      if (vWarm.series.size !== pWarm.series.size)
        notes.push(`series ${vWarm.series.size} vs ${pWarm.series.size}`);
      const [diff, at] = maxRelDiff(vWarm.series, pWarm.series);
      if (diff > 1e-9)
        notes.push(
          at < 0 ? 'step counts differ' : `max rel. diff ${diff.toPrecision(2)} at step ${at}`,
        );
      const [vm, pm] = [quantile(vt, 0.5), quantile(pt, 0.5)];
      ratios.push(vm / pm);
      rows.push([
        q.range === 0 ? q.name : `${q.name} (${Math.min(q.range, hours)} h)`,
        String(pWarm.series.size),
        `${fmt(vm)} / ${fmt(quantile(vt, 0.9))}`,
        `${fmt(pm)} / ${fmt(quantile(pt, 0.9))}`,
        `${(vm / pm).toFixed(2)}x`,
        notes.join('; ') || 'ok',
      ]);
    }
    const head = [
      'query',
      'series',
      'Vigil p50 / p90 ms',
      'Prometheus p50 / p90 ms',
      'Vigil/Prom',
      'check',
    ];
    const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
    const line = (r: string[]) =>
      `| ${r.map((x, c) => (c === 0 || c === 5 ? x.padEnd(widths[c]!) : x.padStart(widths[c]!))).join(' | ')} |`;
    console.log(line(head));
    console.log(`| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`);
    for (const r of rows) console.log(line(r));
    console.log(
      `overall median ratio (Vigil/Prometheus): ${quantile(ratios, 0.5).toFixed(2)}x (target <= 1.0x)`,
    );
  } finally {
    await stop();
  }
}
