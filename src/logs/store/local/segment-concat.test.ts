import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { tempDir } from '../../../../test/harness/temp.js';
import { hashKey } from './bloom.js';
import { concatOrder, concatSegments } from './segment-concat.js';
import { BLOCK_DOCS } from './segment-format.js';
import { SegmentReader } from './segment-reader.js';
import { writeSegment } from './segment-writer.js';

/** `n` documents from `ms0` on, one per ms, with ids `<tag>-<i>` and a path of their own. */
function docs(tag: string, n: number, ms0: number, ns = 0) {
  return {
    index: 'logs',
    length: n,
    ids: Array.from({ length: n }, (_, i) => `${tag}-${i}`),
    ms: Array.from({ length: n }, (_, i) => ms0 + i),
    ns: Array.from({ length: n }, () => ns),
    source: (i: number) => ({
      message: `${tag} line ${i}`,
      [`only.${tag}`]: i,
      level: i % 2 ? 'info' : 'warn',
    }),
    rawBytes: n * 10,
  };
}

function open(dir: string, name: string, input: ReturnType<typeof docs>): SegmentReader {
  const path = join(dir, name);
  writeSegment(path, input, { codec: 'brotli', unindexed: new Set(['only.c']) });
  return SegmentReader.open(path);
}

test('segments that follow each other in time are concatenated: documents, ids, blooms', (t) => {
  const dir = tempDir(t);
  const T = 1_700_000_000_000;
  // Given out of order; `b` starts in the ms where `a` ends, after it by id.
  const c = open(dir, 'c.seg', docs('c', 10, T + BLOCK_DOCS + 500));
  const a = open(dir, 'a.seg', docs('a', BLOCK_DOCS + 100, T));
  const b = open(dir, 'b.seg', docs('b', 300, T + BLOCK_DOCS + 99));
  const order = concatOrder([c, a, b], 'brotli');
  assert.deepEqual(
    order?.map((r) => r.path),
    [a.path, b.path, c.path],
  );
  const out = join(dir, 'm.seg');
  concatSegments(out, order!, 'logs', new Set(['only.c']));
  const m = SegmentReader.open(out);
  assert.equal(m.footer.count, BLOCK_DOCS + 410);
  assert.equal(m.footer.rawBytes, (BLOCK_DOCS + 410) * 10);
  assert.deepEqual(
    m.footer.blocks.map((bl) => bl.count),
    [BLOCK_DOCS, 100, 300, 10],
  );
  const counter = { bytesRead: 0 };
  let prev = -Infinity;
  const seen: string[] = [];
  for (let k = 0; k < m.footer.blocks.length; k++) {
    const block = m.block(k, counter);
    for (let i = 0; i < block.length; i++) {
      assert.ok(block.ms[i]! >= prev);
      prev = block.ms[i]!;
      const id = block.id(i);
      const [tag, n] = id.split('-');
      assert.deepEqual(block.source(i), {
        message: `${tag} line ${n}`,
        [`only.${tag}`]: Number(n),
        level: Number(n) % 2 ? 'info' : 'warn',
      });
      seen.push(id);
    }
  }
  assert.equal(new Set(seen).size, BLOCK_DOCS + 410);
  // Frequent-token sections move with their blocks: `line` is in every message. (The 100- and
  // 10-message blocks have dictionaries instead, which need none.)
  for (const k of [0, 2]) {
    const block = m.block(k, counter);
    const rows = new Uint8Array(block.length);
    assert.equal(block.column('message')!.findTokens!(['line'], rows), true, `block ${k}`);
    assert.ok(
      rows.every((r) => r === 1),
      `block ${k}`,
    );
  }
  assert.ok(m.hasId('b-299') && m.hasId('c-0') && !m.hasId('d-0'));
  // Each block's blooms are its input block's: the same answers, false positives included.
  const from: [SegmentReader, number][] = [
    [a, 0],
    [a, 1],
    [b, 0],
    [c, 0],
  ];
  const h = new Uint32Array(2);
  for (const token of ['a', 'b', 'c', 'line', 'info', '7', 'zzz']) {
    hashKey(token, h);
    for (let k = 0; k < from.length; k++) {
      const [r, rb] = from[k]!;
      assert.deepEqual(m.pathsLackingAny(k, [h]), r.pathsLackingAny(rb, [h]), `${token} ${k}`);
      assert.equal(m.blockMayHaveAll(k, [h]), r.blockMayHaveAll(rb, [h]));
    }
  }
  hashKey('c', h);
  assert.ok(m.blockMayHaveAll(3, [h]));
  // `only.c` is past the field limit: its column is there, its tokens are not indexed.
  assert.ok(m.pathsLackingAny(3, [h]).includes('only.c'));
  for (const r of [a, b, c, m]) r.release();
});

test('segments whose documents interleave, or of another codec, are not concatenated', (t) => {
  const dir = tempDir(t);
  const T = 1_700_000_000_000;
  const a = open(dir, 'a.seg', docs('a', 100, T));
  const overlap = open(dir, 'b.seg', docs('b', 100, T + 50));
  assert.equal(concatOrder([a, overlap], 'brotli'), undefined);
  // The ms and ns of `a`'s last document, but an id before its id (`0-0` < `a-99`).
  const sameMs = open(dir, 'c.seg', docs('0', 1, T + 99));
  assert.equal(concatOrder([a, sameMs], 'brotli'), undefined);
  const later = open(dir, 'd.seg', docs('b', 100, T + 100));
  assert.equal(concatOrder([a, later], 'deflate'), undefined);
  assert.equal(concatOrder([later, a], 'brotli')?.[0], a);
  for (const r of [a, overlap, sameMs, later]) r.release();
});

test('a concatenation finds every id by its bloom, ASCII or not', (t) => {
  const dir = tempDir(t);
  const T = 1_700_000_000_000;
  // Ids hashed from their bytes (ASCII) and from their strings (the rest) must hash alike.
  const a = open(dir, 'a.seg', docs('größe', 200, T));
  const b = open(dir, 'b.seg', docs('b', 200, T + 1000));
  const order = concatOrder([a, b], 'brotli');
  assert.ok(order !== undefined);
  concatSegments(join(dir, 'm.seg'), order, 'logs', new Set());
  const m = SegmentReader.open(join(dir, 'm.seg'));
  t.after(() => {
    for (const r of [a, b, m]) r.release();
  });
  for (let i = 0; i < 200; i++) {
    assert.ok(m.hasId(`größe-${i}`), `größe-${i}`);
    assert.ok(m.hasId(`b-${i}`), `b-${i}`);
  }
  assert.ok(!m.hasId('größe-200') && !m.hasId('b-200'));
});
