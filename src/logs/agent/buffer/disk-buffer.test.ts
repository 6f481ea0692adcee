import assert from 'node:assert/strict';
import { appendFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { tempDir } from '../../../../test/harness/temp.js';
import type { EncodedRecord } from '../encoded-record.js';
import type { AgentRecord } from '../stage.js';
import { DiskBuffer } from './disk-buffer.js';

const records = (from: number, n: number): AgentRecord[] =>
  Array.from({ length: n }, (_, i) => ({
    id: `r-${from + i}`,
    json: JSON.stringify({ message: `line ${from + i} ${'x'.repeat(100)}` }),
  }));

const ids = (b: { records: readonly { id: string }[] }) => b.records.map((r) => r.id);

test('records come out in order across chunks, whole appended batches at a time; acknowledged chunks are deleted', async (t) => {
  const dir = tempDir(t);
  const buf = DiskBuffer.open({ dir, maxBytes: 1 << 20, chunkBytes: 1000 });
  await buf.append(records(0, 30));
  await buf.append(records(30, 30));
  // A chunk is closed after the write that fills it: one per batch here.
  assert.equal(readdirSync(dir).filter((n) => n.endsWith('.chunk')).length, 2);
  const seen: string[] = [];
  for (;;) {
    const b = await buf.read(7, 1 << 20, 0);
    if (b.records.length === 0) break;
    assert.equal(b.records.length, 30);
    seen.push(...ids(b));
    await buf.ack(b.end);
  }
  assert.deepEqual(
    seen,
    records(0, 60).map((r) => r.id),
  );
  assert.equal(buf.bytes, 0);
  assert.ok(readdirSync(dir).filter((n) => n.endsWith('.chunk')).length <= 1);
  await buf.close();
});

test('a large appended batch is read back in frames of 256 records, so a batch read stays near its record limit', async (t) => {
  const dir = tempDir(t);
  const buf = DiskBuffer.open({ dir, maxBytes: 16 << 20, chunkBytes: 8 << 20 });
  await buf.append(records(0, 1000));
  const sizes: number[] = [];
  const seen: string[] = [];
  for (;;) {
    const b = await buf.read(300, 16 << 20, 0);
    if (b.records.length === 0) break;
    sizes.push(b.records.length);
    seen.push(...ids(b));
    await buf.ack(b.end);
  }
  // Whole frames until the limit is reached: 256 + 256, 256 + 232.
  assert.deepEqual(sizes, [512, 488]);
  assert.deepEqual(
    seen,
    records(0, 1000).map((r) => r.id),
  );
  await buf.close();
});

test('a restart resends from the last acknowledged batch, not the last read one', async (t) => {
  const dir = tempDir(t);
  const a = DiskBuffer.open({ dir, maxBytes: 1 << 20, chunkBytes: 4096 });
  for (let i = 0; i < 50; i += 10) await a.append(records(i, 10));
  const first = await a.read(10, 1 << 20, 0);
  await a.ack(first.end);
  const second = await a.read(10, 1 << 20, 0); // read, never acknowledged: "crash"
  assert.deepEqual(
    ids(second),
    records(10, 10).map((r) => r.id),
  );
  await a.close();
  const b = DiskBuffer.open({ dir, maxBytes: 1 << 20, chunkBytes: 4096 });
  // A batch stays within one chunk: read until the buffer is empty.
  const again: string[] = [];
  for (;;) {
    const batch = await b.read(1000, 1 << 20, 0);
    if (batch.records.length === 0) break;
    again.push(...ids(batch));
  }
  assert.deepEqual(
    again,
    records(10, 40).map((r) => r.id),
  );
  await b.append(records(50, 1));
  assert.deepEqual(ids(await b.read(1000, 1 << 20, 0)), ['r-50']);
  await b.close();
});

test('a frame cut short by a crash is skipped, the records before it are read', async (t) => {
  const dir = tempDir(t);
  const a = DiskBuffer.open({ dir, maxBytes: 1 << 20, chunkBytes: 1 << 20 });
  await a.append(records(0, 3));
  await a.close();
  const chunk = readdirSync(dir).find((n) => n.endsWith('.chunk'))!;
  appendFileSync(join(dir, chunk), Buffer.from([200, 0, 0, 0, 1, 2, 3, 4, 5]));
  const damaged: string[] = [];
  const b = DiskBuffer.open({
    dir,
    maxBytes: 1 << 20,
    chunkBytes: 1 << 20,
    onCorruptChunk: (file) => damaged.push(file),
  });
  await b.append(records(3, 1));
  const seen: string[] = [];
  for (let i = 0; i < 3; i++) {
    const batch = await b.read(1000, 1 << 20, 0);
    seen.push(...ids(batch));
    await b.ack(batch.end);
  }
  assert.deepEqual(seen, ['r-0', 'r-1', 'r-2', 'r-3']);
  assert.deepEqual(damaged, [join(dir, chunk)]);
  assert.equal(b.bytes, 0);
  await b.close();
});

test('a full buffer makes append wait until the output acknowledges', async (t) => {
  const dir = tempDir(t);
  const buf = DiskBuffer.open({ dir, maxBytes: 2000, chunkBytes: 1000 });
  await buf.append(records(0, 20)); // over the bound: the next append waits
  let appended = false;
  const pending = buf.append(records(20, 1)).then(() => (appended = true));
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(appended, false);
  const batch = await buf.read(1000, 1 << 20, 0);
  await buf.ack(batch.end);
  await pending;
  assert.equal(appended, true);
  assert.deepEqual(ids(await buf.read(1000, 1 << 20, 0)), ['r-20']);
  await buf.close();
});

test('read waits for data up to its timeout', async (t) => {
  const buf = DiskBuffer.open({ dir: tempDir(t), maxBytes: 1 << 20, chunkBytes: 1 << 20 });
  const started = Date.now();
  assert.equal((await buf.read(10, 1 << 20, 30)).records.length, 0);
  assert.ok(Date.now() - started >= 25);
  const waiting = buf.read(10, 1 << 20, 10_000);
  await buf.append(records(0, 1));
  assert.deepEqual(ids(await waiting), ['r-0']);
  await buf.close();
});

test('a batch read stays intact until acknowledged, while later batches are read into reused bytes', async (t) => {
  const dir = tempDir(t);
  const buf = DiskBuffer.open({ dir, maxBytes: 1 << 20, chunkBytes: 1 << 20 });
  for (let i = 0; i < 60; i += 10) await buf.append(records(i, 10));
  const texts = (b: { records: readonly { id: string; json: string }[] }) =>
    b.records.map((r) => `${r.id} ${r.json}`);
  const want = (from: number) => texts({ records: records(from, 10) });
  const a = await buf.read(10, 1 << 20, 0);
  const b = await buf.read(10, 1 << 20, 0);
  assert.deepEqual(texts(a), want(0));
  await buf.ack(a.end);
  // a's bytes may now hold c or d; b's, not acknowledged, must not change.
  const c = await buf.read(10, 1 << 20, 0);
  const d = await buf.read(10, 1 << 20, 0);
  assert.deepEqual(texts(b), want(10));
  assert.deepEqual(texts(c), want(20));
  assert.deepEqual(texts(d), want(30));
  await buf.ack(b.end);
  await buf.ack(c.end);
  await buf.ack(d.end);
  for (let from = 40; from < 60; from += 10) {
    const d = await buf.read(10, 1 << 20, 0);
    assert.deepEqual(texts(d), want(from));
    await buf.ack(d.end);
  }
  await buf.close();
});

test('batch buffers take the size of the largest batch, so spares fit and smaller ones are let go', async (t) => {
  const dir = tempDir(t);
  const buf = DiskBuffer.open({ dir, maxBytes: 64 << 20, chunkBytes: 64 << 20 });
  // ~125-byte records: 2 000 are ~250 KiB, 6 000 ~750 KiB.
  for (const n of [2000, 6000, 2000, 2000]) await buf.append(records(0, n));
  const bytesOf = (b: { records: readonly AgentRecord[] }) =>
    (b.records[0] as EncodedRecord).buf.buffer;
  const small = await buf.read(2000, 64 << 20, 0);
  await buf.ack(small.end);
  const large = await buf.read(6000, 64 << 20, 0);
  await buf.ack(large.end);
  // The small batch's buffer was too small to keep; the large one's is reused for both.
  const next = await buf.read(2000, 64 << 20, 0);
  assert.equal(bytesOf(next), bytesOf(large));
  const last = await buf.read(2000, 64 << 20, 0);
  assert.notEqual(bytesOf(last), bytesOf(small));
  assert.equal(bytesOf(last).byteLength, bytesOf(large).byteLength);
  assert.equal(next.records.length + last.records.length, 4000);
  await buf.close();
});

test('a batch is read a piece at a time: many pieces, frames larger than a piece, and one larger than maxBytes alone', async (t) => {
  const dir = tempDir(t);
  const buf = DiskBuffer.open({ dir, maxBytes: 64 << 20, chunkBytes: 64 << 20 });
  const big = (id: string, kib: number): AgentRecord => ({
    id,
    json: JSON.stringify({ message: 'y'.repeat(kib << 10) }),
  });
  // ~1.2 MB of small records (several 256 KiB pieces), then a 600 KiB record between small ones.
  await buf.append(records(0, 9000));
  await buf.append([big('big-1', 600)]);
  await buf.append(records(9000, 10));
  const seen: string[] = [];
  const first = await buf.read(9000, 64 << 20, 0);
  assert.equal(first.records.length, 9000);
  seen.push(...ids(first));
  await buf.ack(first.end);
  // The large frame is read whole along with what follows it.
  const second = await buf.read(9000, 64 << 20, 0);
  assert.deepEqual(ids(second), ['big-1', ...records(9000, 10).map((r) => r.id)]);
  assert.equal(
    (JSON.parse(second.records[0]!.json) as { message: string }).message.length,
    600 << 10,
  );
  await buf.ack(second.end);
  assert.deepEqual(
    seen,
    records(0, 9000).map((r) => r.id),
  );
  // A frame larger than maxBytes comes alone; the batch after it stops at maxBytes.
  await buf.append([big('big-2', 300)]);
  await buf.append(records(20000, 2000));
  const alone = await buf.read(9000, 100 << 10, 0);
  assert.deepEqual(ids(alone), ['big-2']);
  await buf.ack(alone.end);
  const capped = await buf.read(9000, 100 << 10, 0);
  assert.ok(capped.records.length > 0 && capped.records.length < 2000, `${capped.records.length}`);
  await buf.close();
});
