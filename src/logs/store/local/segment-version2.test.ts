import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../../../../test/harness/temp.js';
import { SegmentReader } from './segment-reader.js';
import { assertDocuments, assertMergeRewrites, assertTokens } from './testdata/old-segments.js';

// testdata/version2.seg was written by the version 2 writer (a2e05b1: sections without a codec
// byte, time deltas always compressed, dictionary codes one byte each) from the documents of
// testdata/old-segments.ts.
const v2Path = fileURLToPath(new URL('testdata/version2.seg', import.meta.url));

test('a version 2 segment still reads: sources, times, pages, dictionaries, frequent tokens', (t) => {
  const seg = SegmentReader.open(v2Path);
  t.after(() => seg.release());
  assert.equal(seg.footer.version, 2);
  assert.equal(seg.footer.count, 9000);
  const counter = { bytesRead: 0 };
  for (let b = 0; b < seg.footer.blocks.length; b++) {
    const block = seg.block(b, counter);
    assertDocuments(block);
    const level = block.column('level')!.dict!;
    for (let i = 0; i < block.length; i++) {
      const k = Number(block.id(i).slice(3));
      assert.equal(level.values[level.codes[i]!], k % 3 === 0 ? 'error' : 'info');
    }
    assertTokens(seg, b, block, 'v2');
  }
  assert.ok(seg.hasId('v2-8999'));
  assert.ok(!seg.hasId('v2-9000'));
});

test('a version 2 segment is not concatenated with newer ones: the merge rewrites them', (t) => {
  assertMergeRewrites(t, v2Path, 'logs-v2', tempDir(t));
});
