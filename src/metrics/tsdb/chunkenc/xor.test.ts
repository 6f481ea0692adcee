import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BitWriter } from './bstream.js';
import { ChunkDecodeError } from './chunk.js';
import { XorChunk, XorIterator } from './xor.js';

// Values travel in Float64Arrays and are compared through Uint32Array views: plain arrays of
// doubles may canonicalise NaN payloads, and assert.equal treats all NaNs alike.
function float(hi: number, lo: number): number {
  const f = new Float64Array(1);
  const u = new Uint32Array(f.buffer);
  u[1] = hi;
  u[0] = lo;
  return f[0]!;
}
const STALE = float(0x7ff00000, 2);
const GO_NAN = float(0x7ff80000, 1);

const bitsOf = (vs: Float64Array) => new Uint32Array(vs.buffer, vs.byteOffset, vs.length * 2);

function lcg(seed: number): () => number {
  return () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
}

/**
 * An independent, slow encoder written from Prometheus' format description with BigInt and a
 * string of '0'/'1': the model our fast encoder must match bit for bit. `resumeAt` mimics an
 * appender restored after that many samples, whose XOR window Prometheus takes from the
 * decoder (0/0 when none was opened yet).
 */
function reference(ts: readonly number[], vs: Float64Array, resumeAt = -1): Uint8Array {
  const view = new DataView(vs.buffer, vs.byteOffset);
  let bits = '';
  const put = (v: bigint, n: number) => {
    bits += BigInt.asUintN(n, v).toString(2).padStart(n, '0');
  };
  const uvarint = (v: bigint) => {
    let u = BigInt.asUintN(64, v);
    for (; u >= 0x80n; u >>= 7n) put((u & 0x7fn) | 0x80n, 8);
    put(u, 8);
  };
  let prevT = 0n;
  let prevDelta = 0n;
  let prevV = 0n;
  let leading = 0xff;
  let trailing = 0;
  for (let i = 0; i < ts.length; i++) {
    if (i === resumeAt && leading === 0xff) leading = trailing = 0;
    const t = BigInt(ts[i]!);
    const v = view.getBigUint64(i * 8, true);
    if (i === 0) {
      uvarint(t < 0n ? -2n * t - 1n : 2n * t);
      put(v, 64);
    } else {
      const delta = t - prevT;
      if (i === 1) {
        uvarint(delta);
      } else {
        const dod = delta - prevDelta;
        const fits = (n: number) => -(2n ** BigInt(n - 1)) < dod && dod <= 2n ** BigInt(n - 1);
        const size = dod === 0n ? 0 : ([14, 17, 20].find(fits) ?? 64);
        bits += { 0: '0', 14: '10', 17: '110', 20: '1110', 64: '1111' }[size];
        if (size > 0) put(dod, size);
      }
      prevDelta = delta;
      const x = v ^ prevV;
      if (x === 0n) {
        bits += '0';
      } else {
        const lead = Math.min(31, 64 - x.toString(2).length);
        let trail = 0;
        while (((x >> BigInt(trail)) & 1n) === 0n) trail++;
        if (leading !== 0xff && lead >= leading && trail >= trailing) {
          bits += '10';
          put(x >> BigInt(trailing), 64 - leading - trailing);
        } else {
          [leading, trailing] = [lead, trail];
          const sig = 64 - lead - trail;
          bits += '11';
          put(BigInt(lead), 5);
          put(BigInt(sig), 6);
          put(x >> BigInt(trail), sig);
        }
      }
    }
    prevT = t;
    prevV = v;
  }
  bits = ts.length.toString(2).padStart(16, '0') + bits;
  bits = bits.padEnd(Math.ceil(bits.length / 8) * 8, '0');
  return Uint8Array.from(bits.match(/.{8}/g)!, (b) => parseInt(b, 2));
}

