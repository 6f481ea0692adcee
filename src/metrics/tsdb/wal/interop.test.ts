// Interop with the real peer: Debian's Prometheus (2.42) replays a WAL that our code wrote and
// serves its samples, bit-exact values and staleness markers included, over its HTTP API.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Labels } from '../../model/labels.js';
import { SampleBatch } from '../record/sample-batch.js';
import { decodeSamples, encodeSamples, samplesRecordSize } from '../record/samples.js';
import { decodeSeries, encodeSeries, seriesRecordSize, type RefSeries } from '../record/series.js';
import { recordType, RecordType } from '../record/types.js';
import { checkpoint } from './checkpoint.js';
import { WalUnsupportedError } from './errors.js';
import { WalReader } from './reader.js';
import { Wal } from './wal.js';

const PROMETHEUS = '/usr/bin/prometheus';
const SKIP = !existsSync(PROMETHEUS) && !process.env.CI ? 'prometheus not installed' : false;
const STALE_NAN = 0x7ff0000000000002n;
const PLAIN_NAN = 0x7ff8000000000001n;

interface Vector {
  status: string;
  data: {
    result: {
      metric: Record<string, string>;
      value?: [number, string];
      values?: [number, string][];
    }[];
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/** Values that a lossy path would change: tiny, huge, negative zero, subnormal, 2^53. */
const BASE = [0.1, -2.5e-300, 1e21, Math.PI, -0, 123456.789, 2 ** 53, Number.MIN_VALUE, 0.3, 42];

/** The value of series `i` at step `k`; a bigint is raw bits (series 9 ends stale). */
function valueOf(i: number, k: number): number | bigint {
  if (i === 9 && k === 3) return STALE_NAN;
  if (i === 8 && k === 1) return PLAIN_NAN;
  return BASE[i]! * (k + 1);
}

interface Peer {
  base: string;
  /** Stops it with SIGTERM (a clean shutdown, which closes its WAL) and waits. */
  stop: () => Promise<void>;
  log: () => string;
}

/**
 * Starts Prometheus on `dir` with the config that `config` writes for its port, and waits until
 * it is ready; it is killed after the test.
 */
async function startPrometheus(
  t: { after: (fn: () => Promise<void>) => void },
  dir: string,
  config: (port: number) => string = () => 'global:\n  scrape_interval: 1m\n',
  args: string[] = [],
): Promise<Peer> {
  const port = await freePort();
  const configFile = join(dir, 'prometheus.yml');
  writeFileSync(configFile, config(port));
  const prom = spawn(
    PROMETHEUS,
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${dir}`,
      `--web.listen-address=127.0.0.1:${port}`,
      ...args,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  prom.stderr.setEncoding('utf8').on('data', (s: string) => (log += s));
  const exited = new Promise((resolve) => prom.on('exit', resolve));
  t.after(async () => {
    prom.kill('SIGKILL');
    await exited;
  });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    const ready = await fetch(`${base}/-/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    assert.ok(
      Date.now() < deadline && prom.exitCode === null,
      `prometheus did not become ready:\n${log}`,
    );
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.doesNotMatch(log, /corrupt|level=error/i);
  return {
    base,
    stop: async () => {
      prom.kill('SIGTERM');
      await exited;
    },
    log: () => log,
  };
}

async function get(base: string, path: string): Promise<Vector> {
  const res = await fetch(base + path);
  assert.equal(res.status, 200, await res.clone().text());
  return (await res.json()) as Vector;
}

test(
  'Prometheus replays a WAL we wrote and serves its exact values',
  { skip: SKIP, timeout: 15_000 },
  async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-wal-interop-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));

    const series: RefSeries[] = [];
    for (let i = 0; i < 10; i++) {
      series.push({
        ref: i + 1,
        labels: Labels.fromRecord({ __name__: 'vigil_wal_interop', job: 't', i: String(i) }),
      });
    }
    // Over two pages: Prometheus must reassemble our First/Last fragments.
    const big = 'v'.repeat(40_000);
    series.push({
      ref: 11,
      labels: Labels.fromRecord({ __name__: 'vigil_wal_interop_big', blob: big }),
    });
    const now = Math.floor(Date.now() / 1000) * 1000;
    const times = [now - 90_000, now - 60_000, now - 30_000, now];

    const wal = Wal.open(join(dir, 'wal'));
    let buf = new Uint8Array(seriesRecordSize(series));
    wal.log(buf.subarray(0, encodeSeries(buf, 0, series)));
    const batch = new SampleBatch();
    buf = new Uint8Array(samplesRecordSize(11));
    for (let k = 0; k < times.length; k++) {
      batch.clear();
      for (let i = 0; i < 10; i++) {
        const v = valueOf(i, k);
        batch.push(i + 1, times[k]!, typeof v === 'number' ? v : 0);
        if (typeof v === 'bigint') new BigUint64Array(batch.vs.buffer, i * 8, 1)[0] = v;
      }
      batch.push(11, times[k]!, k);
      wal.log(buf.subarray(0, encodeSamples(buf, 0, batch)));
    }
    await wal.close();

    const { base } = await startPrometheus(t, dir);

    // Prometheus prints values with Go's 'f' format (no exponent, "-0" kept): parse and compare.
    const same = (got: string, i: number, k: number) => {
      const want = valueOf(i, k);
      if (typeof want === 'bigint') assert.equal(got, 'NaN', `series ${i} step ${k}`);
      else assert.equal(Number(got), want, `series ${i} step ${k}: ${got}`);
    };

    // Instant query at the last sample: series 9 is stale there, so it is absent.
    const instant = await get(base, `/api/v1/query?query=vigil_wal_interop&time=${now / 1000}`);
    const byI = new Map(instant.data.result.map((r) => [Number(r.metric.i), r]));
    assert.deepEqual([...byI.keys()].sort(), [0, 1, 2, 3, 4, 5, 6, 7, 8]);
    for (const [i, r] of byI) {
      assert.equal(r.metric.job, 't');
      assert.equal(r.value![0], now / 1000);
      same(r.value![1], i, 3);
    }

    const q = `query=vigil_wal_interop&start=${times[0]! / 1000}&end=${now / 1000}&step=30`;
    const range = await get(base, `/api/v1/query_range?${q}`);
    assert.equal(range.data.result.length, 10);
    for (const r of range.data.result) {
      const i = Number(r.metric.i);
      const values = r.values!;
      assert.equal(values.length, i === 9 ? 3 : 4, `series ${i}: ${JSON.stringify(values)}`);
      values.forEach(([ts, v], k) => {
        assert.equal(ts * 1000, times[k]);
        same(v, i, k);
      });
    }

    const bigResult = await get(
      base,
      `/api/v1/query?query=vigil_wal_interop_big&time=${now / 1000}`,
    );
    assert.equal(bigResult.data.result.length, 1);
    assert.equal(bigResult.data.result[0]!.metric.blob, big);
    assert.equal(bigResult.data.result[0]!.value![1], '3');
  },
);

