import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openSync, writeSync, closeSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../../../test/harness/temp.js';
import type { ResultBlock } from '../interface.js';
import { PHRASE_YES } from '../../query/filter.js';
import { prefetchBlock } from './block-prefetch.js';
import { hashKey } from './bloom.js';
import { BLOCK_DOCS, pagesOf } from './segment-format.js';
import { SegmentReader } from './segment-reader.js';
import { writeSegment } from './segment-writer.js';
import { searchStore } from './store-search.js';

const T = 1_700_000_000_000;
const RARE_AT = [700, 5000];

/** Words from a fixed pseudo-random sequence: pages that compress to well over 8 KiB. */
function words(seed: number, n: number): string {
  let x = seed * 2654435761 + 1;
  const out: string[] = [];
  for (let k = 0; k < n; k++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out.push((x % 46656).toString(36).padStart(3, 'q'));
  }
  return out.join(' ');
}

function write(path: string, docs = 2 * BLOCK_DOCS) {
  writeSegment(path, {
    index: 'logs',
    length: docs,
    ids: Array.from({ length: docs }, (_, i) => `d-${i}`),
    ms: Array.from({ length: docs }, (_, i) => T + i),
    ns: Array.from({ length: docs }, () => 0),
    source: (i: number) => ({
      message: `${i % 3 === 0 ? 'error' : 'ok'} ${words(i, 20)}${RARE_AT.includes(i) ? ' Kraken' : ''}`,
      level: i % 3 === 0 ? 'error' : 'info',
    }),
    rawBytes: docs * 100,
  });
  return SegmentReader.open(path);
}

const hash = (token: string) => {
  const h = new Uint32Array(2);
  hashKey(token, h);
  return h;
};

const ctx = (reader: SegmentReader) => ({
  live: [{ entry: { index: 'logs' }, reader }],
  parts: [],
  hidden: new Map<string, ReadonlySet<string>>(),
  limits: { maxDocsScanned: Infinity, timeoutMs: 60_000 },
});

const match = (text: string) =>
  ({ kind: 'match', field: { kind: 'any' }, text, phrases: [text.split(' ')] }) as const;

test('read ahead: the pages a rare word is in, decompressed off the main thread, then used by the block', async (t) => {
  const seg = write(join(tempDir(t), 'a.seg'));
  t.after(() => seg.release());
  const entry = seg.footer.blocks[0]!.cols.find(([p]) => seg.footer.paths[p] === 'message')!;
  const pages = pagesOf(entry)!;
  assert.ok(pages.length > 2, `${pages.length} pages`);
  const counter = { bytesRead: 0 };
  const ahead = await prefetchBlock(
    seg,
    0,
    { cols: [entry], tokens: ['kraken'], hashes: [hash('kraken')] },
    counter,
  );
  // The pages holding documents 700 and 5000 were scanned, no other page; what comes back is
  // their marked documents, not the pages.
  const holding = pages.filter((p) => RARE_AT.some((d) => p.start <= d && d < p.start + p.docs));
  assert.equal(holding.length, 2);
  assert.deepEqual(
    [...ahead.scans.keys()].sort((a, b) => a - b),
    holding.map((p) => p.section[0]),
  );
  assert.ok(holding.every((p) => !ahead.sections.has(p.section[0])));
  const page = holding[0]!;
  assert.ok(page.section[1] >= 8 * 1024, `page of ${page.section[1]} bytes`);
  const marked = ahead.marked.get(page.section[0])!;
  assert.ok(marked.bytes.length < 1024, `${marked.bytes.length} bytes of marked documents`);

  // The block finds the word and reads the hits' values from what was read ahead: the pages
  // are not read.
  const opened = { bytesRead: 0 };
  const block = seg.block(0, opened, undefined, ahead);
  const rows = new Uint8Array(block.length);
  const message = block.column('message')!;
  message.findTokens!(['kraken'], rows);
  assert.deepEqual(
    [...rows.keys()].filter((i) => rows[i] === 1),
    RARE_AT,
  );
  const phrase = [Buffer.from('kraken')];
  assert.deepEqual(
    RARE_AT.map((i) => message.phraseIn!(i, phrase)),
    RARE_AT.map(() => PHRASE_YES),
  );
  assert.deepEqual(
    RARE_AT.map((i) => message.values(i)),
    RARE_AT.map((i) => [`${i % 3 === 0 ? 'error' : 'ok'} ${words(i, 20)} Kraken`]),
  );
  assert.ok(opened.bytesRead < page.section[1], `${opened.bytesRead} bytes read`);

  // A document the scan did not mark, in a scanned page: its page is read for it.
  const other = RARE_AT[0]! + 1;
  assert.deepEqual(message.values(other), [
    `${other % 3 === 0 ? 'error' : 'ok'} ${words(other, 20)}`,
  ]);
  assert.ok(opened.bytesRead >= page.section[1], `${opened.bytesRead} bytes read`);
});