function encode(ts: readonly number[], vs: Float64Array): XorChunk {
  const chunk = new XorChunk();
  const app = chunk.appender();
  for (let i = 0; i < ts.length; i++) app.append(ts[i]!, vs[i]!);
  return chunk;
}

function decode(it: XorIterator) {
  const ts: number[] = [];
  const out = new Float64Array(0x10000);
  while (it.next()) {
    out[ts.length] = it.atV();
    ts.push(it.atT());
  }
  return { ts, vs: out.slice(0, ts.length), err: it.err() };
}

/** Encodes, checks the bytes against the model, and decodes a copy of them back. */
function roundTrip(name: string, ts: readonly number[], values: ArrayLike<number>): Uint8Array {
  const vs = Float64Array.from(values);
  const chunk = encode(ts, vs);
  const bytes = chunk.bytes().slice();
  assert.deepEqual(bytes, reference(ts, vs), `${name}: bytes`);
  assert.equal(chunk.numSamples, ts.length);
  const got = decode(new XorChunk(bytes).iterator());
  assert.equal(got.err, null, name);
  assert.deepEqual(got.ts, [...ts], `${name}: timestamps`);
  assert.deepEqual(bitsOf(got.vs), bitsOf(vs), `${name}: value bits`);
  return bytes;
}

const T0 = 1_700_000_000_000;
const every = (n: number, step: number, jitter = () => 0) =>
  Array.from({ length: n }, (_, i) => T0 + i * step + jitter());

test('typical series round-trip bit-exact', () => {
  const rand = lcg(1);
  let c = 0;
  roundTrip(
    'counter',
    every(120, 15_000),
    Array.from({ length: 120 }, () => (c += rand() * 5) | 0),
  );
  roundTrip(
    'gauge',
    every(120, 15_000),
    Array.from({ length: 120 }, () => rand() * 100 - 50),
  );
  roundTrip(
    'cents',
    every(50, 10_000),
    Array.from({ length: 50 }, () => Math.round(rand() * 1e4) / 100),
  );
  roundTrip('constant', every(120, 15_000), new Array<number>(120).fill(42));
  roundTrip(
    'jitter',
    every(120, 15_000, () => Math.floor(rand() * 9) - 4),
    new Array(120).fill(1),
  );
  roundTrip('empty', [], []);
  roundTrip('one', [T0], [0.5]);
  roundTrip('two', [T0, T0 + 1], [1, 2]);
  roundTrip('zero time', [0, 0, 0], [1, 1, 1]);
  roundTrip('negative times', [-5000, -4000, -3000, -1, 0, 1], [1, 2, 3, 4, 5, 6]);
});

test('negative deltas and huge jumps (64-bit bucket) are encoded as Go int64 arithmetic', () => {
  const v = (n: number) => Array.from({ length: n }, (_, i) => i);
  roundTrip('backwards', [T0, T0 - 1000, T0 - 2000, T0 - 2500, T0 + 9e9, T0 - 9e9], v(6));
  roundTrip('negative first delta', [T0, T0 - 15_000, T0], v(3));
  roundTrip('jumps', [0, 1e12, 2e12 + 7, -1e12, 2 ** 52, -(2 ** 52), 5], v(7));
  const max = Number.MAX_SAFE_INTEGER;
  // Deltas up to 2^54 and delta-of-deltas up to 3·2^53 leave the safe-integer range.
  roundTrip('extremes', [-max, max, -max, max, 0, max - 1, max, -max, -max + 1], v(9));
  roundTrip('wide first varint', [max, max - 1, 2 ** 52 + 1, -(2 ** 52) - 3], v(4));
  roundTrip('same wide delta twice', [-max, 0, max, max - 2, max - 4], v(5));
});

