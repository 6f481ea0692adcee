import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Labels } from '../../model/labels.js';
import type { ChunkMeta } from '../chunks/format.js';
import { IndexCorruptError, IndexWriteError } from './errors.js';
import { IndexReader } from './index-reader.js';
import { IndexWriter } from './index-writer.js';
import { compareUtf8 } from '../../../lib/strings/utf8-order.js';
import { tempDir } from '../../../../test/harness/temp.js';

interface Fixture {
  labels: Labels;
  chunks: ChunkMeta[];
}

/**
 * 200 series over 3 metric names; `inst` has 100 values (more than the 32-entry sampling
 * step), some non-ASCII — an emoji and U+FFFD sort differently in UTF-8 and UTF-16 — and a few
 * long enough to push the symbol and postings tables past the writer's 1 MiB flush size.
 */
function fixture(): Fixture[] {
  const odd = ['\u{1F600}', '\uFFFD', 'kü', '中文'];
  const out: Fixture[] = [];
  for (let i = 0; i < 200; i++) {
    const inst =
      i % 100 < 4
        ? odd[i % 100]!
        : i % 100 < 8
          ? `long-${i % 100}-`.padEnd(300_000, 'x')
          : `host-${i % 100}`;
    const labels = Labels.fromRecord({
      __name__: ['cpu', 'mem', 'up'][i % 3]!,
      inst,
      ...(i % 2 === 0 ? { zone: `z${i % 5}` } : {}),
    });
    const chunks: ChunkMeta[] = [];
    let t = -5000 + i * 1000;
    for (let c = 0; c < i % 4; c++) {
      chunks.push({ mint: t, maxt: t + 999 * c, ref: 8 + i * 1000 + c * 200 });
      t += 1000 * c + 2 ** 33;
    }
    out.push({ labels, chunks });
  }
  return out.sort((a, b) => a.labels.compare(b.labels));
}

function writeIndex(path: string, series: Fixture[]): number[] {
  const symbols = new Set<string>();
  for (const s of series) s.labels.forEach((n, v) => void symbols.add(n).add(v));
  const w = new IndexWriter(path);
  w.addSymbols([...symbols].sort(compareUtf8));
  const refs = series.map((s) => w.addSeries(s.labels, s.chunks));
  w.close();
  return refs;
}

test('an index round-trips symbols, series, postings and label values', (t) => {
  const path = join(tempDir(t, 'vigil-index-'), 'index');
  const series = fixture();
  const refs = writeIndex(path, series);
  const ix = IndexReader.open(path);
  t.after(() => ix.close());

  const symbols = [...ix.symbols()];
  assert.deepEqual(symbols, [...symbols].sort(compareUtf8));
  assert.equal(ix.symbolCount, symbols.length);
  assert.equal(ix.symbol(0), symbols[0]);
  assert.throws(() => ix.symbol(symbols.length), RangeError);

  assert.deepEqual(ix.labelNames(), ['__name__', 'inst', 'zone']);
  assert.deepEqual(ix.labelValues('__name__'), ['cpu', 'mem', 'up']);
  const inst = ix.labelValues('inst');
  assert.equal(inst.length, 100);
  assert.deepEqual(inst, [...inst].sort(compareUtf8));
  assert.deepEqual(inst.slice(-2), ['\uFFFD', '\u{1F600}']);
  assert.deepEqual(ix.labelValues('nope'), []);

  assert.deepEqual([...ix.allPostings()], refs);
  series.forEach((s, i) => {
    const got = ix.series(refs[i]!);
    assert.equal(got.labels.key, s.labels.key);
    assert.deepEqual(got.chunks, s.chunks);
  });
  // Every value of every name, found through the sampled offset table.
  for (const name of ix.labelNames()) {
    for (const value of ix.labelValues(name)) {
      const want = refs.filter((_, i) => series[i]!.labels.get(name) === value);
      assert.deepEqual([...ix.postings(name, value)], want, `${name}=${value.slice(0, 20)}`);
    }
  }
  assert.equal(ix.postings('inst', 'host-500').length, 0);
  assert.equal(ix.postings('inst', '').length, 0);
  assert.equal(ix.postings('inst', '\u{1F601}').length, 0);
  assert.equal(ix.postings('zz', 'a').length, 0);
  assert.ok(refs.every((r) => (r * 16) % 16 === 0 && r * 16 >= ix.toc.series));
});

test('an index without series is valid and empty', (t) => {
  const path = join(tempDir(t, 'vigil-index-'), 'index');
  new IndexWriter(path).close();
  const ix = IndexReader.open(path);
  t.after(() => ix.close());
  assert.equal(ix.symbolCount, 0);
  assert.deepEqual(ix.labelNames(), []);
  assert.equal(ix.allPostings().length, 0);
});

