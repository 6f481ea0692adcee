import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { tempDir } from '../../../../test/harness/temp.js';
import { forEachField } from '../../model/fields.js';
import { compileDsl } from '../../query/es-dsl/compile.js';
import { EsQueryError } from '../../query/es-dsl/errors.js';
import { mappingResolver } from '../../query/es-dsl/fields.js';
import { compileFilter } from '../../query/filter/compile.js';
import { compileKql } from '../../query/kql/compile.js';
import { parse } from '../../query/kql/parse.js';
import type { Query } from '../../query/query.js';
import { FIXTURE_DOCS, luceneBody, readCases } from '../../query/testdata/fixture.js';
import { pagesOf } from './segment-format.js';
import { SegmentReader } from './segment-reader.js';
import { writeSegment } from './segment-writer.js';
import { openLocalStore } from './store.js';

const NOW = Date.UTC(2024, 4, 6, 12);
const FILLER = 'filler';

/**
 * The fixture as one segment block, `copies` times over (copy `c` of a document has id
 * `<id>#<c>`). With `plain`, a filler document holding two values under every path makes every
 * column plain instead of a dictionary, so the filters read lazily decoded values and search
 * the bytes for tokens; with copies enough, every token is also frequent in the block and a
 * one-word match is answered from the frequent-token sections. The filler is left out of the
 * answers.
 */
function fixtureBlock(
  dir: string,
  plain: boolean,
  copies: number,
  pageBytes?: number,
  distinct = 0,
) {
  const sources = Array.from({ length: copies }, () => FIXTURE_DOCS.map((d) => d._source)).flat();
  const ids = Array.from({ length: copies }, (_, c) =>
    FIXTURE_DOCS.map((d) => `${d._id}#${c}`),
  ).flat();
  const paths = new Set<string>();
  for (const s of sources) forEachField(s, (path) => paths.add(path));
  if (plain) {
    const filler: Record<string, unknown> = {};
    for (const p of paths) filler[p] = ['-', '~'];
    sources.push(filler);
    ids.push(FILLER);
  }
  // `distinct` fillers with a value of their own under every path: columns of more distinct
  // values than a byte codes, which become 16-bit dictionaries when they repeat enough.
  for (let k = 0; k < distinct; k++) {
    sources.push(Object.fromEntries([...paths].map((p) => [p, `~${k}`])));
    ids.push(FILLER);
  }
  const path = join(dir, `fixture-${plain}-${copies}-${pageBytes}-${distinct}.seg`);
  writeSegment(
    path,
    {
      index: 'fixture',
      length: sources.length,
      ids,
      ms: sources.map((_, i) => NOW + i),
      ns: sources.map(() => 0),
      source: (row) => sources[row]!,
      rawBytes: 1,
    },
    { pageBytes },
  );
  const seg = SegmentReader.open(path);
  assert.equal(seg.footer.blocks.length, 1);
  return { seg, block: seg.block(0, { bytesRead: 0 }) };
}

/**
 * The ids `query` matches in `block`, as the data files write them; every copy of a document
 * must agree.
 */
function answer(query: Query, block: ReturnType<typeof fixtureBlock>['block']): string {
  const bits = new Uint8Array(block.length).fill(1);
  compileFilter(query).apply(block, bits);
  const hits = new Map<string, number>();
  for (let i = 0; i < block.length; i++) {
    const id = block.id(i).split('#')[0]!;
    if (bits[i] === 1) hits.set(id, (hits.get(id) ?? 0) + 1);
  }
  const counts = new Set([...hits].filter(([id]) => id !== FILLER).map(([, n]) => n));
  if (counts.size > 1) return `copies disagree: ${JSON.stringify([...hits])}`;
  const ids = FIXTURE_DOCS.map((d) => d._id).filter((id) => hits.has(id));
  if (ids.length === 0) return '(none)';
  return ids.length === FIXTURE_DOCS.length ? '(all)' : ids.join(' ');
}

// The query suites run over objects (kql-match.test.ts) and through the store's API
// (es-match.test.ts); here they run over stored columns directly, in every encoding.
test('the KQL, Lucene and DSL suites over a segment block: dictionary, plain, frequent-token and paged columns', async (t) => {
  const dir = tempDir(t);
  const store = await openLocalStore(join(dir, 'store'), { inlineJobs: true });
  await store.write(
    FIXTURE_DOCS.map((d) => ({ index: 'fixture', op: 'create' as const, source: d._source })),
  );
  const resolve = mappingResolver(await store.mapping([]));
  await store.close();
  const suites = [
    {
      file: 'kql-match.txt',
      query: (s: string) => compileKql(parse(s), { now: NOW, query: s }),
    },
    {
      file: 'lucene-match.txt',
      query: (s: string) => compileDsl(luceneBody(s), { now: NOW, resolve }),
    },
    {
      file: 'dsl-match.txt',
      query: (s: string) => compileDsl(JSON.parse(s), { now: NOW, resolve }),
    },
  ];
  // Pages of a few documents each: every plain column is paged, so the filters read values and
  // search tokens page by page (blooms of pages without a token skip them).
  for (const [plain, copies, pageBytes, distinct] of [
    [false, 1, undefined, 0],
    [true, 1, undefined, 0],
    [true, 40, undefined, 0],
    [true, 1, 64, 0],
    [true, 40, 256, 0],
    [false, 130, undefined, 300],
  ] as const) {
    const { seg, block } = fixtureBlock(dir, plain, copies, pageBytes, distinct);
    t.after(() => seg.release());
    if (plain) assert.equal(block.column('message')?.dict, undefined);
    if (distinct > 0) {
      const dict = block.column('message')?.dict;
      assert.ok(dict !== undefined && dict.values.length > 300 && dict.codeBytes === undefined);
    }
    if (pageBytes !== undefined) {
      const cols = seg.footer.blocks[0]!.cols;
      assert.ok(cols.filter((c) => (pagesOf(c)?.length ?? 0) > 1).length >= 5, 'paged columns');
    }
    const failures: string[] = [];
    for (const { file, query } of suites) {
      for (const { line, input, expected } of readCases(file)) {
        if (expected.startsWith('error: ')) continue;
        let q: Query;
        try {
          q = query(input);
        } catch (err) {
          if (err instanceof EsQueryError) continue;
          throw err;
        }
        const got = answer(q, block);
        if (got !== expected) {
          failures.push(
            `${file}:${line} (plain ${plain}, copies ${copies}, pages of ${pageBytes}, distinct ${distinct}): ${input}\n  want ${expected}\n  got  ${got}`,
          );
        }
      }
    }
    assert.deepEqual(failures, []);
  }
});
