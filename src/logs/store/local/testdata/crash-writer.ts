// Child process for crash.test.ts: writes batches forever, printing `ack <keys>` once a batch's
// write has resolved, so the parent knows exactly what was acknowledged when it kills us. Small
// memory parts make flushes (in the worker thread) and merges happen between kills too.
import { StoreBusyError } from '../../errors.js';
import { openLocalStore } from '../store.js';

const [dir, run] = process.argv.slice(2);
const store = await openLocalStore(dir!, { flushDocs: 300 });
for (let b = 0; ; b++) {
  const keys = Array.from({ length: 20 }, (_, i) => `${run}-${b}-${i}`);
  const batch = keys.map((k, i) => ({
    index: i % 3 === 0 ? 'crash-b' : 'crash-a',
    op: 'index' as const,
    // Every fourth document has an explicit id, so deduplication is exercised across restarts.
    ...(i % 4 === 0 ? { id: `id-${k}` } : {}),
    source: { '@timestamp': Date.now(), k, message: `batch ${b} doc ${i}` },
  }));
  let res;
  for (;;) {
    try {
      res = await store.write(batch);
      break;
    } catch (err) {
      // On a loaded machine the worker thread may start slower than four small parts fill up:
      // wait as a shipper does on 429 (a busy store wrote nothing of the batch).
      if (!(err instanceof StoreBusyError)) throw err;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  if (res.some((r) => r.status !== 'created')) throw new Error(`unexpected result ${JSON.stringify(res)}`);
  process.stdout.write(`ack ${keys.join(',')}\n`);
}
