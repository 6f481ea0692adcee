import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tempDir } from '../../../test/harness/temp.js';
import { openLocalStore, type LocalLogStore } from '../store/local/store.js';
import { compileDsl } from './es-dsl/compile.js';
import { EsQueryError } from './es-dsl/errors.js';
import { mappingResolver } from './es-dsl/fields.js';
import type { FieldResolver } from './leaves.js';
import type { Query } from './query.js';
import { search } from './search.js';
import { timeBounds } from './time-range.js';
import { FIXTURE_DOCS, luceneBody, readCases } from './testdata/fixture.js';

// Runs testdata/lucene-match.txt (query_string text) and testdata/dsl-match.txt (one query
// object per line) against the documents of testdata/docs.json in a real local store, first
// in its memory part and then flushed to a segment. now = 2024-05-06T12:00:00Z, as kql-match.txt.

const NOW = Date.UTC(2024, 4, 6, 12);

const docs = FIXTURE_DOCS;

async function run(store: LocalLogStore, body: unknown, resolve: FieldResolver): Promise<string> {
  let query: Query;
  try {
    query = compileDsl(body, { now: NOW, resolve });
  } catch (err) {
    if (!(err instanceof EsQueryError)) throw err;
    const detail = err.causedBy === undefined ? '' : ` (${err.causedBy.reason})`;
    return `error: ${err.type}: ${err.message}${detail}`.replace(/\. Was expecting .*\)$/, ')');
  }
  const out = await search(store, {
    indices: [],
    query,
    ...timeBounds(query),
    sort: 'asc',
    size: 100,
    trackTotalHits: true,
  });
  const got = new Set(out.hits.map((h) => h.id));
  assert.equal(out.total?.value, got.size);
  const ids = docs.filter((d) => got.has(d._id)).map((d) => d._id);
  if (ids.length === 0) return '(none)';
  return ids.length === docs.length ? '(all)' : ids.join(' ');
}

test('Lucene and query DSL match suites over the local store', async (t) => {
  const store = await openLocalStore(tempDir(t), { inlineJobs: true });
  t.after(() => store.close());
  const written = await store.write(
    docs.map((d) => ({ index: 'logs-test', op: 'create' as const, id: d._id, source: d._source })),
  );
  assert.ok(written.every((r) => r.status === 'created'));
  const suites = [
    { file: 'lucene-match.txt', body: luceneBody, min: 80 },
    { file: 'dsl-match.txt', body: (s: string) => JSON.parse(s) as unknown, min: 50 },
  ];
  for (const phase of ['memory part', 'segment']) {
    if (phase === 'segment') await store.flush();
    const resolve = mappingResolver(await store.mapping([]));
    for (const { file, body, min } of suites) {
      const all = readCases(file);
      assert.ok(all.length >= min, `${file}: ${all.length} cases`);
      const failures: string[] = [];
      for (const { line, input, expected } of all) {
        const got = await run(store, body(input), resolve);
        if (got !== expected) {
          failures.push(`${file}:${line} (${phase}): ${input}\n  want ${expected}\n  got  ${got}`);
        }
      }
      assert.deepEqual(failures, []);
    }
  }
});
