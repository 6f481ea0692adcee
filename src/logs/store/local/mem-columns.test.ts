import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DocColumns } from '../../query/filter/doc-columns.js';
import { parseTime } from '../../model/timestamp.js';
import { IndexMapping } from './mapping.js';
import { MemChunk } from './mem-block.js';
import { MemIndex } from './memory-part.js';

const T = Date.UTC(2026, 10, 29, 20, 0, 0);

/** Document `i`: coded and uncoded `@timestamp`s, nesting, arrays, conflicts, rare paths. */
function source(i: number): Record<string, unknown> {
  const at = new Date(T - (i % 97) * 1000 + i).toISOString();
  const stamps = [
    at,
    at.replace(/\.\d+Z$/, 'Z'),
    at.replace('Z', '123456Z'),
    at.replace('Z', '000789Z'),
    at.replace('Z', '+00:00'),
    T + i,
  ];
  const d: Record<string, unknown> = {
    '@timestamp': stamps[i % stamps.length],
    message: `request ${i} ${i % 3 === 0 ? 'failed' : 'served'}`,
    kubernetes: { namespace: `ns-${i % 7}`, labels: { app: i % 2 === 0 ? 'web' : 'api' } },
    trace_id: `t${(i * 2654435761) >>> 0}`,
    status: i % 5 === 0 ? '500' : 200,
    tags: i % 4 === 0 ? ['a', 'b', i] : [],
    ok: i % 2 === 0,
  };
  if (i % 11 === 0) d['kubernetes.pod'] = `pod-${i}`;
  if (i % 13 === 0) d.spans = [{ name: 'db', ms: i }, { name: 'http' }];
  if (i % 17 === 0) delete d['@timestamp'];
  if (i % 19 === 0) d['@timestamp'] = [at, 'not a time'];
  return d;
}

test('a memory chunk gives the columns its documents would give, without parsing them', () => {
  const mem = new MemIndex();
  const mapping = new IndexMapping();
  const n = 3000;
  for (let i = 0; i < n; i++) {
    const d = source(i);
    const json = JSON.stringify(d);
    const stamp = d['@timestamp'];
    const t = parseTime(stamp);
    mem.add(`id-${i}`, t?.ms ?? T, t?.ns ?? 0, d, json, json.length, mapping);
  }
  for (const [start, end] of [
    [0, 1024],
    [1024, 2900],
    [2900, n],
  ] as const) {
    const chunk = new MemChunk(mem, start, end);
    const docs = [...chunk.rows].map((r) => JSON.parse(mem.texts[r]!) as Record<string, unknown>);
    const expected = new DocColumns(docs);
    assert.deepEqual([...chunk.cols.paths()].sort(), [...expected.paths()].sort());
    for (const path of [...expected.paths(), 'absent']) {
      const got = chunk.cols.column(path);
      const want = expected.column(path);
      assert.equal(got === undefined, want === undefined, path);
      for (let i = 0; i < chunk.length; i++) {
        assert.deepEqual(got?.values(i), want?.values(i), `${path} of document ${i}`);
      }
      assert.equal(got?.dict === undefined, want?.dict === undefined, `${path}: dictionary`);
    }
    for (const i of [0, chunk.length - 1]) assert.deepEqual(chunk.cols.source(i), docs[i]);
  }
  // The `@timestamp`s went as time codes (else this test would not test them).
  assert.ok([1, 2, 3, 6].every((r) => mem.cols.timeCode(r) !== 0));
});
