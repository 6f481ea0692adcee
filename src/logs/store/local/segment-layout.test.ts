import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { tempDir } from '../../../../test/harness/temp.js';
import type { Query } from '../../query/query.js';
import type { ResultBlock } from '../interface.js';
import { prefetchBlock } from './block-prefetch.js';
import { hashKey } from './bloom.js';
import { frequentSection, SEGMENT_MAGIC, type Section } from './segment-format.js';
import { SegmentReader } from './segment-reader.js';
import { writeSegment } from './segment-writer.js';
import { searchStore } from './store-search.js';
import { assertDocuments, assertMergeRewrites, source, T } from './testdata/old-segments.js';

// testdata/version3-order1.seg was written by the version 3 writer of 48ba8fe, which began each
// block with its time section and wrote each frequent-token section after its column, from the
// documents of testdata/old-segments.ts (ids `v3-<i>`).
const order1Path = fileURLToPath(new URL('testdata/version3-order1.seg', import.meta.url));
const DOCS = 9000;

/** The documents of testdata/version3-order1.seg, written by this build. */
function writeCurrent(dir: string): SegmentReader {
  const path = join(dir, 'current.seg');
  const ids = Array.from({ length: DOCS }, (_, i) => `v3-${i}`);
  writeSegment(path, {
    index: 'logs-v3',
    length: DOCS,
    ids,
    ms: ids.map((_, i) => T + i * 1000),
    ns: ids.map((_, i) => (i % 1000) * 1000),
    source,
    rawBytes: 1,
  });
  return SegmentReader.open(path);
}

const match = (text: string, path?: string): Query => ({
  kind: 'match',
  field: path === undefined ? { kind: 'any' } : { kind: 'path', path },
  text,
  phrases: [text.split(' ')],
});

/** The ids and ms `query` finds in `seg`, in `order`, through the store's search (read-ahead). */
async function found(seg: SegmentReader, query: Query, order: 'desc' | 'none'): Promise<string[]> {
  const out: string[] = [];
  await searchStore(
    { indices: ['logs-*'], query, order },
    (b: ResultBlock) => {
      for (let i = 0; i < b.length; i++) out.push(`${b.id(i)}@${b.ms[i]}`);
    },
    {
      live: [{ entry: { index: 'logs-v3' }, reader: seg }],
      parts: [],
      hidden: new Map(),
      limits: { maxDocsScanned: Infinity, timeoutMs: 60_000 },
    },
  );
  return out;
}

test('a block ends with its dictionary columns, then its frequent-token sections, then its time section, end to end', (t) => {
  const seg = writeCurrent(tempDir(t));
  t.after(() => seg.release());
  const { blocks, paths } = seg.footer;
  assert.equal(blocks.length, 2);
  let blockStart = SEGMENT_MAGIC.length;
  for (let b = 0; b < blocks.length; b++) {
    const meta = blocks[b]!;
    const block = seg.block(b, { bytesRead: 0 });
    const dicts: Section[] = [];
    const frequents: Section[] = [];
    for (const c of meta.cols) {
      if (block.column(paths[c[0]]!)!.dict !== undefined) dicts.push([c[1], c[2]]);
      const f = frequentSection(c);
      if (f !== undefined) frequents.push(f);
    }
    // level, http.status; message and tags have frequent tokens.
    assert.equal(dicts.length, 2);
    assert.equal(frequents.length, 2);
    const tail = [...dicts, ...frequents, meta.time];
    const tailStart = tail[0]![0];
    let at = tailStart;
    for (const [off, len] of tail) {
      assert.equal(off, at, `block ${b}: section at ${off}, expected at ${at}`);
      at += len;
    }
    const next: number = b + 1 < blocks.length ? blocks[b + 1]!.ids[0] : seg.footer.blooms[0];
    assert.equal(at, next, `block ${b} ends with its time section`);
    // The rest of the block comes before: ids first.
    assert.equal(meta.ids[0], blockStart);
    for (const c of meta.cols) {
      if (!dicts.some(([off]) => off === c[1])) assert.ok(c[1] + c[2] <= tailStart);
    }
    blockStart = at;
  }
});

test('the read-ahead fetches a block’s ms, frequent-token sections and small columns with one read', async (t) => {
  const seg = writeCurrent(tempDir(t));
  t.after(() => seg.release());
  const meta = seg.footer.blocks[0]!;
  const h = new Uint32Array(2);
  hashKey('failed', h);
  // What a search for `failed` on any field reads: the columns whose blooms may hold it.
  const cols = meta.cols.filter(([pi]) => ['level', 'message'].includes(seg.footer.paths[pi]!));
  const counter = { bytesRead: 0 };
  const ahead = await prefetchBlock(seg, 0, { cols, tokens: ['failed'], hashes: [h] }, counter);
  assert.equal(ahead.buffers.length, 1);
  assert.ok(ahead.raw.has(cols.find((c) => c.length === 5)![1]));
  assert.ok(ahead.raw.has(meta.time[0]));
  const f = frequentSection(cols.find((c) => c.length > 5)!)!;
  assert.equal(ahead.raw.get(f[0])?.length, f[1]);
  // The block takes its times, the level dictionary and the frequent tokens from that read.
  const opened = { bytesRead: 0 };
  const block = seg.block(0, opened, undefined, ahead);
  assert.equal(block.ms[5], T + 5000);
  const level = block.column('level')!.dict!;
  assert.equal(level.values[level.codes[3]!], 'error');
  const rows = new Uint8Array(block.length);
  assert.equal(block.column('message')!.findTokens!(['failed'], rows), true);
  assert.equal(
    rows.reduce((a, r) => a + r, 0),
    Math.ceil(block.length / 3),
  );
  assert.equal(opened.bytesRead, 0);
  block.release();
});

test('a version 3 segment in the first order (time section first) reads as one in the current order', async (t) => {
  const old = SegmentReader.open(order1Path);
  t.after(() => old.release());
  const cur = writeCurrent(tempDir(t));
  t.after(() => cur.release());
  assert.equal(old.footer.version, 3);
  assert.equal(old.footer.blocks[0]!.time[0], SEGMENT_MAGIC.length);
  assert.notEqual(cur.footer.blocks[0]!.time[0], SEGMENT_MAGIC.length);
  for (let b = 0; b < old.footer.blocks.length; b++) {
    assertDocuments(old.block(b, { bytesRead: 0 }));
  }
  const queries: [Query, 'desc' | 'none'][] = [
    [match('failed'), 'none'],
    [match('error', 'level'), 'none'],
    [match('kraken'), 'desc'],
    [match('served in 12 ms'), 'desc'],
  ];
  for (const [q, order] of queries) {
    const want = await found(cur, q, order);
    assert.ok(want.length > 0, JSON.stringify(q));
    assert.deepEqual(await found(old, q, order), want, JSON.stringify(q));
  }
  assert.equal((await found(old, match('failed'), 'none')).length, DOCS / 3);
  assert.deepEqual(await found(old, match('kraken'), 'desc'), [`v3-4321@${T + 4321_000}`]);
});

test('a version 3 segment is not concatenated with newer ones: the merge rewrites them', (t) => {
  assertMergeRewrites(t, order1Path, 'logs-v3', tempDir(t));
});
