import { test } from 'node:test';
import assert from 'node:assert/strict';
import { snappyDecode, snappyEncode, SnappyError, SnappyTooLargeError } from './index.js';

const MiB = 1 << 20;
const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const text = (b: Uint8Array) => String.fromCharCode(...b);

/** A seeded generator (mulberry32), so a failing case can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomBytes(n: number, rnd: () => number): Uint8Array {
  return Uint8Array.from({ length: n }, () => Math.floor(rnd() * 256));
}

/** Text-like data: words from a small vocabulary, as label-heavy payloads look. */
function compressible(n: number, rnd: () => number): Uint8Array {
  const words = ['__name__', 'job', 'instance', 'node_cpu_seconds_total', '127.0.0.1:9100', 'mode'];
  const out = new Uint8Array(n);
  let i = 0;
  while (i < n) {
    for (const c of words[Math.floor(rnd() * words.length)]!) if (i < n) out[i++] = c.charCodeAt(0);
    if (i < n) out[i++] = Math.floor(rnd() * 4);
  }
  return out;
}

// Streams built by hand from format_description.txt, each element noted.
const f = (name: string, stream: number[], expected: string) =>
  test(`decodes a hand-built stream: ${name}`, () => {
    assert.equal(text(snappyDecode(Uint8Array.from(stream), MiB)), expected);
  });

f('empty', [0x00], '');
// The example in §2.2: <literal "xab"> <copy offset=2 length=4>, as a 1-byte-offset copy.
f('xababab', [0x07, 0x08, ...ascii('xab'), 0x01, 0x02], 'xababab');
f('two literals in a row', [0x04, 0x04, ...ascii('ab'), 0x04, ...ascii('cd')], 'abcd');
// 61 bytes: the length minus one (60) in one byte after tag 60<<2.
f('literal with a 1-byte length', [61, 0xf0, 60, ...ascii('a'.repeat(61))], 'a'.repeat(61));
// 300 bytes: uvarint 0xac 0x02; tag 61<<2, then 299 little-endian in two bytes.
f(
  'literal with a 2-byte length',
  [0xac, 0x02, 0xf4, 0x2b, 0x01, ...ascii('b'.repeat(300))],
  'b'.repeat(300),
);
f('literal with a 3-byte length', [5, 0xf8, 4, 0, 0, ...ascii('hello')], 'hello');
f('literal with a 4-byte length', [5, 0xfc, 4, 0, 0, 0, ...ascii('hello')], 'hello');
// Tag 2 | (len-1)<<2 with len 8, offset 4 as two little-endian bytes.
f('copy with a 2-byte offset', [12, 0x0c, ...ascii('abcd'), 0x1e, 4, 0], 'abcdabcdabcd');
f('copy with a 4-byte offset', [12, 0x0c, ...ascii('abcd'), 0x1f, 4, 0, 0, 0], 'abcdabcdabcd');
// Offset 300 needs the upper three bits in the tag: 1 | (11-4)<<2 | (300>>8)<<5 = 0x3d.
f(
  'copy with a 1-byte offset above 255',
  [0xb7, 0x02, 0xf4, 0x2b, 0x01, ...ascii('0123456789'.repeat(30)), 0x3d, 0x2c],
  '0123456789'.repeat(30) + '01234567890',
);
f('a run longer than its offset', [20, 0x00, ...ascii('z'), 0x4a, 1, 0], 'z'.repeat(20));

test('round-trips random, compressible and repetitive data of many sizes', () => {
  const rnd = random(1);
  const sizes = [0, 1, 3, 4, 5, 11, 12, 60, 61, 64, 65, 67, 68, 255, 256, 4096, 65535, 65536];
  for (const n of [...sizes, 65537, 200_003]) {
    for (const data of [randomBytes(n, rnd), compressible(n, rnd), new Uint8Array(n).fill(7)]) {
      const encoded = snappyEncode(data);
      assert.deepEqual(snappyDecode(encoded, data.length), data, `n=${n}`);
      assert.ok(encoded.length <= 32 + n + n / 6, `n=${n}: ${encoded.length} bytes`);
    }
  }
});

test('compresses what repeats', () => {
  const rnd = random(2);
  const zeros = new Uint8Array(MiB);
  assert.ok(snappyEncode(zeros).length < MiB / 20, `${snappyEncode(zeros).length}`);
  const labels = compressible(MiB, rnd);
  const size = snappyEncode(labels).length;
  assert.ok(size < MiB / 2, `${size} bytes`);
});

