/**
 * Exposition parsing throughput on a node_exporter-sized body (about 1 000 series: CPU and
 * network counters, filesystem and memory gauges, request-latency histograms, a summary) in both
 * formats, from bytes as the scraper receives them. Two readings per format: the scraper's steady
 * state, which reads only `series()` and `value()` (its cache maps the series text to a ref), and
 * a cold scrape that builds `labels()` for every series. Run with
 *   node --expose-gc --import tsx src/metrics/model/textparse/textparse.bench.ts [rounds=9] [FILE]
 * FILE is a captured body to measure as well (OpenMetrics when it ends in `.om`, text otherwise),
 * e.g. `curl -s localhost:9100/metrics > /tmp/ne.prom`: real exporters have far more families
 * per series than the synthetic body, which makes metadata lines weigh more.
 * Target: ≥ 2 M series/s on the steady-state path.
 */
import { readFileSync } from 'node:fs';
import { createParser, type Format, type Parser } from './parser.js';

const ROUNDS = Number(process.argv[2] ?? 9);
const FILE = process.argv[3];
/** Parses per timed run: enough for the run to last well over the timer's resolution. */
const BODIES_PER_RUN = 200;

interface Family {
  name: string;
  type: 'counter' | 'gauge' | 'histogram' | 'summary';
  help: string;
  /** Label sets (as `a="b",c="d"`), one per series of the family. */
  sets: string[];
}

function cross(...dims: [string, string[]][]): string[] {
  let sets = [''];
  for (const [name, values] of dims) {
    sets = sets.flatMap((s) => values.map((v) => (s === '' ? '' : `${s},`) + `${name}="${v}"`));
  }
  return sets;
}

const cpus = Array.from({ length: 24 }, (_, i) => String(i));
const modes = ['idle', 'iowait', 'irq', 'nice', 'softirq', 'steal', 'system', 'user'];
const devices = [
  'eth0',
  'eth1',
  'lo',
  'docker0',
  'veth1a2b3c4',
  'veth9f8e7d6',
  'wlan0',
  'br-5f1c2d',
];
const disks = ['nvme0n1', 'nvme1n1', 'sda', 'sdb'];
const mounts = cross(
  ['device', ['/dev/nvme0n1p2', '/dev/nvme0n1p1', 'tmpfs', '/dev/sda1', 'overlay']],
  ['fstype', ['ext4']],
  ['mountpoint', ['/', '/boot/efi', '/run', '/data', '/var/lib/docker/overlay2/abc/merged']],
).filter((_, i) => i % 6 === 0);
const buckets = [
  '0.005',
  '0.01',
  '0.025',
  '0.05',
  '0.1',
  '0.25',
  '0.5',
  '1',
  '2.5',
  '5',
  '10',
  '+Inf',
];
const handlers = cross(
  [
    'handler',
    [
      '/api/v1/query',
      '/api/v1/query_range',
      '/api/v1/series',
      '/api/v1/labels',
      '/metrics',
      '/federate',
      '/-/ready',
      '/api/v1/write',
    ],
  ],
  ['method', ['GET', 'POST', 'PUT']],
);

const families: Family[] = [
  {
    name: 'node_cpu_seconds',
    type: 'counter',
    help: 'Seconds the CPUs spent in each mode.',
    sets: cross(['cpu', cpus], ['mode', modes]),
  },
  ...[
    'receive_bytes',
    'receive_packets',
    'receive_errs',
    'receive_drop',
    'transmit_bytes',
    'transmit_packets',
    'transmit_errs',
    'transmit_drop',
    'receive_fifo',
    'transmit_fifo',
    'receive_frame',
    'transmit_colls',
    'receive_compressed',
    'transmit_compressed',
    'receive_multicast',
    'transmit_carrier',
  ].map((m): Family => ({
    name: `node_network_${m}`,
    type: 'counter',
    help: `Network device statistic ${m}.`,
    sets: cross(['device', devices]),
  })),
  ...[
    'softnet_processed',
    'softnet_dropped',
    'softnet_times_squeezed',
    'schedstat_running_seconds',
    'schedstat_waiting_seconds',
  ].map((m): Family => ({
    name: `node_${m}`,
    type: 'counter',
    help: `Per-CPU statistic ${m}.`,
    sets: cross(['cpu', cpus]),
  })),
  ...[
    'reads_completed',
    'reads_merged',
    'read_bytes',
    'read_time_seconds',
    'writes_completed',
    'writes_merged',
    'written_bytes',
    'write_time_seconds',
    'io_time_seconds',
    'io_time_weighted_seconds',
    'discards_completed',
    'discarded_sectors',
    'flush_requests',
  ].map((m): Family => ({
    name: `node_disk_${m}`,
    type: 'counter',
    help: `Disk statistic ${m}.`,
    sets: cross(['device', disks]),
  })),
  ...[
    'avail_bytes',
    'free_bytes',
    'size_bytes',
    'files',
    'files_free',
    'readonly',
    'device_error',
  ].map((m): Family => ({
    name: `node_filesystem_${m}`,
    type: 'gauge',
    help: `Filesystem ${m}.`,
    sets: mounts,
  })),
  ...Array.from({ length: 60 }, (_, i): Family => ({
    name: `node_memory_field${i}_bytes`,
    type: 'gauge',
    help: `Memory information field ${i}.`,
    sets: [''],
  })),
  {
    name: 'http_request_duration_seconds',
    type: 'histogram',
    help: 'Latency of HTTP requests.',
    sets: handlers,
  },
  {
    name: 'prometheus_engine_query_duration_seconds',
    type: 'histogram',
    help: 'Query timings.',
    sets: cross(['slice', ['inner_eval', 'prepare_time', 'queue_time', 'result_sort']]),
  },
  {
    name: 'go_gc_duration_seconds',
    type: 'summary',
    help: 'A summary of the GC pause durations.',
    sets: [''],
  },
  {
    name: 'node_hwmon_temp_celsius',
    type: 'gauge',
    help: 'Hardware monitor temperature.',
    sets: cross(
      ['chip', ['platform_coretemp_0', 'pci0000:00_0000:00:01_1_0000:01:00_0_nvme_nvme0']],
      ['sensor', ['temp1', 'temp2', 'temp3', 'temp4', 'temp5', 'temp6']],
    ),
  },
];

