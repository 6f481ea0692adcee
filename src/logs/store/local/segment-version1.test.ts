import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../../../../test/harness/temp.js';
import { hashKey } from './bloom.js';
import { SegmentReader } from './segment-reader.js';
import { assertMergeRewrites, source, T } from './testdata/old-segments.js';

// testdata/version1.seg was written by the version 1 writer (before pages, time columns and
// uncompressed frequent-token sections) from the documents of testdata/old-segments.ts.

test('a version 1 segment still reads: sources, times, frequent tokens, blooms', (t) => {
  const seg = SegmentReader.open(fileURLToPath(new URL('testdata/version1.seg', import.meta.url)));
  t.after(() => seg.release());
  assert.equal(seg.footer.version, 1);
  assert.equal(seg.footer.count, 9000);
  const counter = { bytesRead: 0 };
  const h = new Uint32Array(2);
  hashKey('kraken', h);
  for (let b = 0; b < seg.footer.blocks.length; b++) {
    const block = seg.block(b, counter);
    for (let i = 0; i < block.length; i++) {
      const k = Number(block.id(i).slice(3));
      assert.equal(block.ms[i], T + k * 1000);
      assert.equal(block.ns[i], (k % 1000) * 1000);
      assert.deepEqual(block.source(i), source(k));
    }
    const rows = new Uint8Array(block.length);
    // `failed` is in a third of the messages: answered from the frequent-token section.
    assert.equal(block.column('message')!.findTokens!(['failed'], rows), true);
    for (let i = 0; i < block.length; i++) {
      assert.equal(rows[i], Number(block.id(i).slice(3)) % 3 === 0 ? 1 : 0);
    }
    const rare = new Uint8Array(block.length);
    block.column('message')!.findTokens!(['kraken'], rare);
    const found = [...rare.keys()].filter((i) => rare[i] === 1).map((i) => block.id(i));
    assert.deepEqual(found, b === 0 ? ['v1-4321'] : []);
    if (b === 0) assert.ok(seg.blockMayHaveAll(b, [h]));
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
