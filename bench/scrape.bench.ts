/**
 * Scrape ingestion cost, Vigil versus Debian's Prometheus 2.42, on the same targets for the same
 * time, one server after the other. Needs a built `dist/` (`npm run build`) and `/usr/bin/prometheus`:
 *   node --import tsx bench/scrape.bench.ts [targets=1000] [series=1000] [window-s=120] [interval-s=15] [--only=vigil|prometheus] [--cpu-prof]
 * (or the env vars SCRAPE_TARGETS, SCRAPE_SERIES, SCRAPE_WINDOW_S, SCRAPE_INTERVAL_S).
 *
 * A child process (this file with `--serve`) serves `targets` targets on one port, each on its
 * own path (`__metrics_path__` and `instance` set per target in static_configs), every body
 * `series` series of text format 0.0.4: request counters, a classic histogram per handler,
 * CPU counters, filesystem and cache gauges, a few labels each. Values move on every request;
 * bodies are built once per distinct (step, variant) and shared by the targets that ask for
 * them, gzipped when the scraper accepts it (as client_golang does), so serving stays cheap.
 *
 * Each server gets the same scrape configuration, runs until every target is up, then a
 * warm-up of two intervals (the first scrape creates every series; the window must see the
 * steady state), then the measured window. Figures: samples appended per second from each
 * server's own `*_tsdb_head_samples_appended_total` over the window, CPU seconds of the server
 * process (utime + stime from /proc/<pid>/stat, all threads) per million of those samples,
 * resident memory at the end. CPU time, not wall time: the machine's cores are shared with other
 * work, which slows a server down but does not bill it. After the window it checks that every
 * target is up in /api/v1/targets and that `scrape_samples_scraped` equals `series` everywhere.
 * With `--cpu-prof` the Vigil server writes a V8 CPU profile into the current directory on exit.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { cpus, tmpdir, totalmem, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { VIGIL_BIN } from '../test/harness/vigil.js';
import { PROMETHEUS } from '../test/harness/prometheus.js';
import { freePort } from '../test/harness/ports.js';

const positional = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const flag = (name: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const param = (i: number, env: string, dflt: number) =>
  Number(positional[i] ?? process.env[env] ?? dflt);
const TARGETS = param(0, 'SCRAPE_TARGETS', 1000);
const SERIES = param(1, 'SCRAPE_SERIES', 1000);
const WINDOW_S = param(2, 'SCRAPE_WINDOW_S', 120);
const INTERVAL_S = param(3, 'SCRAPE_INTERVAL_S', 15);
/** Series each scrape adds besides the body's: up, scrape_duration_seconds and three counts. */
const REPORT_SERIES = 5;

/** Deterministic hash of two integers into [0, 1). */
function rnd(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x7f4a7c15, 0xc2b2ae35);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return (h >>> 0) / 4_294_967_296;
}

const enum Kind {
  Counter,
  Gauge,
  Bucket,
  Sum,
}

interface Series {
  /** `name{labels} ` up to the value. */
  prefix: string;
  kind: Kind;
  /** Increase per step for counters, buckets and sums; level for gauges. */
  rate: number;
  /** Share of the histogram's count at or under this bucket. */
  share: number;
}

interface Family {
  header: string;
  series: Series[];
}