test('refuses a declared length over the limit before allocating it', () => {
  // 2^32 - 1: allocating it would take 4 GiB.
  const stream = Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0x0f, 0x00);
  assert.throws(
    () => snappyDecode(stream, MiB),
    (err: unknown) => err instanceof SnappyTooLargeError && err.length === 0xffffffff,
  );
  assert.ok(snappyDecode(snappyEncode(new Uint8Array(100)), 100));
  assert.throws(() => snappyDecode(snappyEncode(new Uint8Array(101)), 100), SnappyTooLargeError);
});

const bad = (name: string, stream: number[], offset: number, reason: RegExp) =>
  test(`rejects malformed input: ${name}`, () => {
    assert.throws(
      () => snappyDecode(Uint8Array.from(stream), MiB),
      (err: unknown) =>
        err instanceof SnappyError &&
        !(err instanceof SnappyTooLargeError) &&
        err.offset === offset &&
        reason.test(err.message) &&
        err.message.startsWith(`cannot decode snappy block at offset ${offset}: `),
    );
  });

bad('no input', [], 0, /ends inside the length header/);
bad('truncated header', [0x80, 0x80], 2, /ends inside the length header/);
bad('header longer than 5 bytes', [0x80, 0x80, 0x80, 0x80, 0x80, 0x01], 0, /longer than 5/);
bad('header over 2^32 - 1', [0xff, 0xff, 0xff, 0xff, 0x1f], 0, /exceeds 2\^32 - 1/);
bad('length more than the input can expand to', [0xe8, 0x07, 0x00, 0x61], 0, /more than 4 bytes/);
bad('truncated literal', [5, 0x10, ...ascii('abc')], 1, /literal of 5 bytes runs past the input/);
bad('truncated literal length', [5, 0xf4, 0x04], 1, /literal length runs past/);
bad('literal longer than declared', [2, 0x08, ...ascii('abc')], 1, /overruns the output/);
bad('copy with offset 0', [8, 0x0c, ...ascii('abcd'), 0x01, 0x00], 6, /offset 0 /);
bad(
  'copy before the start',
  [8, 0x0c, ...ascii('abcd'), 0x01, 0x05],
  6,
  /offset 5 is outside the 4 bytes/,
);
bad('copy as the first element', [4, 0x01, 0x01], 1, /offset 1 is outside the 0 bytes/);
bad(
  'copy longer than declared',
  [6, 0x0c, ...ascii('abcd'), 0x01, 0x04],
  6,
  /copy of 4 bytes overruns/,
);
bad(
  'truncated 1-byte-offset copy',
  [8, 0x0c, ...ascii('abcd'), 0x01],
  6,
  /copy runs past the input/,
);
bad('truncated 2-byte-offset copy', [8, 0x0c, ...ascii('abcd'), 0x0e, 4], 6, /copy runs past/);
bad(
  'truncated 4-byte-offset copy',
  [8, 0x0c, ...ascii('abcd'), 0x0f, 4, 0, 0],
  6,
  /copy runs past/,
);
bad('output shorter than declared', [9, 0x0c, ...ascii('abcd')], 6, /ended after 4 of 9 bytes/);

test('damaged streams either decode to the declared length or throw a SnappyError', () => {
  const rnd = random(3);
  let failures = 0;
  for (let round = 0; round < 2000; round++) {
    const data =
      round % 2 === 0 ? compressible(1 + Math.floor(rnd() * 3000), rnd) : randomBytes(50, rnd);
    const stream = Uint8Array.from(snappyEncode(data));
    const damaged =
      round % 3 === 0 ? stream.subarray(0, Math.floor(rnd() * stream.length)) : stream;
    for (let k = 0; k < 1 + Math.floor(rnd() * 4); k++) {
      damaged[Math.floor(rnd() * damaged.length)] = Math.floor(rnd() * 256);
    }
    try {
      const out = snappyDecode(damaged, 1 << 16);
      assert.ok(out instanceof Uint8Array);
    } catch (err) {
      assert.ok(err instanceof SnappyError, `round ${round}: ${String(err)}`);
      failures++;
    }
  }
  assert.ok(failures > 500, `only ${failures} damaged streams were refused`);
});