test(
  'Prometheus replays our checkpoint, then the segments after it',
  { skip: SKIP, timeout: 15_000 },
  async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-wal-interop-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const walDir = join(dir, 'wal');
    const now = Math.floor(Date.now() / 1000) * 1000;
    const times = [now - 60_000, now - 30_000, now];
    const series: RefSeries[] = [1, 2, 3].map((ref) => ({
      ref,
      labels: Labels.fromRecord({ __name__: 'vigil_wal_cp', ref: String(ref) }),
    }));
    const buf = new Uint8Array(4096);
    const batch = new SampleBatch();
    const logSamples = (wal: Wal, refs: number[], t: number) => {
      batch.clear();
      for (const ref of refs) batch.push(ref, t, ref * 10 + t / 30_000);
      wal.log(buf.subarray(0, encodeSamples(buf, 0, batch)));
    };

    const wal = Wal.open(walDir);
    wal.log(buf.subarray(0, encodeSeries(buf, 0, series)));
    logSamples(wal, [1, 2, 3], times[0]!);
    wal.nextSegment();
    logSamples(wal, [1, 2, 3], times[1]!);
    wal.nextSegment();
    logSamples(wal, [1, 2], times[2]!);
    await wal.close();
    const stats = await checkpoint(walDir, {
      toSegment: 1,
      keepSeries: (ref) => ref !== 3,
      minTime: times[1]!,
    });
    assert.equal(stats.droppedSeries, 1);
    assert.deepEqual(readdirSync(walDir).sort(), ['00000002', 'checkpoint.00000001']);

    const { base } = await startPrometheus(t, dir);
    const q = `query=vigil_wal_cp&start=${times[0]! / 1000}&end=${now / 1000}&step=30`;
    const range = await get(base, `/api/v1/query_range?${q}`);
    const got = range.data.result
      .map((r) => `${r.metric.ref}: ${r.values!.map(([ts, v]) => `${ts * 1000 - now}=${v}`)}`)
      .sort();
    // Samples before minTime are gone from the checkpoint; series 3 was dropped with its samples
    // unreachable (no labels), as Prometheus' head would.
    assert.deepEqual(got, [
      `1: -30000=${10 + times[1]! / 30_000},0=${10 + times[2]! / 30_000}`,
      `2: -30000=${20 + times[1]! / 30_000},0=${20 + times[2]! / 30_000}`,
    ]);
  },
);

