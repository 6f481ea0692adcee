import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../../../test/harness/temp.js';
import { QueryLimitError } from '../errors.js';
import { MERGE_MIN_SEGMENTS } from './merge-plan.js';
import { SegmentReader } from './segment-reader.js';
import { openLocalStore } from './store.js';

const T0 = Date.UTC(2024, 4, 6, 1);

for (const [inlineJobs, interleaved] of [
  [true, true],
  [false, true],
  [false, false],
]) {
  // Flushes whose documents interleave in time are rewritten; flushes that follow each other
  // are concatenated block by block.
  test(`small segments of a partition are merged (${inlineJobs ? 'inline' : 'worker thread'}, ${interleaved ? 'interleaved: rewritten' : 'in sequence: concatenated'}); data and ids survive`, async (t) => {
    const dir = tempDir(t);
    const s = await openLocalStore(dir, { inlineJobs });
    const flushes = MERGE_MIN_SEGMENTS + 1;
    for (let f = 0; f < flushes; f++) {
      await s.write(
        Array.from({ length: 100 }, (_, i) => ({
          index: 'app',
          op: 'create' as const,
          id: `f${f}-${i}`,
          source: {
            '@timestamp': interleaved ? T0 + i * 1000 + f : T0 + f * 100_000 + i * 1000,
            msg: `flush ${f} line ${i}`,
            rare: f === 2 && i === 50 ? 'needle' : 'hay',
          },
        })),
      );
      await s.flush();
    }
    const segs = readdirSync(join(dir, 'indices', 'app', '2024-05-06'));
    assert.ok(segs.length < flushes, `expected a merge, found ${segs.join(' ')}`);
    const merged = segs.find((n) => n.startsWith('m'));
    assert.ok(merged !== undefined);
    const seg = SegmentReader.open(join(dir, 'indices', 'app', '2024-05-06', merged));
    assert.equal(seg.footer.blocks.length, interleaved ? 1 : MERGE_MIN_SEGMENTS);
    seg.release();
    const ids: string[] = [];
    await s.search({ indices: ['app'], query: { kind: 'all' }, order: 'asc' }, (b) => {
      for (let i = 0; i < b.length; i++) ids.push(b.id(i));
    });
    assert.equal(ids.length, 100 * flushes);
    assert.equal(new Set(ids).size, ids.length);
    const needle = {
      kind: 'match',
      field: { kind: 'any' },
      text: 'needle',
      phrases: [['needle']],
    } as const;
    const found: string[] = [];
    const stats = await s.search({ indices: [], query: needle, order: 'desc' }, (b) => {
      for (let i = 0; i < b.length; i++) found.push(b.id(i));
    });
    assert.deepEqual(found, ['f2-50']);
    assert.ok(stats.docsScanned <= 100 * flushes);
    const again = await s.write([{ index: 'app', op: 'create', id: 'f0-1', source: {} }]);
    assert.equal(again[0]!.status, 'exists');
    await s.close();
  });
}

test('searches stop at max_docs_scanned and at the query timeout', async (t) => {
  const dir = tempDir(t);
  const s = await openLocalStore(dir, { inlineJobs: true, maxDocsScanned: 50 });
  // Two indices, so the search has two blocks and checks its limits between them.
  await s.write(
    Array.from({ length: 100 }, (_, i) => ({
      index: i % 2 ? 'a' : 'b',
      op: 'index' as const,
      source: { i },
    })),
  );
  await assert.rejects(
    s.search({ indices: [], query: { kind: 'all' }, order: 'none' }, () => {}),
    (e: unknown) => e instanceof QueryLimitError && e.limit === 'max_docs_scanned',
  );
  await s.close();
  const slow = await openLocalStore(dir, { inlineJobs: true, queryTimeoutMs: 0 });
  await assert.rejects(
    slow.search({ indices: [], query: { kind: 'all' }, order: 'none' }, () => {
      const end = Date.now() + 5;
      while (Date.now() < end);
    }),
    (e: unknown) => e instanceof QueryLimitError && e.limit === 'query_timeout',
  );
  const ac = new AbortController();
  ac.abort(new Error('gone'));
  await assert.rejects(
    slow.search(
      { indices: [], query: { kind: 'all' }, order: 'desc', signal: ac.signal },
      () => {},
    ),
    /gone/,
  );
  await slow.close();
});
