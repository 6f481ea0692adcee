import assert from 'node:assert/strict';
import { test } from 'node:test';
import { join } from 'node:path';
import { tempDir } from '../../../../test/harness/temp.js';
import type { FieldValue } from '../../model/fields.js';
import { openLocalStore } from '../../store/local/store.js';
import { parseAggregations } from './parse.js';

// Over a dictionary column, terms and cardinality read each block's codes (`collectAll` with
// `ResultBlock.codes`) instead of each document's values: both ways must give the same result,
// with every parameter that changes it.
test('terms and cardinality over dictionary columns: reading codes gives what reading documents gives', async (t) => {
  const dir = tempDir(t);
  const store = await openLocalStore(join(dir, 'store'), { inlineJobs: true });
  t.after(() => store.close());
  let seed = 11;
  const rand = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 2 ** 32;
  };
  const T = Date.UTC(2024, 4, 6);
  const docs = Array.from({ length: 12_000 }, (_, i) => {
    const d: Record<string, unknown> = {
      '@timestamp': new Date(T + i * 100).toISOString(),
      // Few values (a byte dictionary), ~400 (a wide one), numbers beside numeric strings.
      ns: `ns-${Math.floor(rand() * 12)}`,
      pod: `pod-${Math.floor(rand() * 400)}`,
      status: rand() < 0.5 ? 200 : rand() < 0.5 ? '200' : 404,
      message: `line ${i}`,
    };
    if (i % 7 === 3) delete d.ns;
    return d;
  });
  // Half in segments, half in the memory part.
  await store.write(docs.slice(0, 9000).map((source) => ({ index: 'logs', op: 'index', source })));
  await store.flush();
  await store.write(docs.slice(9000).map((source) => ({ index: 'logs', op: 'index', source })));
  const bodies: Record<string, unknown>[] = [
    { field: 'ns' },
    { field: 'ns', size: 3, missing: 'none' },
    { field: 'ns', order: { _key: 'asc' }, include: 'ns-[1-5]' },
    { field: 'pod', size: 50, exclude: ['pod-1', 'pod-2'] },
    // Many counts tie (broken by key).
    { field: 'pod', size: 400 },
    { field: 'pod', min_doc_count: 40, order: { _count: 'asc' } },
    { field: 'status' },
    { field: 'message', size: 5 },
  ];
  for (const body of bodies) {
    const parsed = parseAggregations({ a: { terms: body } }, { now: T });
    const byCodes = parsed.create().get('a')!;
    const byDocs = parsed.create().get('a')!;
    let coded = 0;
    await store.search(
      { indices: ['logs'], query: { kind: 'all' }, order: 'none', fields: [String(body.field)] },
      (block) => {
        if (block.codes?.(String(body.field)) !== undefined) coded++;
        byCodes.collectAll!(block);
        for (let i = 0; i < block.length; i++) byDocs.collect(block, i);
      },
    );
    if (body.field !== 'message') assert.ok(coded > 0, `codes used for ${JSON.stringify(body)}`);
    const want = byDocs.result();
    assert.ok((want.buckets as unknown[]).length > 0, JSON.stringify(body));
    assert.deepEqual(byCodes.result(), want, JSON.stringify(body));
  }
  // Cardinality adds each distinct value of a block once: the same estimate, exact here.
  for (const field of ['ns', 'pod', 'status', 'message']) {
    const parsed = parseAggregations({ c: { cardinality: { field } } }, { now: T });
    const byCodes = parsed.create().get('c')!;
    const byDocs = parsed.create().get('c')!;
    await store.search(
      { indices: ['logs'], query: { kind: 'all' }, order: 'none', fields: [field] },
      (block) => {
        byCodes.collectAll!(block);
        for (let i = 0; i < block.length; i++) byDocs.collect(block, i);
      },
    );
    assert.deepEqual(byCodes.result(), byDocs.result(), field);
  }
  assert.deepEqual(
    await (async () => {
      const c = parseAggregations({ c: { cardinality: { field: 'pod' } } }, { now: T })
        .create()
        .get('c')!;
      await store.search(
        { indices: ['logs'], query: { kind: 'all' }, order: 'none', fields: ['pod'] },
        (block) => c.collectAll!(block),
      );
      return c.result();
    })(),
    { value: 400 },
  );
  // A sub-aggregation needs each document: the buckets still match.
  const withSub = parseAggregations(
    { a: { terms: { field: 'ns' }, aggs: { s: { max: { field: 'status' } } } } },
    { now: T },
  );
  const a = withSub.create().get('a')!;
  const b = withSub.create().get('a')!;
  await store.search(
    { indices: ['logs'], query: { kind: 'all' }, order: 'none', fields: ['ns', 'status'] },
    (block) => {
      a.collectAll!(block);
      for (let i = 0; i < block.length; i++) b.collect(block, i);
    },
  );
  assert.deepEqual(a.result(), b.result());
  const keys = (a.result().buckets as { key: FieldValue }[]).map((x) => x.key);
  assert.equal(keys.length, 10);
});
