import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
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

test('order holds across memory chunks, frozen parts and segments with out-of-order arrival', async (t) => {
  const dir = tempDir(t);
  const s = await openLocalStore(dir, { inlineJobs: true, flushDocs: 12_000 });
  const T0 = Date.UTC(2024, 4, 6);
  let seed = 7;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let b = 0; b < 25; b++) {
    await s.write(
      Array.from({ length: 1000 }, (_, i) => ({
        index: b % 2 ? 'o-a' : 'o-b',
        op: 'index' as const,
        source: { '@timestamp': T0 + Math.floor(rand() * 3_600_000), n: b * 1000 + i },
      })),
    );
  }
  const check = async (order: 'asc' | 'desc') => {
    let prev: [number, number, string] | undefined;
    let n = 0;
    await s.search({ indices: ['o-*'], query: { kind: 'all' }, order }, (b) => {
      for (let i = 0; i < b.length; i++, n++) {
        const p = b.position(i);
        if (prev !== undefined) {
          const d =
            p.ms - prev[0] ||
            p.ns - prev[1] ||
            (p.tiebreak < prev[2] ? -1 : p.tiebreak > prev[2] ? 1 : 0);
          assert.ok(order === 'asc' ? d > 0 : d < 0, `out of order at ${n}`);
        }
        prev = [p.ms, p.ns, p.tiebreak];
      }
    });
    assert.equal(n, 25_000);
  };
  await check('desc');
  await check('asc');
  await s.flush();
  await check('desc');
  await s.close();
});

test('the memory part is flushed by age, counted from its first document', async (t) => {
  const dir = tempDir(t);
  let now = 1_000_000;
  const s = await openLocalStore(dir, { inlineJobs: true, flushAgeMs: 5000, now: () => now });
  now += 60_000;
  await s.write([
    { index: 'age', op: 'index', source: { '@timestamp': Date.UTC(2024, 4, 6), m: 1 } },
  ]);
  await new Promise((r) => setTimeout(r, 1300));
  assert.equal(
    existsSync(join(dir, 'indices', 'age', '2024-05-06')),
    false,
    'a fresh part is not flushed',
  );
  now += 5000;
  for (let i = 0; i < 30 && !existsSync(join(dir, 'indices', 'age', '2024-05-06')); i++) {
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(readdirSync(join(dir, 'indices', 'age', '2024-05-06')).length, 1);
  assert.equal(s.jobError, undefined);
  await s.close();
});

test('block pruning never hides a match the filter would make (numbers read word by word)', async (t) => {
  const dir = tempDir(t);
  const s = await openLocalStore(dir, { inlineJobs: true });
  await s.write([
    { index: 'p', op: 'index', source: { '@timestamp': Date.UTC(2024, 4, 6), status: 404 } },
    {
      index: 'p',
      op: 'index',
      source: { '@timestamp': Date.UTC(2024, 4, 6, 1), message: 'error 404 page' },
    },
    { index: 'p', op: 'index', source: { '@timestamp': Date.UTC(2024, 4, 6, 2), message: 'fine' } },
  ]);
  await s.flush();
  const count = async (text: string, phrases: string[][]) => {
    let n = 0;
    await s.search(
      {
        indices: ['p'],
        query: { kind: 'match', field: { kind: 'any' }, text, phrases },
        order: 'desc',
      },
      (b) => void (n += b.length),
    );
    return n;
  };
  assert.equal(await count('error 404', [['error', '404']]), 2);
  assert.equal(await count('page', [['page']]), 1);
  assert.equal(await count('kraken', [['kraken']]), 0);
  await s.close();
});

test('settle waits for the frozen parts to be flushed and leaves the memory part alone', async (t) => {
  const dir = tempDir(t);
  // The worker thread, so that flushes are still running when the writes return.
  const s = await openLocalStore(dir, { flushDocs: 1000 });
  const day = join(dir, 'indices', 'settle', '2024-05-06');
  const at = Date.UTC(2024, 4, 6);
  for (let b = 0; b < 3; b++) {
    const batch = Array.from({ length: 1000 }, (_, i) => ({
      index: 'settle',
      op: 'index' as const,
      source: { '@timestamp': at + b * 1000 + i, n: b * 1000 + i },
    }));
    await s.write(batch);
  }
  await s.write([{ index: 'settle', op: 'index', source: { '@timestamp': at + 5000, n: -1 } }]);
  await s.settle();
  const segments = () => readdirSync(day).filter((f) => f.endsWith('.seg'));
  // Three parts of 1 000 flushed (merges need four segments), the last document still in
  // memory.
  assert.equal(segments().length, 3);
  const docs = (await s.indices()).find((i) => i.name === 'settle')!.docs;
  assert.equal(docs, 3001);
  assert.equal(s.jobError, undefined);
  await s.flush();
  // The fourth part's segment, and a merge of the four.
  assert.equal(segments().length, 1);
  await s.close();
});