test('read ahead: searches find the same documents, in order, as the bytes say', async (t) => {
  const seg = write(join(tempDir(t), 'a.seg'));
  t.after(() => seg.release());
  const hits = async (text: string, order: 'desc' | 'asc' | 'none', limit = Infinity) => {
    const ids: string[] = [];
    await searchStore(
      { indices: ['logs'], query: match(text), order },
      (b: ResultBlock) => {
        for (let i = 0; i < b.length && ids.length < limit; i++) ids.push(b.id(i));
        return ids.length < limit;
      },
      ctx(seg),
    );
    return ids;
  };
  assert.deepEqual(await hits('kraken', 'desc'), ['d-5000', 'd-700']);
  assert.deepEqual(await hits('kraken', 'asc', 1), ['d-700']);
  const errors = await hits('error', 'none');
  assert.equal(errors.length, Math.ceil((2 * BLOCK_DOCS) / 3));
  assert.ok(errors.every((id) => Number(id.slice(2)) % 3 === 0));
  // A word of the random text, in the messages only: found through the pages' bytes.
  const w = words(4242, 20).split(' ')[7]!;
  const expected: string[] = [];
  for (let i = 2 * BLOCK_DOCS - 1; i >= 0; i--) {
    if (words(i, 20).split(' ').includes(w)) expected.push(`d-${i}`);
  }
  assert.ok(expected.length > 0);
  assert.deepEqual(await hits(w, 'desc'), expected);
});

test('read ahead: a section that fails to decompress fails the search when its block opens', async (t) => {
  const dir = tempDir(t);
  const good = write(join(dir, 'a.seg'));
  const entry = good.footer.blocks[0]!.cols.find(([p]) => good.footer.paths[p] === 'message')!;
  // Document 5000 is in block 0; the block is sorted by time, so at row 5000.
  const kraken = pagesOf(entry)!.find((p) => p.start <= 5000 && 5000 < p.start + p.docs)!;
  good.release();
  copyFileSync(join(dir, 'a.seg'), join(dir, 'b.seg'));
  const fd = openSync(join(dir, 'b.seg'), 'r+');
  writeSync(fd, Buffer.alloc(64, 0xff), 0, 64, kraken.section[0] + 8);
  closeSync(fd);
  const bad = SegmentReader.open(join(dir, 'b.seg'));
  t.after(() => bad.release());
  await assert.rejects(
    searchStore({ indices: ['logs'], query: match('kraken'), order: 'desc' }, () => true, ctx(bad)),
    (err: Error) => /decompress|brotli|invalid|corrupt/i.test(err.message),
  );
});

test('read ahead: past a search’s worth of scans in flight, pages are decompressed on the pool, and the block searches them itself', async (t) => {
  const seg = write(join(tempDir(t), 'a.seg'));
  t.after(() => seg.release());
  const entry = seg.footer.blocks[0]!.cols.find(([p]) => seg.footer.paths[p] === 'message')!;
  const plan = { cols: [entry], tokens: ['kraken'], hashes: [hash('kraken')] };
  const all = await Promise.all(
    Array.from({ length: 5 }, () => prefetchBlock(seg, 0, plan, { bytesRead: 0 })),
  );
  const scanned = all.filter((a) => a.scans.size > 0);
  const pooled = all.filter((a) => a.scans.size === 0);
  assert.equal(scanned.length, 3);
  assert.equal(pooled.length, 2);
  for (const ahead of all) {
    if (ahead.scans.size > 0) assert.equal(ahead.marked.size, 2);
    else assert.equal(ahead.sections.size >= 2, true, `${ahead.sections.size} sections`);
    const block = seg.block(0, { bytesRead: 0 }, undefined, ahead);
    const rows = new Uint8Array(block.length);
    block.column('message')!.findTokens!(['kraken'], rows);
    assert.deepEqual(
      [...rows.keys()].filter((i) => rows[i] === 1),
      RARE_AT,
    );
  }
});

test('read ahead for sources: a hit’s id and document come from what was read ahead and scanned', async (t) => {
  const path = join(tempDir(t), 's.seg');
  const docs = BLOCK_DOCS;
  // Ids of random words: their section compresses to more than the 8 KiB read with the small ones.
  const id = (i: number) => `${words(i + 77, 3)}-${i}`;
  const source = (i: number) => ({
    message: `${words(i, 20)}${RARE_AT.includes(i) ? ' Kraken' : ''}`,
    level: i % 3 === 0 ? 'error' : 'info',
    http: { bytes: (i * 7919) % 100_003, path: `/items/${words(i + 5, 1)}` },
  });
  writeSegment(path, {
    index: 'logs',
    length: docs,
    ids: Array.from({ length: docs }, (_, i) => id(i)),
    ms: Array.from({ length: docs }, (_, i) => T + i),
    ns: Array.from({ length: docs }, () => 0),
    source,
    rawBytes: docs * 100,
  });
  const seg = SegmentReader.open(path);
  t.after(() => seg.release());
  const meta = seg.footer.blocks[0]!;
  assert.ok(meta.ids[1] >= 8 * 1024, `ids of ${meta.ids[1]} bytes`);
  const message = meta.cols.filter(([p]) => seg.footer.paths[p] === 'message');
  const plan = { cols: message, tokens: ['kraken'], hashes: [hash('kraken')] };
  for (const sources of [false, true]) {
    const ahead = await prefetchBlock(seg, 0, sources ? { ...plan, sources } : plan, {
      bytesRead: 0,
    });
    assert.equal(ahead.sections.has(meta.ids[0]), sources);
    const opened = { bytesRead: 0 };
    const block = seg.block(0, opened, undefined, ahead);
    for (const i of RARE_AT) {
      assert.equal(block.id(i), id(i));
      assert.deepEqual(block.source(i), source(i));
    }
    // Without the hint the ids, the shapes and the other columns are read when asked for.
    if (sources) assert.equal(opened.bytesRead, 0);
    else assert.ok(opened.bytesRead > meta.ids[1], `${opened.bytesRead} bytes read`);
    block.release();
  }
});
