import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tempDir } from '../../../../test/harness/temp.js';
import { type ContractStore, runStoreContract } from '../store.contract.js';
import { type LocalLogStore, openLocalStore } from './store.js';

const dirs = new Map<ContractStore, string>();
const openIn = async (
  dir: string,
  fieldLimit: number,
  inlineJobs = true,
): Promise<LocalLogStore> => {
  const s = await openLocalStore(dir, { fieldLimit, inlineJobs });
  dirs.set(s, dir);
  return s;
};
const fresh = (fieldLimit: number) => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-logstore-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  return openIn(dir, fieldLimit);
};

runStoreContract({ name: 'local, memory part', open: fresh, settle: async (s) => s });
runStoreContract({
  name: 'local, flushed to segments',
  open: fresh,
  settle: async (s) => {
    await (s as LocalLogStore).flush();
    return s;
  },
});
runStoreContract({
  name: 'local, reopened (WAL replay)',
  open: fresh,
  settle: async (s) => {
    await s.close();
    return openIn(dirs.get(s)!, 5);
  },
});
runStoreContract({
  name: 'local, flushed in the worker thread and reopened',
  open: (limit) => fresh(limit),
  settle: async (s) => {
    await s.close();
    const next = await openIn(dirs.get(s)!, 5, false);
    await next.flush();
    await next.close();
    return openIn(dirs.get(s)!, 5, false);
  },
});

test('concurrent writes share syncs and all land', async (t) => {
  const dir = tempDir(t);
  const s = await openLocalStore(dir, { inlineJobs: true });
  const batches = await Promise.all(
    Array.from({ length: 40 }, (_, b) =>
      s.write(
        Array.from({ length: 25 }, (_, i) => ({
          index: 'c',
          op: 'index' as const,
          source: { b, i },
        })),
      ),
    ),
  );
  assert.equal(batches.flat().filter((r) => r.status === 'created').length, 1000);
  let n = 0;
  await s.search(
    { indices: ['c'], query: { kind: 'all' }, order: 'none' },
    (b) => void (n += b.length),
  );
  assert.equal(n, 1000);
  await s.close();
});
