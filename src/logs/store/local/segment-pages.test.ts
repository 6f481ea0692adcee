import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { tempDir } from '../../../../test/harness/temp.js';
import { hashKey } from './bloom.js';
import { concatOrder, concatSegments } from './segment-concat.js';
import { BLOCK_DOCS, frequentSection, PAGE_BYTES, pagesOf } from './segment-format.js';
import { SegmentReader } from './segment-reader.js';
import { writeSegment } from './segment-writer.js';

const T = 1_700_000_000_000;
const RARE_AT = 5000;

/** `n` documents with long messages (the message column is paged), one `kraken` at 5 000. */
function input(tag: string, n: number, ms0: number) {
  const pad = 'x'.repeat(60);
  return {
    index: 'logs',
    length: n,
    ids: Array.from({ length: n }, (_, i) => `${tag}-${i}`),
    ms: Array.from({ length: n }, (_, i) => ms0 + i),
    ns: Array.from({ length: n }, () => 0),
    source: (i: number) => ({
      message: `${tag} common line ${i} ${pad}${i === RARE_AT ? ' kraken' : ''}`,
      level: i % 2 ? 'info' : 'warn',
    }),
    rawBytes: n * 100,
  };
}

function write(dir: string, name: string, docs: ReturnType<typeof input>, unindexed?: string[]) {
  const path = join(dir, name);
  writeSegment(path, docs, { unindexed: new Set(unindexed) });
  return SegmentReader.open(path);
}

const hash = (token: string) => {
  const h = new Uint32Array(2);
  hashKey(token, h);
  return h;
};

test('a large plain column is written as pages: a rare word decompresses one page', (t) => {
  const dir = tempDir(t);
  const seg = write(dir, 'a.seg', input('a', BLOCK_DOCS, T));
  t.after(() => seg.release());
  const entry = seg.footer.blocks[0]!.cols.find(([p]) => seg.footer.paths[p] === 'message')!;
  const pages = pagesOf(entry)!;
  assert.ok(pages.length >= Math.floor((BLOCK_DOCS * 80) / PAGE_BYTES), `${pages.length} pages`);
  assert.equal(
    pages.reduce((n, p) => n + p.docs, 0),
    BLOCK_DOCS,
  );
  const level = seg.footer.blocks[0]!.cols.find(([p]) => seg.footer.paths[p] === 'level')!;
  assert.equal(pagesOf(level), undefined);

  // The rare word: one page's bloom has it, the byte search finds its document.
  assert.ok(seg.blockMayHaveAll(0, [hash('kraken')]));
  assert.ok(!seg.pathsLackingAny(0, [hash('kraken')]).includes('message'));
  assert.deepEqual(seg.pathsLackingAny(0, [hash('a'), hash('kraken')]), ['level']);
  const counter = { bytesRead: 0 };
  const block = seg.block(0, counter);
  const timeBytes = counter.bytesRead;
  const rows = new Uint8Array(block.length);
  assert.equal(block.column('message')!.findTokens!(['kraken'], rows), false);
  assert.deepEqual(
    [...rows.keys()].filter((i) => rows[i] === 1),
    [RARE_AT],
  );
  const page = pages.find((p) => p.start <= RARE_AT && RARE_AT < p.start + p.docs)!;
  // Its page and the frequent-token section (asked first) were read, no other page.
  const freq = frequentSection(entry)!;
  assert.equal(counter.bytesRead - timeBytes, page.section[1] + freq[1]);

  // A frequent word comes from the block's frequent-token section, exactly.
  const all = new Uint8Array(block.length);
  assert.equal(block.column('message')!.findTokens!(['common'], all), true);
  assert.ok(all.every((r) => r === 1));

  // Every document reads back whole, from whichever page holds it.
  for (let i = 0; i < block.length; i += 997) {
    assert.deepEqual(block.source(i), input('a', BLOCK_DOCS, T).source(i));
  }
});

test('paged columns survive concatenation; a column past the field limit loses page blooms', (t) => {
  const dir = tempDir(t);
  const a = write(dir, 'a.seg', input('a', BLOCK_DOCS, T));
  const b = write(dir, 'b.seg', input('b', BLOCK_DOCS, T + BLOCK_DOCS));
  t.after(() => [a, b].forEach((r) => r.release()));
  const order = concatOrder([b, a], 'brotli')!;
  const out = join(dir, 'm.seg');
  concatSegments(out, order, 'logs', new Set());
  const m = SegmentReader.open(out);
  t.after(() => m.release());
  for (let k = 0; k < 2; k++) {
    const block = m.block(k, { bytesRead: 0 });
    const rows = new Uint8Array(block.length);
    block.column('message')!.findTokens!(['kraken'], rows);
    assert.deepEqual(
      [...rows.keys()].filter((i) => rows[i] === 1),
      [RARE_AT],
    );
    assert.equal(block.id(RARE_AT), `${k === 0 ? 'a' : 'b'}-${RARE_AT}`);
    assert.deepEqual(block.source(77), input(k === 0 ? 'a' : 'b', BLOCK_DOCS, 0).source(77));
    assert.deepEqual(m.pathsLackingAny(k, [hash('kraken')]), ['level']);
  }

  const hidden = join(dir, 'h.seg');
  concatSegments(hidden, order, 'logs', new Set(['message']));
  const h = SegmentReader.open(hidden);
  t.after(() => h.release());
  const entry = h.footer.blocks[0]!.cols.find(([p]) => h.footer.paths[p] === 'message')!;
  assert.ok(pagesOf(entry)!.every((p) => p.bloom[1] === 0));
  assert.ok(!h.blockMayHaveAll(0, [hash('kraken')]));
  assert.deepEqual(h.block(1, { bytesRead: 0 }).source(3), input('b', BLOCK_DOCS, 0).source(3));
});
