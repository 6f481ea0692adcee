import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BUCKET, encodeIdSet, IdSet, idHash, mergeSorted } from './id-set.js';

/** `n` sorted pseudo-random 32-bit hashes (a fixed LCG, so failures repeat). */
function hashes(n: number, seed = 1): Uint32Array {
  const out = new Uint32Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    out[i] = x;
  }
  return out.sort();
}

function roundTrip(values: Uint32Array): IdSet {
  const set = new IdSet(encodeIdSet(values));
  assert.equal(set.size, values.length);
  assert.deepEqual(set.values(), values);
  return set;
}

test('id set: every size around a bucket boundary round-trips and finds each hash', () => {
  for (const n of [0, 1, 2, BUCKET - 1, BUCKET, BUCKET + 1, 3 * BUCKET, 10_000]) {
    const values = hashes(n, n + 7);
    const set = roundTrip(values);
    for (const v of values) assert.ok(set.has(v), `n=${n}: ${v}`);
  }
});

test('id set: hashes not in the set are not found, below, between and above them', () => {
  const values = hashes(50_000);
  const set = roundTrip(values);
  const present = new Set(values);
  let checked = 0;
  for (const probe of hashes(50_000, 99)) {
    if (present.has(probe)) continue;
    assert.equal(set.has(probe), false, `${probe}`);
    checked++;
  }
  assert.ok(checked > 49_000);
  assert.equal(set.has(0), present.has(0));
  assert.equal(set.has(0xffffffff), present.has(0xffffffff));
  assert.equal(set.has(values[0]! - 1), false);
  assert.equal(set.has(values[values.length - 1]! + 1), false);
});

test('id set: duplicates, zero, the largest hash and gaps past the unary escape', () => {
  // Two clusters far apart: the Rice parameter suits the small gaps, so the jump between the
  // clusters takes the escape.
  const values = new Uint32Array([
    0, 0, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 377, 0x7fffffff, 0xfffffff0, 0xfffffff0,
    0xffffffff,
  ]);
  const set = roundTrip(values);
  for (const v of values) assert.ok(set.has(v));
  for (const v of [4, 6, 400, 0x80000000, 0xfffffff1]) assert.equal(set.has(v), false, `${v}`);
});

test('id set: about log2(2^32 / n) + 2 bits per id', () => {
  for (const n of [1000, 184_000, 1_000_000]) {
    const bits = (encodeIdSet(hashes(n)).length * 8) / n;
    const bound = Math.log2(2 ** 32 / n) + 2.6;
    assert.ok(bits < bound, `n=${n}: ${bits.toFixed(2)} bits per id, bound ${bound.toFixed(2)}`);
  }
});

test('id set: merging sorted lists gives the sorted union, duplicates kept', () => {
  const lists = [hashes(1000, 1), hashes(0), hashes(3, 2), hashes(2000, 3), hashes(1000, 1)];
  const merged = mergeSorted(lists);
  const expected = Uint32Array.from(lists.flatMap((l) => [...l])).sort();
  assert.deepEqual(merged, expected);
  assert.deepEqual(mergeSorted([]), new Uint32Array(0));
  const set = roundTrip(merged);
  for (const v of lists[3]!) assert.ok(set.has(v));
});

test('id set: ids hash the way lookups hash them', () => {
  const ids = ['a', 'größe-1', '0AbCdEfGh', ''];
  const set = new IdSet(encodeIdSet(Uint32Array.from(ids, (id) => idHash(id)).sort()));
  for (const id of ids) assert.ok(set.has(idHash(id)), id);
  assert.equal(set.has(idHash('b')), false);
});

test('id set: unsorted input and damaged bytes are errors that say what is wrong', () => {
  assert.throws(
    () => encodeIdSet(new Uint32Array([5, 3])),
    /cannot encode id set: hash 1 is below hash 0/,
  );
  assert.throws(() => new IdSet(new Uint8Array([7, 0, 0])), /not an id set: 3 bytes, kind 7/);
  const good = encodeIdSet(hashes(1000));
  const wrongCount = good.slice();
  new DataView(wrongCount.buffer).setUint32(2, 5000, true);
  assert.throws(() => new IdSet(wrongCount), /id set is damaged: 5000 hashes in 8 buckets/);
  // Every bucket offset pointing at the end of the stream: decoding runs past it.
  const cut = good.slice();
  const view = new DataView(cut.buffer);
  const buckets = view.getUint32(6, true);
  const streamBits = (cut.length - 10 - 8 * buckets - 4) * 8;
  for (let b = 0; b < buckets; b++) view.setUint32(10 + 4 * (buckets + b), streamBits - 2, true);
  assert.throws(() => new IdSet(cut).values(), /id set is damaged: bucket 0 runs past the end/);
});
