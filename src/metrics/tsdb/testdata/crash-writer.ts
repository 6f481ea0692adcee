// Child process for crash.test.ts: appends batches forever, printing `ack N` once batch N's
// commit has resolved, so the parent knows exactly what was acknowledged when it kills us.
import { Labels } from '../../model/labels.js';
import { Tsdb } from '../db.js';

const [dir, seriesArg, syncArg] = process.argv.slice(2);
const series = Number(seriesArg);
const db = Tsdb.open(dir!, { blockDuration: 60_000, walSync: syncArg === 'fsync' ? 'fsync' : 'write', walSegmentSize: 256 * 1024 });
const labels = Array.from({ length: series }, (_, i) => Labels.fromRecord({ __name__: 'crash', i: String(i) }));
const refs = new Array<number>(series).fill(0);
// Resume after whatever an earlier run left, so timestamps keep increasing.
const newest = Math.max(db.head.maxTime, (db.blocks.at(-1)?.meta.maxTime ?? 1) - 1, 0);
let k = Math.floor(newest / 1000) + 1;
for (;;) {
  const app = db.appender();
  for (let i = 0; i < series; i++) refs[i] = app.append(refs[i]!, labels[i]!, k * 1000, k * 10 + i);
  await app.commit();
  process.stdout.write(`ack ${k}\n`);
  // Cut blocks and checkpoint now and then, so kills also land in the middle of those.
  if (k % 40 === 0) await db.compact();
  k++;
}
