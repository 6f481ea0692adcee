import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../../../../test/harness/temp.js';
import { concatOrder, concatSegments } from './segment-concat.js';
import { SEGMENT_VERSION } from './segment-format.js';
import { SegmentReader } from './segment-reader.js';
import { writeSegment } from './segment-writer.js';
import { assertDocuments, source, T } from './testdata/old-segments.js';

// testdata/version5.seg was written by the version 5 writer of 2a4314b (an id bloom filter, not
// an id set) from old-segments.ts's documents 0 to 2 999, ids `v5-<i>`.
const path = fileURLToPath(new URL('testdata/version5.seg', import.meta.url));
const DOCS = 3000;

test('a version 5 segment answers id lookups from its bloom filter', (t) => {
  const old = SegmentReader.open(path);
  t.after(() => old.release());
  assert.equal(old.footer.version, 5);
  assert.throws(() => old.idSet(), /a version 5 segment has no id set/);
  for (const i of [0, 1, 1234, DOCS - 1]) assert.ok(old.hasId(`v5-${i}`), `v5-${i}`);
  for (const id of [`v5-${DOCS}`, 'v4-0', '']) assert.equal(old.hasId(id), false, id);
  for (let b = 0; b < old.footer.blocks.length; b++)
    assertDocuments(old.block(b, { bytesRead: 0 }));
});

test('a version 5 segment concatenates with a current one into the current version, its ids hashed into the id set', (t) => {
  const dir = tempDir(t);
  const old = SegmentReader.open(path);
  t.after(() => old.release());
  const laterPath = join(dir, 'later.seg');
  const later = ['later-0', 'later-1', 'größe'];
  writeSegment(laterPath, {
    index: 'logs-v5',
    length: later.length,
    ids: later,
    ms: later.map((_, i) => T + 10_000_000 + i),
    ns: later.map(() => 0),
    source: (i) => source(DOCS + i),
    rawBytes: 1,
  });
  const cur = SegmentReader.open(laterPath);
  t.after(() => cur.release());
  const order = concatOrder([cur, old], 'brotli');
  assert.deepEqual(order, [old, cur]);
  const mergedPath = join(dir, 'merged.seg');
  concatSegments(mergedPath, order!, 'logs-v5', new Set());
  const merged = SegmentReader.open(mergedPath);
  t.after(() => merged.release());
  assert.equal(merged.footer.version, SEGMENT_VERSION);
  assert.equal(merged.footer.count, DOCS + later.length);
  assert.equal(merged.idSet().size, DOCS + later.length);
  for (let i = 0; i < DOCS; i += 7) assert.ok(merged.hasId(`v5-${i}`), `v5-${i}`);
  for (const id of later) assert.ok(merged.hasId(id), id);
  for (const id of [`v5-${DOCS}`, 'later-2', 'grosse']) assert.equal(merged.hasId(id), false, id);
  const first = merged.block(0, { bytesRead: 0 });
  assert.equal(first.id(0), 'v5-0');
  assertDocuments(first);
});