test('each delta-of-delta lands in Prometheus bucket for its size', () => {
  const f = (dod: number, dodBits: number) => {
    const ts = [0, 100_000, 200_000 + dod];
    roundTrip(`dod ${dod}`, ts, [1, 1, 1]);
    const it = encode(ts, Float64Array.of(1, 1, 1)).iterator();
    while (it.next());
    // header 16, t0 varint 8, v0 64, delta uvarint 24, value '0'; then dod, value '0'.
    assert.equal(it.resumeState().bitLength - (16 + 8 + 64 + 24 + 1) - 1, dodBits, `dod ${dod}`);
  };
  f(0, 1);
  f(1, 16);
  f(-1, 16);
  f(8192, 16);
  f(-8191, 16);
  f(8193, 20);
  f(-8192, 20);
  f(65536, 20);
  f(-65535, 20);
  f(65537, 24);
  f(-65536, 24);
  f(524288, 24);
  f(-524287, 24);
  f(524289, 68);
  f(-524288, 68);
  f(2 ** 31, 68);
  f(-(2 ** 40), 68);
});

test('special values keep their exact bits, NaN payloads included', () => {
  const vals = [
    0,
    -0,
    Infinity,
    -Infinity,
    NaN,
    GO_NAN,
    STALE,
    float(0xfff00000, 1),
    float(0x7fffffff, -1 >>> 0),
    Number.MAX_VALUE,
    -Number.MAX_VALUE,
    Number.MIN_VALUE,
    -Number.MIN_VALUE,
    2.2250738585072014e-308,
    1e-310,
    1,
    1 + Number.EPSILON,
    STALE,
    STALE,
    0,
    STALE,
    GO_NAN,
    -0,
    0,
  ];
  roundTrip('specials', every(vals.length, 15_000), vals);
});

test('the staleness marker survives append → bytes → new XorChunk(bytes) → iterator', () => {
  const chunk = new XorChunk();
  const app = chunk.appender();
  app.append(T0, 1);
  app.append(T0 + 15_000, STALE);
  app.append(T0 + 30_000, 2);
  app.append(T0 + 45_000, STALE);
  const it = new XorChunk(Uint8Array.from(chunk.bytes())).iterator();
  const got = new Float64Array(4);
  for (let i = 0; it.next(); i++) got[i] = it.atV();
  const u = new Uint32Array(got.buffer);
  assert.deepEqual([u[3], u[2]], [0x7ff00000, 2]);
  assert.deepEqual([u[7], u[6]], [0x7ff00000, 2]);
  assert.deepEqual([got[0], got[2]], [1, 2]);
});

test('random series match the reference model', () => {
  const rand = lcg(99);
  const words = new Uint32Array(2);
  const asFloat = new Float64Array(words.buffer);
  for (let round = 0; round < 300; round++) {
    const n = 1 + Math.floor(rand() * 130);
    const ts: number[] = [];
    const vs = new Float64Array(n);
    let t = Math.floor((rand() - 0.5) * 2 ** 45);
    const kind = round % 4;
    for (let i = 0; i < n; i++) {
      const r = rand();
      // Mostly regular steps, with some jitter, reversals and leaps.
      t +=
        r < 0.6
          ? 15_000
          : r < 0.8
            ? Math.floor(rand() * 2e4) - 1e4
            : Math.floor((rand() - 0.5) * 2 ** 40);
      ts.push(t);
      if (kind === 0) {
        words[0] = rand() * 2 ** 32;
        words[1] = rand() * 2 ** 32;
        vs[i] = asFloat[0]!;
      } else if (kind === 1) vs[i] = i > 0 && r < 0.3 ? vs[i - 1]! : Math.floor(rand() * 1000);
      else if (kind === 2) vs[i] = (i > 0 ? vs[i - 1]! : 0) + rand() - 0.5;
      else vs[i] = r < 0.1 ? STALE : r < 0.2 ? GO_NAN : rand() * 2 ** (rand() * 2000 - 1000);
    }
    roundTrip(`round ${round}`, ts, vs);
  }
});

