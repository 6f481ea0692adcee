/**
 * Remote write send throughput: samples committed to a real TSDB are read back from its WAL,
 * relabelled, encoded, snappy-compressed and POSTed by a queue to a sink on 127.0.0.1 that
 * decodes every request (so the figure includes a receiver's share of the CPU, as a real
 * remote would not). Reports samples/s from first commit to last sample received, and the
 * encode + compress cost alone. Run with
 *   node --expose-gc --import tsx src/metrics/remote/send/send.bench.ts [series=10000] [rounds=30]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { remoteWriteEntry } from '../../../config/remote-write.js';
import { Logger } from '../../../lib/log/logger.js';
import { snappyDecode, snappyEncode } from '../../../lib/snappy/index.js';
import { Labels } from '../../model/labels.js';
import { Tsdb } from '../../tsdb/db.js';
import { decodeWriteRequest } from '../write-request.js';
import { encodeLabels, encodeWriteRequest } from './encode.js';
import { RemoteWriteQueue } from './queue.js';

const SERIES = Number(process.argv[2] ?? 10_000);
const ROUNDS = Number(process.argv[3] ?? 30);
const START = 1_700_000_000_000;

const labels = Array.from({ length: SERIES }, (_, i) =>
  Labels.fromRecord({
    __name__: `node_metric_${i % 50}_total`,
    cpu: String(i % 8),
    instance: `10.0.${i % 7}.${i % 13}:9100`,
    job: 'node',
    mode: ['idle', 'user', 'system', 'iowait'][i % 4]!,
    pod: `node-exporter-${(i * 7919) % 1000}`,
    series: String(i),
  }),
);

// Encode + compress alone, for requests of 2 000 samples.
{
  const series = labels.slice(0, 2000).map((l) => ({ encodedLabels: encodeLabels(l) }));
  const values = new Float64Array(2000).map((_, i) => i * 1.5);
  const batch = {
    length: 2000,
    series,
    ts: new Float64Array(2000).fill(START),
    valueBytes: new Uint8Array(values.buffer),
  };
  let bytes = 0;
  const t0 = performance.now();
  const n = 500;
  for (let r = 0; r < n; r++) bytes += snappyEncode(encodeWriteRequest(batch)).length;
  const s = (performance.now() - t0) / 1000;
  console.log(
    `encode+snappy: ${((n * 2000) / s / 1e6).toFixed(2)} M samples/s, ${(bytes / n / 1024).toFixed(0)} KiB per 2000-sample request`,
  );
}

let received = 0;
const sink = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const wr = decodeWriteRequest(snappyDecode(Buffer.concat(chunks), 64 << 20));
    received += wr.timestamps.length;
    res.writeHead(204).end();
  });
});
await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${(sink.address() as AddressInfo).port}/write`;

const dir = mkdtempSync(join(tmpdir(), 'vigil-send-bench-'));
const db = Tsdb.open(dir);
const queue = new RemoteWriteQueue({
  name: 'bench',
  config: remoteWriteEntry.parse({ url, queue_config: { batch_send_deadline: '50ms' } }),
  externalLabels: { cluster: 'bench' },
  feed: db.feed,
  progressDir: join(dir, 'remote-write'),
  log: new Logger({ level: 'error', write: () => {} }),
});
queue.start();
const t0 = performance.now();
const refs = new Array<number>(SERIES).fill(0);
for (let r = 0; r < ROUNDS; r++) {
  const app = db.appender();
  for (let i = 0; i < SERIES; i++)
    refs[i] = app.append(refs[i]!, labels[i]!, START + r * 15_000, r + i);
  await app.commit();
}
const total = SERIES * ROUNDS;
while (received < total) await new Promise((r) => setTimeout(r, 5));
const s = (performance.now() - t0) / 1000;
console.log(
  `end to end (commit → WAL → queue → HTTP → decoded): ${total} samples of ${SERIES} series in ${s.toFixed(2)} s = ${(total / s / 1e6).toFixed(2)} M samples/s (one shard; the sink shares the process)`,
);
await queue.stop();
await db.close();
sink.close();
rmSync(dir, { recursive: true, force: true });
