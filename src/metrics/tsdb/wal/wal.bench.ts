/**
 * @module
 * Benchmarks of the WAL's hot paths on the machine it runs on: `log()` of 1 000-sample records
 * (what one commit of a mid-sized scrape writes), encoding those records, `sync()` latency alone
 * and under group commit, and replay. Prints records/s, MB/s, fsync percentiles and heap
 * growth. Run: `node --expose-gc --import tsx src/metrics/tsdb/wal/wal.bench.ts`
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SampleBatch } from '../record/sample-batch.js';
import { encodeSamples, samplesRecordSize } from '../record/samples.js';
import { WalReader } from './reader.js';
import { Wal } from './wal.js';

function heapUsed(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

const dir = mkdtempSync(join(tmpdir(), 'vigil-wal-bench-'));
try {
  // 1 000 series scraped at one timestamp, values of a few significant digits.
  const batch = new SampleBatch(1000);
  for (let i = 0; i < 1000; i++)
    batch.push(5000 + i, 1_700_000_000_000, Math.round(Math.random() * 1e6) / 100);
  const buf = new Uint8Array(samplesRecordSize(batch.length));
  const rec = buf.subarray(0, encodeSamples(buf, 0, batch));
  console.log(`record: 1000 samples, ${rec.length} bytes`);

  let n = 0;
  let start = performance.now();
  while (performance.now() - start < 1000) {
    for (let i = 0; i < 64; i++) encodeSamples(buf, 0, batch);
    n += 64;
  }
  let secs = (performance.now() - start) / 1000;
  console.log(
    `encodeSamples: ${(n / secs).toFixed(0)} records/s, ${((n * 1000) / secs / 1e6).toFixed(1)} M samples/s`,
  );

  const wal = Wal.open(join(dir, 'wal'));
  for (let i = 0; i < 200; i++) wal.log(rec);
  const before = heapUsed();
  n = 0;
  start = performance.now();
  while (performance.now() - start < 2000) {
    for (let i = 0; i < 64; i++) wal.log(rec);
    n += 64;
  }
  secs = (performance.now() - start) / 1000;
  const growth = heapUsed() - before;
  console.log(
    `log(): ${(n / secs).toFixed(0)} records/s, ${((n * rec.length) / secs / 2 ** 20).toFixed(0)} MiB/s, ` +
      `${((n * 1000) / secs / 1e6).toFixed(1)} M samples/s, ${wal.stats.pageFlushes} write(2) calls, ` +
      `heap growth ${(growth / 1024).toFixed(0)} KiB`,
  );

  n = 0;
  start = performance.now();
  while (performance.now() - start < 2000) {
    for (let i = 0; i < 16; i++) wal.log(buf.subarray(0, encodeSamples(buf, 0, batch)));
    n += 16;
  }
  secs = (performance.now() - start) / 1000;
  console.log(
    `encode + log(): ${(n / secs).toFixed(0)} records/s, ${((n * rec.length) / secs / 2 ** 20).toFixed(0)} MiB/s`,
  );

  await wal.sync();
  const lat: number[] = [];
  for (let i = 0; i < 200; i++) {
    wal.log(rec);
    const t0 = performance.now();
    await wal.sync();
    lat.push(performance.now() - t0);
  }
  lat.sort((a, b) => a - b);
  console.log(
    `log() + sync() of one record: p50 ${percentile(lat, 0.5).toFixed(2)} ms, ` +
      `p99 ${percentile(lat, 0.99).toFixed(2)} ms, max ${lat.at(-1)!.toFixed(2)} ms`,
  );

  const fsyncsBefore = wal.stats.fsyncs;
  start = performance.now();
  const commits: Promise<void>[] = [];
  for (let i = 0; i < 1000; i++) {
    wal.log(rec);
    commits.push(wal.sync());
    if (i % 10 === 9) await new Promise((r) => setImmediate(r));
  }
  await Promise.all(commits);
  secs = (performance.now() - start) / 1000;
  console.log(
    `group commit: 1000 commits (log + sync) in ${(secs * 1000).toFixed(0)} ms, ` +
      `${wal.stats.fsyncs - fsyncsBefore} fsyncs, ${(1000 / secs).toFixed(0)} durable commits/s`,
  );
  await wal.close();

  const reader = WalReader.open(join(dir, 'wal'));
  let bytes = 0;
  n = 0;
  start = performance.now();
  for (const r of reader) {
    bytes += r.length;
    n++;
  }
  reader.close();
  secs = (performance.now() - start) / 1000;
  console.log(
    `replay: ${(n / secs).toFixed(0)} records/s, ${(bytes / secs / 2 ** 20).toFixed(0)} MiB/s (${n} records)`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