test('seek advances to the first sample at or after t and never goes back', () => {
  const chunk = encode(
    every(10, 1000),
    Float64Array.from({ length: 10 }, (_, i) => i),
  );
  const it = chunk.iterator();
  assert.equal(it.seek(0), true);
  assert.equal(it.atT(), T0);
  assert.equal(it.seek(T0 + 2500), true);
  assert.deepEqual([it.atT(), it.atV()], [T0 + 3000, 3]);
  assert.equal(it.seek(T0 + 3000), true);
  assert.equal(it.atT(), T0 + 3000, 'an exact match stays put');
  assert.equal(it.seek(T0), true);
  assert.equal(it.atT(), T0 + 3000, 'seeking backwards stays put');
  assert.equal(it.next(), true);
  assert.equal(it.atT(), T0 + 4000);
  assert.equal(it.seek(T0 + 9000), true);
  assert.equal(it.atV(), 9);
  assert.equal(it.seek(T0 + 9001), false);
  assert.equal(it.next(), false);
  assert.equal(chunk.iterator(it).seek(T0 + 20_000), false, 'past the end');
  assert.equal(it.err(), null);
  assert.equal(new XorChunk().iterator().seek(0), false, 'empty chunk');
});

test('an iterator sees the samples present at its creation and can be reused', () => {
  const chunk = new XorChunk();
  const app = chunk.appender();
  app.append(T0, 1);
  app.append(T0 + 1, 2);
  const it = chunk.iterator();
  for (let i = 2; i < 200; i++) app.append(T0 + i, i + 1);
  assert.deepEqual(decode(it).ts, [T0, T0 + 1]);
  const again = chunk.iterator(it);
  assert.equal(again, it);
  assert.equal(decode(again).ts.length, 200);
});

test('an appender restored on a chunk with samples continues it bit for bit', () => {
  const rand = lcg(5);
  const ts = every(120, 15_000, () => Math.floor(rand() * 20) - 10);
  const vs = Float64Array.from({ length: 120 }, () => rand() * 10);
  const whole = encode(ts, vs).bytes().slice();
  for (const k of [2, 3, 60, 119]) {
    const src = encode(ts.slice(0, k), vs.subarray(0, k)).bytes().slice();
    const copy = src.slice();
    const chunk = new XorChunk(src);
    const app = chunk.appender();
    for (let i = k; i < 120; i++) app.append(ts[i]!, vs[i]!);
    assert.deepEqual(chunk.bytes(), whole, `resumed after ${k}`);
    assert.deepEqual(src, copy, 'the wrapped bytes are not written');
  }
  // A second appender on an owned chunk resumes the same way.
  const chunk = encode(ts.slice(0, 50), vs.subarray(0, 50));
  const app = chunk.appender();
  for (let i = 50; i < 120; i++) app.append(ts[i]!, vs[i]!);
  assert.deepEqual(chunk.bytes(), whole);
  // Restoring an empty wrapped chunk gives a fresh appender.
  const empty = new XorChunk(Uint8Array.of(0, 0));
  const fresh = empty.appender();
  for (let i = 0; i < 120; i++) fresh.append(ts[i]!, vs[i]!);
  assert.deepEqual(empty.bytes(), whole);
});

test('a restored appender takes its XOR window from the decoder, as Prometheus does', () => {
  // No window was opened by the first samples (equal values), so Prometheus' restored appender
  // reuses a 0/0 window: the next change costs 2 + 64 bits instead of a tight new window.
  const ts = [T0, T0 + 1000, T0 + 2000, T0 + 3000];
  const vs = Float64Array.of(7, 7, 8, 9);
  for (const k of [1, 2]) {
    const chunk = new XorChunk(encode(ts.slice(0, k), vs.subarray(0, k)).bytes().slice());
    const app = chunk.appender();
    for (let i = k; i < ts.length; i++) app.append(ts[i]!, vs[i]!);
    assert.deepEqual(chunk.bytes(), reference(ts, vs, k), `resumed after ${k}`);
    const got = decode(chunk.iterator());
    assert.deepEqual(got.ts, ts);
    assert.deepEqual(got.vs, vs);
  }
});

