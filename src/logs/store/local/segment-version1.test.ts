import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../../../../test/harness/temp.js';
import { hashKey } from './bloom.js';
import { concatOrder } from './segment-concat.js';
import { SegmentReader } from './segment-reader.js';
import { SEGMENT_VERSION } from './segment-format.js';
import { writeSegment } from './segment-writer.js';

// testdata/version1.seg was written by the version 1 writer (before pages, time columns and
// uncompressed frequent-token sections) from these documents.
const T = Date.UTC(2024, 4, 6);
const source = (i: number) => ({
  '@timestamp': new Date(T + i * 1000)
    .toISOString()
    .replace('Z', `${String(i % 1000).padStart(3, '0')}Z`),
  message: `request ${i % 3 === 0 ? 'failed' : 'served'} in ${i % 977} ms${i === 4321 ? ' kraken' : ''}`,
  level: i % 3 === 0 ? 'error' : 'info',
  http: { status: i % 3 === 0 ? 500 : 200 },
  tags: ['a', i % 2 === 0 ? 'even' : 'odd'],
});

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
  const v1 = SegmentReader.open(fileURLToPath(new URL('testdata/version1.seg', import.meta.url)));
  t.after(() => v1.release());
  const path = join(tempDir(t), 'later.seg');
  writeSegment(path, {
    index: 'logs-v1',
    length: 1,
    ids: ['later'],
    ms: [T + 10_000_000],
    ns: [0],
    source: () => ({ message: 'later' }),
    rawBytes: 1,
  });
  const v2 = SegmentReader.open(path);
  t.after(() => v2.release());
  assert.equal(v2.footer.version, SEGMENT_VERSION);
  assert.equal(concatOrder([v1, v2], 'brotli'), undefined);
  assert.deepEqual(concatOrder([v1], 'brotli'), [v1]);
});
