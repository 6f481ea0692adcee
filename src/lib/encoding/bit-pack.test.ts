import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  type BitWidth,
  bitWidth,
  packBits,
  packedBytes,
  unpackBytes,
  unpackDeltas,
} from './bit-pack.js';
import { ByteWriter } from './byte-writer.js';

test('bitWidth: the smallest of 0 to 4, 8 and 16 bits, none past 16', () => {
  const maxima = [0, 1, 2, 3, 4, 7, 8, 15, 16, 255, 256, 65535, 65536];
  const widths = [0, 1, 2, 2, 3, 3, 4, 4, 8, 8, 16, 16, undefined];
  assert.deepEqual(maxima.map(bitWidth), widths);
});

test('packBits and unpackBytes round trip at every width up to 8, with partial last bytes', () => {
  for (const width of [0, 1, 2, 3, 4, 8] as BitWidth[]) {
    for (const n of [0, 1, 3, 7, 8, 9, 15, 16, 17, 100, 8191]) {
      const base = width === 8 ? 0 : 3; // the sums must fit a byte
      const values = Array.from({ length: n }, (_, i) => base + ((i * 7919) % 2 ** width));
      const w = new ByteWriter();
      w.u8(0xee); // an offset before the packed bytes
      packBits(w, values, n, base, width);
      assert.equal(w.length, 1 + packedBytes(n, width));
      const out = new Uint8Array(n);
      unpackBytes(w.bytes(), 1, width, base, out);
      assert.deepEqual([...out], values, `width ${width}, ${n} values`);
    }
  }
});

test('packBits and unpackDeltas round trip: running sums at every width, past 2^31 too', () => {
  // Deltas of 8 ms sum in 32-bit integers; of an hour, past 2^31 within a block, in doubles.
  for (const base of [8, 3_600_000]) {
    for (const width of [0, 1, 2, 3, 4, 8, 16] as BitWidth[]) {
      for (const n of [1, 2, 5, 9, 17, 8192]) {
        const deltas = Array.from({ length: n - 1 }, (_, i) => base + ((i * 40503) % 2 ** width));
        const w = new ByteWriter();
        packBits(w, deltas, n - 1, base, width);
        const out = new Float64Array(n);
        const first = 1_795_910_400_000;
        unpackDeltas(w.bytes(), 0, width, first, base, out);
        let t = first;
        const want = [first, ...deltas.map((d) => (t += d))];
        assert.deepEqual([...out], want, `base ${base}, width ${width}, ${n} values`);
      }
    }
  }
});

test('unpacking fails with the offset when the bytes are cut short', () => {
  const w = new ByteWriter();
  packBits(w, [1, 2, 3, 0, 1], 5, 0, 2);
  assert.throws(
    () => unpackBytes(w.bytes(), 1, 2, 0, new Uint8Array(5)),
    /cannot unpack 5 values of 2 bits at offset 1: 1 bytes, 2 needed/,
  );
  assert.throws(
    () => unpackDeltas(w.bytes(), 0, 4, 0, 0, new Float64Array(6)),
    /cannot unpack 5 values of 4 bits at offset 0/,
  );
});