let seed = 7;
const rand = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
const counter = () => String(Math.floor(rand() * 1e9));
const gauge = () => (rand() * 1e6).toPrecision(6);

/** The body in `format`, with the series count. OpenMetrics names counters without `_total`. */
function body(format: 'text' | 'openmetrics'): { bytes: Uint8Array; series: number } {
  const om = format === 'openmetrics';
  const lines: string[] = [];
  let series = 0;
  const sample = (name: string, labels: string, value: string) => {
    lines.push(labels === '' ? `${name} ${value}` : `${name}{${labels}} ${value}`);
    series++;
  };
  for (const f of families) {
    const name = f.type === 'counter' && !om ? `${f.name}_total` : f.name;
    lines.push(`# HELP ${name} ${f.help}`, `# TYPE ${name} ${f.type}`);
    for (const set of f.sets) {
      const pre = set === '' ? '' : `${set},`;
      if (f.type === 'counter') sample(`${f.name}_total`, set, counter());
      else if (f.type === 'gauge') sample(f.name, set, gauge());
      else if (f.type === 'histogram') {
        let n = 0;
        for (const le of buckets)
          sample(`${f.name}_bucket`, `${pre}le="${le}"`, String((n += Math.floor(rand() * 50))));
        sample(`${f.name}_sum`, set, gauge());
        sample(`${f.name}_count`, set, String(n));
      } else {
        for (const q of ['0', '0.25', '0.5', '0.75', '1'])
          sample(f.name, `${pre}quantile="${q}"`, (rand() / 1e3).toExponential(6));
        sample(`${f.name}_sum`, set, gauge());
        sample(`${f.name}_count`, set, counter());
      }
    }
  }
  if (om) lines.push('# EOF');
  return { bytes: new TextEncoder().encode(lines.join('\n') + '\n'), series };
}

let sink = 0;

/** The scraper's steady state: the raw series text (its cache key) and the value. */
function cacheHit(p: Parser): number {
  let n = 0;
  for (let k = p.next(); k !== null; k = p.next()) {
    if (k !== 'series') continue;
    sink += p.series().length + p.value();
    n++;
  }
  return n;
}

/** A first scrape: every series' labels built. */
function allLabels(p: Parser): number {
  let n = 0;
  for (let k = p.next(); k !== null; k = p.next()) {
    if (k !== 'series') continue;
    sink += p.labels().key.length + p.value();
    n++;
  }
  return n;
}

/** Best seconds over ROUNDS runs after a warm-up: the fastest run is the least disturbed. */
function time(fn: () => void): number {
  fn();
  let best = Infinity;
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = process.hrtime.bigint();
    fn();
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e9);
  }
  return best;
}

/** Series lines of a captured body: neither blank nor comments. */
function countSeries(bytes: Uint8Array): number {
  return new TextDecoder()
    .decode(bytes)
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('#')).length;
}

const bodies: { name: string; format: Format; bytes: Uint8Array; series: number }[] = [
  { name: 'synthetic', format: 'text', ...body('text') },
  { name: 'synthetic', format: 'openmetrics', ...body('openmetrics') },
];
if (FILE !== undefined) {
  const bytes = readFileSync(FILE);
  const format = FILE.endsWith('.om') ? 'openmetrics' : 'text';
  bodies.push({ name: FILE, format, bytes, series: countSeries(bytes) });
}

const gc = (globalThis as { gc?: () => void }).gc;
for (const { name, format, bytes, series } of bodies) {
  const contentType = format === 'openmetrics' ? 'application/openmetrics-text' : 'text/plain';
  const kib = (bytes.length / 1024).toFixed(1);
  console.log(`${name}, ${format}: ${series} series, ${kib} KiB per body`);
  for (const [what, read] of [
    ['series()+value()', cacheHit],
    ['labels() for all', allLabels],
  ] as const) {
    const run = () => {
      for (let b = 0; b < BODIES_PER_RUN; b++) {
        if (read(createParser(bytes, contentType)) !== series) throw new Error('series lost');
      }
    };
    const s = time(run);
    gc?.();
    const heap0 = process.memoryUsage().heapUsed;
    run();
    gc?.();
    const grown = process.memoryUsage().heapUsed - heap0;
    const perSec = (series * BODIES_PER_RUN) / s;
    const mbPerSec = (bytes.length * BODIES_PER_RUN) / s / 1e6;
    console.log(
      `  ${what.padEnd(18)} ${(perSec / 1e6).toFixed(2)} M series/s  ${mbPerSec.toFixed(0)} MB/s  ` +
        `${((s / BODIES_PER_RUN) * 1e3).toFixed(3)} ms/body  heap growth ${(grown / 1024).toFixed(0)} KiB`,
    );
  }
}
if (sink === 0) console.log('(sink)');
