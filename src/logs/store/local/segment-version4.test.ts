import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../../../../test/harness/temp.js';
import { compileFilter } from '../../query/filter/compile.js';
import { tokenize } from '../../model/tokenize.js';
import type { Query } from '../../query/query.js';
import { SEGMENT_VERSION } from './segment-format.js';
import { SegmentReader } from './segment-reader.js';
import { writeSegment } from './segment-writer.js';
import { assertMergeRewrites, source, T } from './testdata/old-segments.js';

// testdata/version4.seg was written by the version 4 writer of d494cb5 (before dictionaries
// with 16-bit codes) from the documents below, ids `v4-<i>`: its 400 pods, drawn at random,
// repeat but are more than a byte codes, so version 4 wrote them plain and version 5 writes a
// wide dictionary.
const path = fileURLToPath(new URL('testdata/version4.seg', import.meta.url));
const DOCS = 9000;
const doc = (i: number) => ({
  ...source(i),
  kubernetes: { pod: `pod-${(Math.imul(i, 0x9e3779b1) >>> 0) % 400}` },
});

const match = (text: string, field: string): Query => ({
  kind: 'match',
  field: { kind: 'path', path: field },
  text,
  phrases: [tokenize(text)],
});

/** The ids of `seg` that `query` matches, block by block. */
function ids(seg: SegmentReader, query: Query): string[] {
  const out: string[] = [];
  for (let b = 0; b < seg.footer.blocks.length; b++) {
    const block = seg.block(b, { bytesRead: 0 });
    const bits = new Uint8Array(block.length).fill(1);
    compileFilter(query).apply(block, bits);
    for (let i = 0; i < block.length; i++) if (bits[i] === 1) out.push(block.id(i));
    block.release();
  }
  return out.sort();
}

test('a version 4 segment reads as this build writes the same documents, pods plain there', (t) => {
  const old = SegmentReader.open(path);
  t.after(() => old.release());
  const curPath = join(tempDir(t), 'current.seg');
  const all = Array.from({ length: DOCS }, (_, i) => `v4-${i}`);
  writeSegment(curPath, {
    index: 'logs-v4',
    length: DOCS,
    ids: all,
    ms: all.map((_, i) => T + i * 1000),
    ns: all.map((_, i) => (i % 1000) * 1000),
    source: doc,
    rawBytes: 1,
  });
  const cur = SegmentReader.open(curPath);
  t.after(() => cur.release());
  assert.equal(old.footer.version, 4);
  assert.equal(cur.footer.version, SEGMENT_VERSION);
  const oldPods = old.block(0, { bytesRead: 0 }).column('kubernetes.pod')!;
  const curPods = cur.block(0, { bytesRead: 0 }).column('kubernetes.pod')!;
  assert.equal(oldPods.dict, undefined);
  assert.ok(curPods.dict !== undefined && curPods.dict.codeBytes === undefined);
  for (let b = 0; b < old.footer.blocks.length; b++) {
    const block = old.block(b, { bytesRead: 0 });
    for (let i = 0; i < block.length; i++) {
      const k = Number(block.id(i).slice(3));
      assert.equal(block.ms[i], T + k * 1000);
      assert.deepEqual(block.source(i), doc(k));
    }
  }
  for (const q of [
    match('pod-17', 'kubernetes.pod'),
    match('pod', 'kubernetes.pod'),
    match('kraken', 'message'),
    match('failed', 'message'),
  ]) {
    const want = ids(cur, q);
    assert.ok(want.length > 0, JSON.stringify(q));
    assert.deepEqual(ids(old, q), want, JSON.stringify(q));
  }
});

test('a version 4 segment is not concatenated with newer ones: the merge rewrites them', (t) => {
  assertMergeRewrites(t, path, 'logs-v4', tempDir(t));
});