test('the writer refuses input out of order or outside its symbols', (t) => {
  const dir = tempDir(t, 'vigil-index-');
  const l = (r: Record<string, string>) => Labels.fromRecord(r);
  const f = (name: string, run: (w: IndexWriter) => void, reason: RegExp) => {
    const w = new IndexWriter(join(dir, name));
    assert.throws(
      () => run(w),
      (err) =>
        err instanceof IndexWriteError && reason.test(err.reason) && err.file === join(dir, name),
      name,
    );
    w.abort();
  };
  f('symbols', (w) => w.addSymbols(['b', 'a']), /"a" is not after "b"/);
  f('dup symbols', (w) => w.addSymbols(['a', 'a']), /not after/);
  f('utf8 order', (w) => w.addSymbols(['\u{1F600}', '\uFFFD']), /not after/);
  f(
    'twice',
    (w) => {
      w.addSymbols(['a']);
      w.addSymbols(['a']);
    },
    /once, before any series/,
  );
  f(
    'unknown',
    (w) => (w.addSymbols(['a']), w.addSeries(l({ a: 'b' }), [])),
    /"b" is not in the symbol table/,
  );
  f('empty', (w) => w.addSeries(Labels.EMPTY, []), /no labels/);
  f(
    'series order',
    (w) => {
      w.addSymbols(['1', '2', 'a']);
      w.addSeries(l({ a: '2' }), []);
      w.addSeries(l({ a: '1' }), []);
    },
    /\{a="1"\} is not after \{a="2"\}/,
  );
  const chunks = (w: IndexWriter, c: ChunkMeta[]) => (
    w.addSymbols(['a']),
    w.addSeries(l({ a: 'a' }), c)
  );
  f('maxt<mint', (w) => chunks(w, [{ mint: 5, maxt: 4, ref: 8 }]), /ends before it starts/);
  f(
    'overlap',
    (w) =>
      chunks(w, [
        { mint: 0, maxt: 4, ref: 8 },
        { mint: 4, maxt: 9, ref: 20 },
      ]),
    /starts at or before the previous maxt/,
  );
  f('float', (w) => chunks(w, [{ mint: 0.5, maxt: 4, ref: 8 }]), /non-integer/);
});

test('corrupt index files raise IndexCorruptError naming file and offset', (t) => {
  const dir = tempDir(t, 'vigil-index-');
  const good = join(dir, 'good');
  const series = fixture().slice(0, 50);
  const refs = writeIndex(good, series);
  const ix = IndexReader.open(good);
  const toc = ix.toc;
  const size = ix.size;
  ix.close();
  const original = readFileSync(good);

  const f = (
    name: string,
    damage: (b: Buffer, path: string) => void,
    offset: number,
    reason: RegExp,
    read?: (ix: IndexReader) => unknown,
  ) => {
    const path = join(dir, name);
    const b = Buffer.from(original);
    writeFileSync(path, b);
    damage(b, path);
    const check = (err: unknown) => {
      assert.ok(err instanceof IndexCorruptError, `${name}: ${String(err)}`);
      assert.equal(err.file, path, name);
      assert.equal(err.offset, offset, name);
      assert.match(err.reason, reason, name);
      assert.match(err.message, new RegExp(`^cannot read index ${path} at offset ${offset}: `));
      return true;
    };
    if (read === undefined) {
      assert.throws(() => IndexReader.open(path), check);
      return;
    }
    const r = IndexReader.open(path);
    try {
      assert.throws(() => read(r), check);
    } finally {
      r.close();
    }
  };
  const flip = (at: number) => (b: Buffer, path: string) => {
    b[at]! ^= 0x01;
    writeFileSync(path, b);
  };
  f('magic', flip(0), 0, /bad magic 0xbbaad700/);
  f('version', flip(4), 4, /unsupported version 3/);
  f('toc', flip(size - 20), size - 52, /TOC checksum mismatch/);
  f('symbols', flip(toc.symbols + 12), toc.symbols, /symbol table checksum mismatch/);
  f('symbols length', flip(toc.symbols + 1), toc.symbols, /runs past the end of the file/);
  f(
    'postings table',
    flip(toc.postingsTable + 9),
    toc.postingsTable,
    /postings offset table checksum/,
  );
  f('truncated', (_, p) => truncateSync(p, size - 10), size - 62, /TOC checksum mismatch/);
  f('tiny', (_, p) => truncateSync(p, 40), 0, /40 bytes is too short/);
  f('series', flip(refs[3]! * 16 + 2), refs[3]! * 16, /series entry checksum mismatch/, (r) =>
    r.series(refs[3]!),
  );
  f(
    'series ref',
    () => {},
    16,
    /outside the series section/,
    (r) => r.series(1),
  );
  f('postings', flip(toc.postings + 9), toc.postings, /checksum mismatch/, (r) => r.allPostings());
});
