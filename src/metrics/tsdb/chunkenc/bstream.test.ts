import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BitReader, BitWriter, peek32 } from './bstream.js';

// A deterministic generator so failures reproduce.
function lcg(seed: number): () => number {
  return () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
}

test('bits are laid out most significant first, bytes zero-padded', () => {
  const f = (write: (w: BitWriter) => void, bytes: number[], bits: number) => {
    const w = new BitWriter();
    write(w);
    assert.deepEqual([...w.bytes()], bytes);
    assert.equal(w.bitLength, bits);
  };
  f(() => {}, [], 0);
  f((w) => w.writeBit(1), [0x80], 1);
  f((w) => w.writeBits(0b101, 3), [0b1010_0000], 3);
  f((w) => w.writeBits(0xabcd, 16), [0xab, 0xcd], 16);
  f((w) => (w.writeBit(1), w.writeBits(0xffffffff, 32)), [0xff, 0xff, 0xff, 0xff, 0x80], 33);
  // Bits above n are ignored; negative int32s write their two's complement.
  f((w) => w.writeBits(-3, 14), [0xff, 0xf4], 14);
  f((w) => w.writeBits(0xfff, 4), [0xf0], 4);
  f((w) => w.writeBits(0, 0), [], 0);
  f((w) => w.writeBits64(0x7ff00000, 2, 64), [0x7f, 0xf0, 0, 0, 0, 0, 0, 2], 64);
  f((w) => w.writeBits64(0x1, 0x80000000, 34), [0b0110_0000, 0, 0, 0, 0], 34);
  f((w) => w.writeUint(2 ** 52 + 1, 53), [0x80, 0, 0, 0, 0, 0, 0x08], 53);
});

test('random widths round-trip through writer and reader, across buffer growth', () => {
  const next = lcg(7);
  const widths: number[] = [];
  const values: number[] = [];
  const w = new BitWriter(16);
  for (let i = 0; i < 20_000; i++) {
    const n = next() % 33;
    const v = n === 0 ? 0 : next() >>> (32 - n);
    widths.push(n);
    values.push(v);
    // Set bits above n must not leak into the stream.
    w.writeBits(n === 32 ? v : v | (0xffffffff << n), n);
  }
  const r = new BitReader(w.bytes());
  for (let i = 0; i < widths.length; i++) assert.equal(r.readBits(widths[i]!), values[i], `#${i}`);
  assert.equal(r.pos, w.bitLength);
  assert.equal(r.overrun, false);
});

test('53-bit numbers and 64-bit halves round-trip', () => {
  const w = new BitWriter();
  const nums = [0, 1, 2 ** 32 - 1, 2 ** 32, 2 ** 40 + 12345, 2 ** 53 - 1];
  for (const v of nums) w.writeUint(v, 53);
  w.writeBit(1);
  w.writeBits64(0xdeadbeef, 0x01234567, 64);
  w.writeBits64(0, 0xfedcba98, 32);
  const r = new BitReader(w.bytes());
  for (const v of nums) assert.equal(r.readUint(53), v);
  assert.equal(r.readBit(), 1);
  assert.equal(r.readBits(32), 0xdeadbeef);
  assert.equal(r.readBits(32), 0x01234567);
  assert.equal(r.readUint(32), 0xfedcba98);
});

test('reads past the end return zeros and set overrun', () => {
  const r = new BitReader(Uint8Array.of(0xff), 2);
  assert.equal(r.readBits(5), 0b11111);
  assert.equal(r.overrun, false);
  assert.equal(r.readBits(2), 0b10);
  assert.equal(r.overrun, true);
  assert.equal(r.pos, 9);
  assert.equal(r.readBit(), 0);
  assert.equal(r.readBits(32), 0);
  r.reset(Uint8Array.of(0x80), 0, 1);
  assert.equal(r.overrun, false);
  assert.equal(r.readBit(), 1);
  assert.equal(r.overrun, false);
  assert.equal(r.readBit(), 0);
  assert.equal(r.overrun, true);
});

test('peek32 sees the next 32 bits at any alignment, zero-filled past the buffer', () => {
  const bytes = Uint8Array.of(0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde);
  const all = 0x123456789abcden;
  for (let pos = 0; pos <= 56; pos++) {
    const want = Number(((all << 64n) >> BigInt(56 + 32 - pos)) & 0xffffffffn);
    assert.equal(peek32(bytes, pos) >>> 0, want, `at bit ${pos}`);
  }
});

test('resume copies the first bits, clears the rest and continues after them', () => {
  const src = Uint8Array.of(0xab, 0xff, 0xff);
  const w = BitWriter.resume(src, 12);
  assert.deepEqual([...w.bytes()], [0xab, 0xf0]);
  w.writeBits(0b0101, 4);
  w.writeBits(0x3c, 8);
  assert.deepEqual([...w.bytes()], [0xab, 0xf5, 0x3c]);
  assert.deepEqual([...src], [0xab, 0xff, 0xff], 'source untouched');
  const aligned = BitWriter.resume(src, 16);
  aligned.writeBit(1);
  assert.deepEqual([...aligned.bytes()], [0xab, 0xff, 0x80]);
});

test('uint16 header patching', () => {
  const w = new BitWriter();
  w.writeBits(0, 16);
  w.writeBits(0xff, 8);
  w.setUint16(0, 0x1234);
  assert.equal(w.getUint16(0), 0x1234);
  assert.deepEqual([...w.bytes()], [0x12, 0x34, 0xff]);
});