const HANDLERS = Array.from({ length: 25 }, (_, i) =>
  i < 5
    ? ['/api/v1/query', '/api/v1/query_range', '/api/v1/series', '/metrics', '/'][i]!
    : `/api/v2/items/${i}`,
);
const LES = ['0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '5', '10', '+Inf'];

/** The families of one target's body, cut to exactly `n` series (the last family fills up). */
function families(n: number): Family[] {
  const out: Family[] = [];
  let left = n;
  const family = (name: string, type: string, help: string, series: Series[]) => {
    const kept = series.slice(0, left);
    left -= kept.length;
    if (kept.length > 0)
      out.push({ header: `# HELP ${name} ${help}\n# TYPE ${name} ${type}\n`, series: kept });
  };
  const s = (prefix: string, kind: Kind, rate: number, share = 1): Series => ({
    prefix,
    kind,
    rate,
    share,
  });
  family(
    'http_requests_total',
    'counter',
    'Requests served, by handler, method and status code.',
    HANDLERS.flatMap((h, hi) =>
      ['GET', 'POST'].flatMap((m, mi) =>
        ['200', '201', '400', '404', '500'].map((c, ci) =>
          s(
            `http_requests_total{handler="${h}",method="${m}",code="${c}"} `,
            Kind.Counter,
            Math.ceil(200 * rnd(hi, mi * 8 + ci) ** 3),
          ),
        ),
      ),
    ),
  );
  family(
    'http_request_duration_seconds',
    'histogram',
    'Request latency.',
    HANDLERS.flatMap((h, hi) => {
      const rate = 1 + Math.ceil(300 * rnd(hi, 99));
      const base = `handler="${h}",method="GET"`;
      return [
        ...LES.map((le, b) =>
          s(
            `http_request_duration_seconds_bucket{${base},le="${le}"} `,
            Kind.Bucket,
            rate,
            b === LES.length - 1 ? 1 : ((b + 1) / LES.length) ** (0.3 + hi / 25),
          ),
        ),
        s(`http_request_duration_seconds_sum{${base}} `, Kind.Sum, rate * (0.02 + hi / 200)),
        s(`http_request_duration_seconds_count{${base}} `, Kind.Counter, rate),
      ];
    }),
  );
  const MODES = ['idle', 'iowait', 'irq', 'nice', 'softirq', 'steal', 'system', 'user'];
  family(
    'node_cpu_seconds_total',
    'counter',
    'Seconds the CPUs spent in each mode.',
    Array.from({ length: 8 }, (_, cpu) =>
      MODES.map((mode, mi) =>
        s(
          `node_cpu_seconds_total{cpu="${cpu}",mode="${mode}"} `,
          Kind.Sum,
          mi === 0 ? 12 : 3 * rnd(cpu, mi),
        ),
      ),
    ).flat(),
  );
  const mounts = Array.from({ length: 12 }, (_, i) => [
    `/dev/sd${String.fromCharCode(97 + i)}1`,
    i % 3 === 0 ? 'xfs' : 'ext4',
    i === 0 ? '/' : `/srv/vol${i}`,
  ]);
  for (const [metric, help] of [
    ['node_filesystem_avail_bytes', 'Filesystem space available to non-root users in bytes.'],
    ['node_filesystem_size_bytes', 'Filesystem size in bytes.'],
  ] as const) {
    family(
      metric,
      'gauge',
      help,
      mounts.map(([device, fstype, mp], i) =>
        s(
          `${metric}{device="${device}",fstype="${fstype}",mountpoint="${mp}"} `,
          Kind.Gauge,
          2 ** 30 * (10 + 500 * rnd(i, 7)),
        ),
      ),
    );
  }
  const fill = Math.max(0, left);
  family(
    'app_cache_entries',
    'gauge',
    'Entries in each cache shard.',
    Array.from({ length: fill }, (_, i) =>
      s(
        `app_cache_entries{cache="${['sessions', 'users', 'tokens', 'pages'][i % 4]}",shard="${Math.floor(i / 4)}"} `,
        Kind.Gauge,
        1000 + Math.floor(50_000 * rnd(i, 3)),
      ),
    ),
  );
  return out;
}

/** One body at step `k`: counters grow with k, gauges move around their level. */
function body(fams: Family[], k: number): string {
  const parts: string[] = [];
  let j = 0;
  for (const f of fams) {
    parts.push(f.header);
    for (const s of f.series) {
      j++;
      let v: string;
      if (s.kind === Kind.Counter) v = String(Math.floor(s.rate * k * (0.9 + 0.2 * rnd(j, k))));
      else if (s.kind === Kind.Bucket) v = String(Math.floor(s.rate * k * s.share));
      else if (s.kind === Kind.Sum) v = (s.rate * k).toFixed(3);
      else v = String(Math.round(s.rate * (0.95 + 0.1 * rnd(j, k))));
      parts.push(s.prefix, v, '\n');
    }
  }
  return parts.join('');
}

/**
 * The target server: `/t/<i>` serves target i. Target i's n-th request gets step
 * `n + 1000 · (1 + i % 16)`: sixteen value variants per step across targets, counters rising on
 * every scrape of a target. Prints its port as the first line of stdout.
 */
function serve(): void {
  const fams = families(SERIES);
  const requests = new Uint32Array(TARGETS);
  /** Built bodies by step, plain and gzipped; old steps evicted first (Map keeps insertion order). */
  const cache = new Map<number, { plain: Buffer; gzip: Buffer }>();
  const server = createHttpServer((req, res) => {
    const i = Number((req.url ?? '').slice(3));
    if (!(req.url ?? '').startsWith('/t/') || !(i >= 0 && i < TARGETS))
      return void res.writeHead(404).end();
    const k = requests[i]!++ + 1000 * (1 + (i % 16));
    let b = cache.get(k);
    if (b === undefined) {
      const plain = Buffer.from(body(fams, k));
      b = { plain, gzip: gzipSync(plain) };
      cache.set(k, b);
      if (cache.size > 256) cache.delete(cache.keys().next().value!);
    }
    const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    res.writeHead(200, {
      'content-type': 'text/plain; version=0.0.4; charset=utf-8',
      ...(gzip ? { 'content-encoding': 'gzip' } : {}),
    });
    res.end(gzip ? b.gzip : b.plain);
  });
  server.keepAliveTimeout = 5 * 60_000;
  server.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as { port: number };
    const sample = Buffer.from(body(fams, 1000));
    process.stdout.write(
      `${JSON.stringify({ port, bytes: sample.length, gzip: gzipSync(sample).length })}\n`,
    );
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK']).stdout.toString()) || 100;

/** utime + stime of a process, all threads, in seconds. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the parenthesised command name, which may contain spaces; utime and stime are
  // fields 14 and 15 of stat(5), so 11 and 12 counted from the state field.
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / CLK_TCK;
}

function rssBytes(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m?.[1]) * 1024;
}

/** Sum over every series of one metric in a text-format `/metrics` page. */
async function metricSum(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  let sum = 0;
  for (const m of text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'gm')))
    sum += Number(m[1]);
  return sum;
}

