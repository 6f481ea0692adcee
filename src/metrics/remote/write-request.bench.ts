/**
 * Remote write receive throughput without HTTP: Snappy decompression, WriteRequest decoding,
 * and appending into a real TSDB (WAL included), for requests shaped like Prometheus' (2 000
 * series of one sample each, 8 labels per series). The same series arrive every round with
 * newer timestamps, as from a scraping sender in its steady state. Run with
 *   node --expose-gc --import tsx src/metrics/remote/write-request.bench.ts [requests=200]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { snappyDecode, snappyEncode } from '../../lib/snappy/index.js';
import { Tsdb } from '../tsdb/db.js';
import { ingestWriteRequest } from './ingest.js';
import { encodeWriteRequest, type SeriesSpec } from './testdata/write-request.js';
import { decodeWriteRequest } from './write-request.js';

const REQUESTS = Number(process.argv[2] ?? 200);
const SERIES = 2000;
const START = 1_700_000_000_000;

function request(round: number): Uint8Array {
  const series: SeriesSpec[] = [];
  for (let i = 0; i < SERIES; i++) {
    series.push({
      labels: [
        ['__name__', `node_metric_${i % 50}_total`],
        ['cpu', String(i % 8)],
        ['instance', `10.0.${i % 7}.${i % 13}:9100`],
        ['job', 'node'],
        ['mode', ['idle', 'user', 'system', 'iowait'][i % 4]!],
        ['namespace', 'monitoring'],
        ['pod', `node-exporter-${(i * 7919) % 1000}`],
        ['series', String(i)],
      ],
      samples: [[START + round * 15_000, round * 1.5 + i]],
    });
  }
  return snappyEncode(encodeWriteRequest(series));
}

const bodies = Array.from({ length: REQUESTS }, (_, r) => request(r));
const decoded = bodies.map((b) => snappyDecode(b, 64 << 20));
const rawBytes = decoded.reduce((n, d) => n + d.length, 0);
const bodyBytes = bodies.reduce((n, b) => n + b.length, 0);

/** Best seconds of `fn` over 5 runs after a warm-up: the run least disturbed by the machine. */
function seconds(fn: () => void): number {
  fn();
  let best = Infinity;
  for (let r = 0; r < 5; r++) {
    const t0 = process.hrtime.bigint();
    fn();
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e9);
  }
  return best;
}

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
console.log(
  `${REQUESTS} requests × ${SERIES} series, ${(bodyBytes / REQUESTS / 1024).toFixed(0)} KiB ` +
    `compressed / ${(rawBytes / REQUESTS / 1024).toFixed(0)} KiB raw each, node ${process.version}`,
);
const snappyS = seconds(() => bodies.forEach((b) => snappyDecode(b, 64 << 20)));
const decodeS = seconds(() => decoded.forEach((d) => decodeWriteRequest(d)));
gc();
const heap0 = process.memoryUsage().heapUsed;
const kept = decoded.map((d) => decodeWriteRequest(d));
const heapGrowth = process.memoryUsage().heapUsed - heap0;
const samples = REQUESTS * SERIES;
console.log(`snappy decode      ${(rawBytes / snappyS / 1e6).toFixed(0).padStart(6)} MB/s out`);
console.log(
  `protobuf decode    ${(samples / decodeS / 1e6).toFixed(2).padStart(6)} M samples/s  ` +
    `${(heapGrowth / samples).toFixed(0)} B/series held by decoded requests`,
);

const dir = mkdtempSync(join(tmpdir(), 'vigil-remote-bench-'));
const db = Tsdb.open(dir);
try {
  const t0 = process.hrtime.bigint();
  for (const req of kept) await ingestWriteRequest(req, db, { now: START + REQUESTS * 15_000 });
  const ingestS = Number(process.hrtime.bigint() - t0) / 1e9;
  console.log(
    `ingest (TSDB+WAL)  ${(samples / ingestS / 1e6).toFixed(2).padStart(6)} M samples/s  ` +
      `${(REQUESTS / ingestS).toFixed(0)} requests/s`,
  );
} finally {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
}
