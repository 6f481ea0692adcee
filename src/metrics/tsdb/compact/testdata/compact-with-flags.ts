// Child process for compaction-worker.test.ts: compacts a small TSDB in a process started with
// per-process Node flags, which worker threads cannot take, and prints the number of blocks.
import { Labels } from '../../../model/labels.js';
import { Tsdb } from '../../db.js';

const db = Tsdb.open(process.argv[2]!);
let ref = 0;
for (let k = 0; k < 5 * 240; k++) {
  const app = db.appender();
  ref = app.append(ref, Labels.fromRecord({ __name__: 'flags' }), k * 15_000, k);
  await app.commit();
}
await db.compact();
process.stdout.write(`${db.blocks.length} ${db.stats.compactionFailures}\n`);
await db.close();
