import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tempDir } from '../../../../test/harness/temp.js';
import { crc32c } from '../../../lib/encoding/crc32c.js';
import {
  listWalFiles,
  replayWal,
  WAL_FILE_HEADER,
  WAL_RECORD_HEADER,
  type WalDoc,
  walPath,
  WalWriter,
} from './wal.js';

const doc = (i: number): WalDoc => ({
  index: 'logs',
  id: `id${i}`,
  ms: 1e12 + i,
  ns: i,
  json: JSON.stringify({ message: `héllo ${i}` }),
});

async function writeBatches(dir: string, n: number): Promise<number[]> {
  const wal = new WalWriter(dir);
  const ends: number[] = [];
  for (let b = 0; b < n; b++) {
    const { buf, end } = (await import('./wal.js')).encodeWalRecord(Buffer.alloc(16), 0, [
      doc(2 * b),
      doc(2 * b + 1),
    ]);
    wal.write(buf, end);
    ends.push(wal.size);
  }
  await wal.sync();
  wal.close();
  return ends;
}

function replayAll(dir: string): WalDoc[] {
  const out: WalDoc[] = [];
  replayWal(dir, 0, Infinity, ({ index, id, ms, ns, buf, start, end }) =>
    out.push({ index, id, ms, ns, json: buf.toString('utf8', start, end) }),
  );
  return out;
}

test('records round trip', async (t) => {
  const dir = tempDir(t);
  await writeBatches(dir, 5);
  assert.deepEqual(
    replayAll(dir),
    Array.from({ length: 10 }, (_, i) => doc(i)),
  );
});

test('a torn tail is truncated, not fatal, at every cut point', async (t) => {
  const dir = tempDir(t);
  const ends = await writeBatches(dir, 3);
  const path = walPath(dir, listWalFiles(dir)[0]!);
  const whole = readFileSync(path);
  for (let cut = 0; cut < whole.length; cut++) {
    writeFileSync(path, whole.subarray(0, cut));
    const docs = replayAll(dir);
    const complete = ends.filter((e) => e <= cut).length;
    assert.equal(docs.length, complete * 2, `cut at ${cut}`);
    // A whole header stays; a torn one goes with the rest.
    const kept = cut >= WAL_FILE_HEADER ? WAL_FILE_HEADER : 0;
    assert.equal(statSync(path).size, complete === 0 ? kept : ends[complete - 1]);
  }
});

test('a record with a bad CRC ends its file; later files still replay', async (t) => {
  const dir = tempDir(t);
  const ends = await writeBatches(dir, 3);
  await writeBatches(dir, 1);
  const [first, second] = listWalFiles(dir);
  const path = walPath(dir, first!);
  const bytes = readFileSync(path);
  bytes[ends[0]! + WAL_RECORD_HEADER + 5]! ^= 0xff;
  writeFileSync(path, bytes);
  const docs = replayAll(dir);
  assert.deepEqual(
    docs.map((d) => d.id),
    ['id0', 'id1', 'id0', 'id1'],
  );
  assert.equal(statSync(path).size, ends[0]);
  assert.ok(second! > first!);
  // Garbage appended after whole records is cut as well.
  appendFileSync(walPath(dir, second!), Buffer.from([1, 2, 3]));
  replayAll(dir);
  truncateSync(walPath(dir, second!), 0);
  assert.deepEqual(replayAll(dir).length, 2);
});

test('encoding reports where each id and source is in UTF-8, and ids and index names of any text', async () => {
  const { encodeWalRecord, decodeWalRecord } = await import('./wal.js');
  const docs: WalDoc[] = [doc(1), { ...doc(2), index: 'logs-é', id: 'ïd-☃' }];
  const spans = {
    idAt: [] as number[],
    idBytes: [] as number[],
    jsonAt: [] as number[],
    jsonBytes: [] as number[],
  };
  const { buf, end } = encodeWalRecord(Buffer.alloc(8), 0, docs, spans);
  const at = (k: number, offsets: number[], sizes: number[]) =>
    buf.toString('utf8', offsets[k], offsets[k]! + sizes[k]!);
  assert.deepEqual(
    docs.map((_, k) => [at(k, spans.idAt, spans.idBytes), at(k, spans.jsonAt, spans.jsonBytes)]),
    docs.map((d) => [d.id, d.json]),
  );
  assert.notEqual(spans.jsonBytes[0], docs[0]!.json.length);
  const back: string[] = [];
  decodeWalRecord(buf, WAL_RECORD_HEADER, end, (d) => back.push(`${d.index} ${d.id}`));
  assert.deepEqual(back, ['logs id1', 'logs-é ïd-☃']);
});

test('version 1 files (no header, CRC-32C) replay; an unknown version fails with the file', async (t) => {
  const dir = tempDir(t);
  const { encodeWalRecord } = await import('./wal.js');
  // Version 1 as it was written: records only, each checked with CRC-32C.
  let v1 = Buffer.alloc(0);
  const ends: number[] = [];
  for (let b = 0; b < 3; b++) {
    const { buf, end } = encodeWalRecord(Buffer.alloc(16), 0, [doc(2 * b), doc(2 * b + 1)]);
    buf.writeUInt32LE(crc32c(buf, WAL_RECORD_HEADER, end), 4);
    v1 = Buffer.concat([v1, buf.subarray(0, end)]);
    ends.push(v1.length);
  }
  writeFileSync(walPath(dir, 1), v1.subarray(0, v1.length - 3));
  await writeBatches(dir, 1);
  assert.deepEqual(
    replayAll(dir).map((d) => d.id),
    ['id0', 'id1', 'id2', 'id3', 'id0', 'id1'],
  );
  // Its torn last record was cut as in version 2.
  assert.equal(statSync(walPath(dir, 1)).size, ends[1]);
  const next = walPath(dir, 3);
  writeFileSync(next, Buffer.from('VWAL\x07\x00\x00\x00', 'latin1'));
  assert.throws(() => replayAll(dir), {
    message: `cannot replay WAL: ${next}: format version 7, not 2`,
  });
});
