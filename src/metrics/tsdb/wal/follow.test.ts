import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rng, tempDir } from '../../../../test/harness/temp.js';
import { PAGE_SIZE, segmentName } from './layout.js';
import { WalReader } from './reader.js';
import { Wal } from './wal.js';

function record(rand: () => number, size: number): Uint8Array {
  const rec = new Uint8Array(size);
  for (let i = 0; i < size; i++) rec[i] = (rand() * 256) | 0;
  return rec;
}

test('a following reader picks up records as they are written, across segments', async (t) => {
  const dir = tempDir(t);
  const wal = Wal.open(dir, { segmentSize: 2 * PAGE_SIZE });
  const reader = WalReader.open(dir, { follow: true });
  t.after(() => reader.close());
  const rand = rng(7);
  assert.equal(reader.next(), null);
  const written: Uint8Array[] = [];
  for (let round = 0; round < 20; round++) {
    // Sizes that fill pages, span them and overflow segments.
    const recs = [record(rand, 100), record(rand, 20_000), record(rand, 45_000)];
    wal.log(...recs);
    written.push(...recs);
    const got: Uint8Array[] = [];
    for (let rec = reader.next(); rec !== null; rec = reader.next()) got.push(rec.slice());
    assert.deepEqual(got, recs, `round ${round}`);
  }
  assert.ok(wal.segment > 3);
  await wal.close();
  assert.equal(reader.next(), null);
});

test('a record only partly written is read whole once the rest arrives', async (t) => {
  const src = tempDir(t);
  const wal = Wal.open(src);
  const rand = rng(11);
  const small = record(rand, 10);
  const big = record(rand, 3 * PAGE_SIZE);
  wal.log(small, big);
  await wal.close();
  const bytes = readFileSync(join(src, segmentName(0)));

  // A copy of the segment grows in three steps: the small record and half a header, then
  // the first two pages, then the rest.
  const dir = tempDir(t);
  const path = join(dir, segmentName(0));
  writeFileSync(path, bytes.subarray(0, 7 + small.length + 3));
  const reader = WalReader.open(dir, { follow: true });
  t.after(() => reader.close());
  assert.deepEqual(reader.next()?.slice(), small);
  assert.equal(reader.next(), null);
  appendFileSync(path, bytes.subarray(7 + small.length + 3, 2 * PAGE_SIZE));
  assert.equal(reader.next(), null);
  appendFileSync(path, bytes.subarray(2 * PAGE_SIZE));
  assert.deepEqual(reader.next()?.slice(), big);
  assert.equal(reader.next(), null);
});