test('a truncated chunk ends iteration with an error at the failing sample', () => {
  const rand = lcg(3);
  const ts = every(120, 15_000, () => Math.floor(rand() * 9) - 4);
  const vs = Float64Array.from({ length: 120 }, () => rand());
  const bytes = encode(ts, vs).bytes().slice();
  for (let len = 2; len < bytes.length; len++) {
    const got = decode(new XorIterator(bytes.subarray(0, len)));
    const err = got.err;
    assert.ok(err instanceof ChunkDecodeError, `length ${len}`);
    assert.match(
      err.message,
      /^cannot decode XOR chunk sample \d+ at byte offset \d+: unexpected end of data$/,
    );
    assert.equal(err.sample, got.ts.length);
    assert.ok(err.offset >= 2 && err.offset <= len, `offset ${err.offset} in ${len} bytes`);
    assert.deepEqual(got.ts, ts.slice(0, got.ts.length));
    assert.deepEqual(got.vs, vs.subarray(0, got.ts.length));
  }
  // A header claiming more samples than the data holds.
  const lying = bytes.slice();
  lying[1] = 200;
  const got = decode(new XorIterator(lying));
  assert.ok(got.err instanceof ChunkDecodeError);
  assert.ok(got.ts.length >= 120 && got.ts.length < 200);
  assert.throws(() => new XorChunk(lying).appender(), ChunkDecodeError);
});

test('corrupt fields end iteration with an error naming them', () => {
  const f = (write: (w: BitWriter) => void, reason: RegExp, decoded: number) => {
    const w = new BitWriter();
    write(w);
    const got = decode(new XorIterator(w.bytes()));
    assert.equal(got.ts.length, decoded);
    assert.match(String(got.err?.message), reason);
  };
  const header = (w: BitWriter, n: number) => w.writeBits(n, 16);
  // 31 leading zeros + 40 significant bits do not fit 64.
  f(
    (w) => (
      header(w, 2),
      w.writeBits(0, 8),
      w.writeBits64(0, 0, 64),
      w.writeBits(0, 8),
      w.writeBits(0b11_11111_101000, 13),
      w.writeBits64(0, 0, 40)
    ),
    /sample 1 at byte offset 11: XOR window of 31 leading \+ 40 significant bits/,
    1,
  );
  f(
    (w) => (
      header(w, 1),
      w.writeBits64(0xffffffff, 0xffffffff, 64),
      w.writeBits(0xff, 8),
      w.writeBits(0x7f, 8)
    ),
    /sample 0 .*timestamp overflows 64 bits/,
    0,
  );
  // 2^60 as a zig-zag varint: a valid int64 but not a safe integer.
  f(
    (w) => (
      header(w, 1),
      w.writeBits64(0x80808080, 0x80808080, 64),
      w.writeBits(0x20, 8),
      w.writeBits64(0, 0, 64)
    ),
    /timestamp is not a safe integer/,
    0,
  );
  assert.throws(() => new XorChunk(Uint8Array.of(1)), /header needs 2 bytes, got 1/);
  assert.match(String(new XorIterator(new Uint8Array(0)).err()?.message), /header needs 2 bytes/);
});

test('append rejects timestamps that are not safe integers and a full header', () => {
  const app = new XorChunk().appender();
  for (const t of [1.5, NaN, Infinity, 2 ** 53]) {
    assert.throws(
      () => app.append(t, 1),
      /cannot append sample to XOR chunk: timestamp .* not a safe integer/,
    );
  }
  const chunk = new XorChunk();
  const full = chunk.appender();
  for (let i = 0; i < 0xffff; i++) full.append(i, i);
  assert.equal(chunk.numSamples, 0xffff);
  assert.throws(() => full.append(0x10000, 0), /holds 65535 samples already/);
  assert.equal(decode(chunk.iterator()).ts.length, 0xffff);
});
