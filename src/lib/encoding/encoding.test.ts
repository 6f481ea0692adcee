import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crc32c } from './crc32c.js';
import {
  getUvarint,
  getVarint,
  putUvarint,
  putVarint,
  uvarintSize,
  VarintError,
} from './varint.js';
import { asciiLower } from './ascii-lower.js';
import { ByteWriter } from './byte-writer.js';

test('crc32c matches the standard check value and is incremental', () => {
  const data = Buffer.from('123456789');
  assert.equal(crc32c(data), 0xe3069283);
  assert.equal(crc32c(data, 4, 9, crc32c(data, 0, 4)), 0xe3069283);
  assert.equal(crc32c(Buffer.alloc(0)), 0);
  assert.equal(crc32c(Buffer.alloc(32)), 0x8a9136aa);
});

test('crc32c: every alignment and length agree with the bit-by-bit definition', () => {
  const slow = (b: Uint8Array) => {
    let c = ~0;
    for (const x of b) {
      c ^= x;
      for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    }
    return ~c >>> 0;
  };
  const data = Buffer.from(Array.from({ length: 80 }, (_, i) => (i * 7919 + 13) & 0xff));
  for (let off = 0; off < 8; off++) {
    for (let len = 0; len + off <= 80; len++) {
      const view = data.subarray(off, off + len);
      assert.equal(crc32c(view), slow(view), `offset ${off}, length ${len}`);
      assert.equal(crc32c(data, off, off + len), slow(view), `range ${off}+${len}`);
    }
  }
});

test('uvarint and varint round-trip as Go encodes them', () => {
  const buf = Buffer.alloc(16);
  const f = (v: number, bytes: number[]) => {
    const end = putUvarint(buf, 0, v);
    assert.deepEqual([...buf.subarray(0, end)], bytes, String(v));
    assert.equal(uvarintSize(v), bytes.length);
    const cur = { off: 0 };
    assert.equal(getUvarint(buf, cur), v);
    assert.equal(cur.off, end);
  };
  f(0, [0]);
  f(1, [1]);
  f(127, [0x7f]);
  f(128, [0x80, 0x01]);
  f(300, [0xac, 0x02]);
  f(2 ** 32, [0x80, 0x80, 0x80, 0x80, 0x10]);
  f(2 ** 53 - 1, [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f]);
  for (const v of [0, -1, 1, -64, 64, -(2 ** 40), 2 ** 40, 1_700_000_000_000, -1_700_000_000_000]) {
    const end = putVarint(buf, 0, v);
    const cur = { off: 0 };
    assert.equal(getVarint(buf, cur), v);
    assert.equal(cur.off, end);
  }
  putVarint(buf, 0, -1);
  assert.equal(buf[0], 1);
});

test('truncated varints are errors with their offset', () => {
  assert.throws(
    () => getUvarint(Buffer.from([0x80, 0x80]), { off: 0 }),
    (e: unknown) => e instanceof VarintError && e.offset === 0,
  );
  assert.throws(
    () => getUvarint(Buffer.from([0x05, 0x80]), { off: 1 }),
    /offset 1: unexpected end/,
  );
  assert.throws(() => getUvarint(Buffer.alloc(11, 0xff), { off: 0 }), /longer than 64 bits/);
});

test('ByteWriter grows and writes big-endian', () => {
  const w = new ByteWriter(2);
  w.u32(0x0130bc91);
  w.u8(2);
  w.u64(2 ** 40 + 5);
  w.i64(-2);
  w.string('hé');
  w.f64(NaN);
  assert.equal(w.bytes().readUInt32BE(0), 0x0130bc91);
  assert.equal(w.bytes().readBigUInt64BE(5), 2n ** 40n + 5n);
  assert.equal(w.bytes().readBigInt64BE(13), -2n);
  assert.deepEqual([...w.bytes().subarray(21, 25)], [3, 0x68, 0xc3, 0xa9]);
  assert.equal(w.length, 33);
  w.putU32At(0, 7);
  assert.equal(w.bytes().readUInt32BE(0), 7);
});

test('asciiLower lowercases A-Z only, at every alignment and length', () => {
  const all = Buffer.alloc(256 * 3);
  for (let i = 0; i < all.length; i++) all[i] = i % 256;
  const want = (b: number) => (b >= 0x41 && b <= 0x5a ? b + 32 : b);
  for (let start = 0; start < 8; start++) {
    for (const end of [start, start + 1, start + 3, start + 7, all.length - 5, all.length]) {
      const got = asciiLower(all, start, end);
      assert.equal(got.length, end - start);
      for (let i = 0; i < got.length; i++) {
        assert.equal(got[i], want(all[start + i]!), `byte ${all[start + i]} (start ${start})`);
      }
    }
  }
  // Bytes of every value packed into one word, so a carry between bytes would show.
  const mixed = Buffer.from([
    0x40, 0x41, 0x5a, 0x5b, 0x80, 0xc1, 0xda, 0xff, 0x60, 0x61, 0x7a, 0x7b,
  ]);
  assert.deepEqual([...asciiLower(mixed, 0, mixed.length)], [...mixed].map(want));
});

test('ByteWriter.string: length-prefixed UTF-8 on the ASCII fast path and off it', () => {
  for (const s of [
    '',
    'a',
    'x'.repeat(127),
    'x'.repeat(128),
    `${'x'.repeat(60)}é`,
    'ü',
    '\u{1f600}',
    'x'.repeat(31),
    'x'.repeat(32),
    // Natively written: one byte of length, two, three; and UTF-8 that crosses 128 bytes.
    'y'.repeat(100),
    'z'.repeat(300),
    'w'.repeat(20_000),
    'é'.repeat(50),
    'é'.repeat(70),
  ]) {
    const w = new ByteWriter(1);
    w.u8(9);
    w.string(s);
    const cur = { off: 1 };
    const n = getUvarint(w.bytes(), cur);
    assert.equal(n, Buffer.byteLength(s));
    assert.equal(w.bytes().toString('utf8', cur.off), s);
    // What follows lands right after it.
    w.u8(7);
    assert.equal(w.bytes().length, cur.off + n + 1);
    assert.equal(w.bytes()[cur.off + n], 7);
  }
});
