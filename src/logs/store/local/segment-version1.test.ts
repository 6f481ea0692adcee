import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../../../../test/harness/temp.js';
import { SegmentReader } from './segment-reader.js';
import { assertDocuments, assertMergeRewrites, assertTokens } from './testdata/old-segments.js';

// testdata/version1.seg was written by the version 1 writer (before pages, time columns and
// uncompressed frequent-token sections) from the documents of testdata/old-segments.ts.

test('a version 1 segment still reads: sources, times, frequent tokens, blooms', (t) => {
  const seg = SegmentReader.open(fileURLToPath(new URL('testdata/version1.seg', import.meta.url)));
  t.after(() => seg.release());
  assert.equal(seg.footer.version, 1);
  assert.equal(seg.footer.count, 9000);
  const counter = { bytesRead: 0 };
  for (let b = 0; b < seg.footer.blocks.length; b++) {
    const block = seg.block(b, counter);
    assertDocuments(block);
    assertTokens(seg, b, block, 'v1');
  }
});

test('a version 1 segment is not concatenated with newer ones: the merge rewrites them', (t) => {
  assertMergeRewrites(
    t,
    fileURLToPath(new URL('testdata/version1.seg', import.meta.url)),
    'logs-v1',
    tempDir(t),
  );
});