/** Waits until Prometheus has scraped itself `n` times. */
async function awaitScrapes(base: string, n: number): Promise<void> {
  const deadline = Date.now() + 8000;
  for (;;) {
    const res = await get(
      base,
      `/api/v1/query?query=${encodeURIComponent('count_over_time(up[1m])')}`,
    );
    if (Number(res.data.result[0]?.value?.[1] ?? 0) >= n) return;
    assert.ok(Date.now() < deadline, 'prometheus did not scrape itself');
    await new Promise((r) => setTimeout(r, 200));
  }
}

const selfScrape = (port: number) =>
  `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: self\n    static_configs:\n      - targets: ['127.0.0.1:${port}']\n`;

test(
  'we read the WAL that Prometheus writes (uncompressed), and refuse its compressed one',
  { skip: SKIP, timeout: 15_000 },
  async (t) => {
    const plain = mkdtempSync(join(tmpdir(), 'vigil-wal-interop-'));
    const snappy = mkdtempSync(join(tmpdir(), 'vigil-wal-interop-'));
    t.after(() => rmSync(plain, { recursive: true, force: true }));
    t.after(() => rmSync(snappy, { recursive: true, force: true }));
    const peers = await Promise.all([
      startPrometheus(t, plain, selfScrape, ['--no-storage.tsdb.wal-compression']),
      startPrometheus(t, snappy, selfScrape),
    ]);
    // The first scrape comes some 5 s after start, when the scrape manager applies its targets.
    await Promise.all(peers.map((p) => awaitScrapes(p.base, 1)));
    await Promise.all(peers.map((p) => p.stop()));

    const labelsByRef = new Map<number, string>();
    const ups: number[] = [];
    const batch = new SampleBatch();
    const reader = WalReader.open(join(plain, 'wal'));
    for (const rec of reader) {
      if (recordType(rec) === RecordType.Series) {
        for (const s of decodeSeries(rec)) labelsByRef.set(s.ref, s.labels.toString());
      } else if (recordType(rec) === RecordType.Samples) {
        decodeSamples(rec, batch);
        for (let i = 0; i < batch.length; i++) {
          if (labelsByRef.get(batch.refs[i]!)?.startsWith('{__name__="up"')) ups.push(batch.vs[i]!);
        }
      }
    }
    reader.close();
    assert.ok(labelsByRef.size > 50, `${labelsByRef.size} series`);
    assert.ok(ups.length >= 1 && ups.every((v) => v === 1), `up samples: ${ups}`);

    const compressed = WalReader.open(join(snappy, 'wal'));
    assert.throws(() => [...compressed], WalUnsupportedError);
    compressed.close();
  },
);
