import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { tempDir } from '../../../../test/harness/temp.js';
import { compileFilter } from '../../query/filter/compile.js';
import { compileKql } from '../../query/kql/compile.js';
import { parse } from '../../query/kql/parse.js';
import { FIXTURE_DOCS, readCases } from '../../query/testdata/fixture.js';
import { SegmentReader } from './segment-reader.js';
import { writeSegment } from './segment-writer.js';

const NOW = Date.UTC(2024, 4, 6, 12);

// The query suite's documents in a segment: the filters then read stored columns (lazily
// decoded values, token search in the bytes, sources rebuilt for nested queries) instead of
// objects, and must give the same answers.
test('testdata/kql-match.txt over a segment block: the same documents match', (t) => {
  const path = join(tempDir(t), 'fixture.seg');
  const n = FIXTURE_DOCS.length;
  writeSegment(path, {
    index: 'fixture',
    length: n,
    ids: FIXTURE_DOCS.map((d) => d._id),
    ms: FIXTURE_DOCS.map((_, i) => NOW + i),
    ns: FIXTURE_DOCS.map(() => 0),
    sources: FIXTURE_DOCS.map((d) => d._source),
    rawBytes: 1,
  });
  const seg = SegmentReader.open(path);
  t.after(() => seg.release());
  assert.equal(seg.footer.blocks.length, 1);
  const failures: string[] = [];
  for (const { line, input, expected } of readCases('kql-match.txt')) {
    if (expected.startsWith('error: ')) continue;
    const filter = compileFilter(compileKql(parse(input), { now: NOW, query: input }));
    const block = seg.block(0, { bytesRead: 0 });
    const bits = new Uint8Array(block.length).fill(1);
    filter.apply(block, bits);
    const hits = new Set<string>();
    for (let i = 0; i < block.length; i++) if (bits[i] === 1) hits.add(block.id(i));
    const ids = FIXTURE_DOCS.map((d) => d._id).filter((id) => hits.has(id));
    const got = ids.length === 0 ? '(none)' : ids.length === n ? '(all)' : ids.join(' ');
    if (got !== expected)
      failures.push(`kql-match.txt:${line}: ${input}\n  want ${expected}\n  got  ${got}`);
  }
  assert.deepEqual(failures, []);
});