interface ApiTarget {
  health: string;
  lastError: string;
}

async function targets(url: string): Promise<ApiTarget[]> {
  const res = await fetch(`${url}/api/v1/targets?state=active`);
  return ((await res.json()) as { data: { activeTargets: ApiTarget[] } }).data.activeTargets;
}

async function instant(url: string, expr: string): Promise<number[]> {
  const res = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(expr)}`);
  const j = (await res.json()) as { data?: { result: { value: [number, string] }[] } };
  return (j.data?.result ?? []).map((r) => Number(r.value[1]));
}

interface Figures {
  name: string;
  samplesPerS: number;
  cpuS: number;
  cpuPerM: number;
  rssMiB: number;
  expectedPerS: number;
  check: string;
  firstUpS: number;
}

async function measure(
  name: string,
  child: ChildProcess,
  url: string,
  samplesMetric: string,
): Promise<Figures> {
  const pid = child.pid!;
  const t0 = Date.now();
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`${name} exited with ${child.exitCode ?? child.signalCode}`);
    const ts = await targets(url).catch(() => [] as ApiTarget[]);
    if (ts.length === TARGETS && ts.every((t) => t.health === 'up')) break;
    if (Date.now() - t0 > 10 * INTERVAL_S * 1000)
      throw new Error(
        `${name}: not every target up after ${10 * INTERVAL_S} s: ${ts.filter((t) => t.health === 'up').length}/${ts.length} up; ${ts.find((t) => t.lastError)?.lastError ?? ''}`,
      );
    await sleep(1000);
  }
  const firstUpS = (Date.now() - t0) / 1000;
  await sleep(2 * INTERVAL_S * 1000);
  const [c0, s0, w0] = [cpuSeconds(pid), await metricSum(url, samplesMetric), performance.now()];
  await sleep(WINDOW_S * 1000);
  const [c1, s1, w1] = [cpuSeconds(pid), await metricSum(url, samplesMetric), performance.now()];
  const rss = rssBytes(pid);
  const ts = await targets(url);
  const notes: string[] = [];
  const up = ts.filter((t) => t.health === 'up').length;
  if (ts.length !== TARGETS || up !== TARGETS) notes.push(`${up}/${ts.length} up`);
  const upCount = (await instant(url, 'count(up == 1)'))[0] ?? 0;
  if (upCount !== TARGETS) notes.push(`count(up == 1) = ${upCount}`);
  const scraped = (await instant(url, 'sum(scrape_samples_scraped)'))[0] ?? 0;
  if (scraped !== TARGETS * SERIES) notes.push(`sum(scrape_samples_scraped) = ${scraped}`);
  const off = await instant(url, `scrape_samples_scraped != ${SERIES}`);
  if (off.length > 0) notes.push(`${off.length} targets with another scrape_samples_scraped`);
  const samples = s1 - s0;
  return {
    name,
    samplesPerS: samples / ((w1 - w0) / 1000),
    cpuS: c1 - c0,
    cpuPerM: ((c1 - c0) / samples) * 1e6,
    rssMiB: rss / 2 ** 20,
    expectedPerS: (TARGETS * (SERIES + REPORT_SERIES)) / INTERVAL_S,
    check: notes.join('; ') || `all ${TARGETS} up, ${SERIES} scraped each`,
    firstUpS,
  };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

async function main(): Promise<void> {
  const only = flag('only');
  const cpuProf = process.argv.includes('--cpu-prof');
  console.log(
    `# ${cpus()[0]?.model} x${cpus().length}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}, load ${loadavg()[0]!.toFixed(1)}; ` +
      `${TARGETS} targets x ${SERIES} series every ${INTERVAL_S} s, warm-up ${2 * INTERVAL_S} s, window ${WINDOW_S} s`,
  );
  const dir = mkdtempSync(join(tmpdir(), 'scrape-bench-'));
  const children: ChildProcess[] = [];
  const cleanup = async () => {
    for (const c of children) await stop(c);
    rmSync(dir, { recursive: true, force: true });
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => void cleanup().then(() => process.exit(130)));
  try {
    const server = spawn(
      process.execPath,
      [
        ...process.execArgv,
        fileURLToPath(import.meta.url),
        '--serve',
        String(TARGETS),
        String(SERIES),
      ],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    children.push(server);
    const hello = await new Promise<{ port: number; bytes: number; gzip: number }>(
      (resolve, reject) => {
        let out = '';
        server.stdout!.setEncoding('utf8').on('data', (s: string) => {
          out += s;
          if (out.includes('\n')) resolve(JSON.parse(out.slice(0, out.indexOf('\n'))) as never);
        });
        server.once('exit', (code) => reject(new Error(`target server exited with ${code}`)));
      },
    );
    console.log(
      `target server: one body ${(hello.bytes / 1024).toFixed(0)} KiB, ${(hello.gzip / 1024).toFixed(1)} KiB gzipped`,
    );
    const width = String(TARGETS - 1).length;
    const config =
      `global:\n  scrape_interval: ${INTERVAL_S}s\n  scrape_timeout: ${Math.min(10, INTERVAL_S)}s\n` +
      `scrape_configs:\n  - job_name: bench\n    static_configs:\n` +
      Array.from(
        { length: TARGETS },
        (_, i) =>
          `      - targets: ['127.0.0.1:${hello.port}']\n` +
          `        labels: { __metrics_path__: /t/${i}, instance: 'host-${String(i).padStart(width, '0')}:9100', zone: z${i % 3} }\n`,
      ).join('');
    const configFile = join(dir, 'scrape.yml');
    writeFileSync(configFile, config);
    // Vigil's own jobs (itself, its exporter, its Pushgateway) are not part of the comparison.
    const vigilConfigFile = join(dir, 'vigil.yml');
    writeFileSync(vigilConfigFile, `${config}server:\n  builtin_scrape_jobs: false\n`);

    const results: Figures[] = [];
    if (only === undefined || only === 'vigil') {
      const port = await freePort();
      const vigil = spawn(
        process.execPath,
        [
          ...(cpuProf ? ['--cpu-prof'] : []),
          VIGIL_BIN,
          'server',
          '--config',
          vigilConfigFile,
          '--listen',
          `127.0.0.1:${port}`,
          '--data-dir',
          join(dir, 'vigil'),
          '--no-local-agent',
        ],
        { stdio: ['ignore', 'ignore', 'inherit'] },
      );
      children.push(vigil);
      results.push(
        await measure(
          'Vigil',
          vigil,
          `http://127.0.0.1:${port}`,
          'vigil_tsdb_head_samples_appended_total',
        ),
      );
      await stop(vigil);
    }
    if (only === undefined || only === 'prometheus') {
      const port = await freePort();
      const prom = spawn(
        PROMETHEUS,
        [
          `--config.file=${configFile}`,
          `--storage.tsdb.path=${join(dir, 'prometheus')}`,
          `--web.listen-address=127.0.0.1:${port}`,
        ],
        { stdio: 'ignore' },
      );
      children.push(prom);
      results.push(
        await measure(
          'Prometheus',
          prom,
          `http://127.0.0.1:${port}`,
          'prometheus_tsdb_head_samples_appended_total',
        ),
      );
      await stop(prom);
    }

    const rows = results.map((r) => [
      r.name,
      `${(r.samplesPerS / 1000).toFixed(1)} k (${((r.samplesPerS / r.expectedPerS) * 100).toFixed(0)} %)`,
      r.cpuS.toFixed(1),
      r.cpuPerM.toFixed(2),
      r.rssMiB.toFixed(0),
      r.firstUpS.toFixed(0),
      r.check,
    ]);
    const head = [
      'server',
      'samples/s (of expected)',
      'CPU s',
      'CPU s / M samples',
      'RSS MiB',
      'all up after s',
      'check',
    ];
    const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
    const line = (r: string[]) => `| ${r.map((x, c) => x.padEnd(widths[c]!)).join(' | ')} |`;
    console.log([line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n'));
    const [v, p] = [
      results.find((r) => r.name === 'Vigil'),
      results.find((r) => r.name === 'Prometheus'),
    ];
    if (v && p)
      console.log(`CPU per sample, Vigil/Prometheus: ${(v.cpuPerM / p.cpuPerM).toFixed(2)}x`);
  } finally {
    await cleanup();
  }
}

if (process.argv[2] === '--serve') serve();
else await main();
