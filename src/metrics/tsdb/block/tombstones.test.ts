import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32c } from '../../../lib/encoding/crc32c.js';
import { BlockCorruptError } from './errors.js';
import { readTombstones, Tombstones, writeTombstones } from './tombstones.js';
import { tempDir } from '../../../../test/harness/temp.js';

test('an empty tombstones file is the 9 bytes Prometheus writes', (t) => {
  const dir = tempDir(t, 'vigil-tomb-');
  writeTombstones(dir);
  assert.deepEqual(
    [...readFileSync(join(dir, 'tombstones'))],
    [0x01, 0x30, 0xba, 0x30, 1, 0, 0, 0, 0],
  );
  assert.equal(readTombstones(dir).total, 0);
  rmSync(join(dir, 'tombstones'));
  assert.equal(readTombstones(dir).total, 0);
});

test('tombstones round-trip with merged, inclusive intervals per series', (t) => {
  const dir = tempDir(t, 'vigil-tomb-');
  const stones = new Tombstones();
  stones.add(7, { mint: 100, maxt: 200 });
  stones.add(7, { mint: -50, maxt: 10 });
  stones.add(7, { mint: 201, maxt: 300 });
  stones.add(2 ** 31, { mint: 1_700_000_000_000, maxt: 1_700_000_000_000 });
  assert.deepEqual(stones.get(7), [
    { mint: -50, maxt: 10 },
    { mint: 100, maxt: 300 },
  ]);
  writeTombstones(dir, stones);
  const back = readTombstones(dir);
  assert.deepEqual(back.entries(), stones.entries());
  assert.equal(back.total, 3);
  assert.ok(back.isDeleted(7, 300));
  assert.ok(!back.isDeleted(7, 50));
  assert.deepEqual(back.get(8), []);
});

test('corrupt tombstones raise BlockCorruptError naming the directory', (t) => {
  const dir = tempDir(t, 'vigil-tomb-');
  const stones = new Tombstones();
  stones.add(1, { mint: 0, maxt: 5 });
  writeTombstones(dir, stones);
  const good = readFileSync(join(dir, 'tombstones'));
  const f = (bytes: Buffer, reason: RegExp) => {
    writeFileSync(join(dir, 'tombstones'), bytes);
    assert.throws(
      () => readTombstones(dir),
      (err) => err instanceof BlockCorruptError && err.dir === dir && reason.test(err.reason),
    );
  };
  const flip = (at: number) => {
    const b = Buffer.from(good);
    b[at]! ^= 1;
    return b;
  };
  f(flip(0), /bad magic/);
  f(flip(4), /unsupported version 0/);
  f(flip(6), /checksum mismatch/);
  f(good.subarray(0, 7), /too short/);
  // A record cut after its series ref, under a checksum that matches.
  const body = Buffer.from([0x01]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32c(body));
  f(Buffer.concat([good.subarray(0, 5), body, crc]), /truncated record at offset 6/);
});
