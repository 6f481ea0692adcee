import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeFrames, encodeFrame } from '../buffer/chunk-format.js';
import type { AgentRecord } from '../stage.js';
import { ChunkPool, idLineChunks } from './id-lines.js';

// Each piece is copied as it comes: the next one overwrites its buffer.
const idLines = (records: readonly AgentRecord[]) =>
  Buffer.concat(Array.from(idLineChunks(records), (c) => Buffer.from(c)));

test('lines from encoded records are the lines from their text; odd ids are escaped', () => {
  const records: AgentRecord[] = [
    { id: 'AbC_-1-2s', json: '{"@timestamp":"t","message":"é \\"q\\""}' },
    { id: 'x', json: '{}' },
    { id: 'we"ird\\', json: '{"a":1}' },
  ];
  const frame = Buffer.concat(encodeFrame(records));
  const encoded = decodeFrames(frame, frame.length, 10).records;
  const expected =
    '{"_id":"AbC_-1-2s","@timestamp":"t","message":"é \\"q\\""}\n' +
    '{"_id":"x"}\n' +
    '{"_id":"we\\"ird\\\\","a":1}\n';
  assert.equal(idLines(records).toString(), expected);
  assert.equal(idLines(encoded).toString(), expected);
  assert.equal(idLines([...encoded.slice(0, 1), ...records.slice(1)]).toString(), expected);
});

test('a body spans chunks, a line longer than a chunk comes whole, and chunks are reused', () => {
  const records: AgentRecord[] = [];
  for (let i = 0; i < 3000; i++) {
    const message = i === 1500 ? 'x'.repeat(300 << 10) : `line ${i} ${'y'.repeat(i % 200)}`;
    records.push({ id: `n-${i}`, json: JSON.stringify({ message }) });
  }
  const expected = records.map((r) => `{"_id":"${r.id}",${r.json.slice(1)}\n`).join('');
  const frame = Buffer.concat(encodeFrame(records));
  const encoded = decodeFrames(frame, frame.length, records.length).records;
  for (const batch of [records, encoded]) {
    const pool = new ChunkPool();
    const pieces = Array.from(idLineChunks(batch, pool), (c) => Buffer.from(c));
    assert.ok(pieces.length > 3, `${pieces.length} pieces`);
    assert.equal(Buffer.concat(pieces).toString(), expected);
    assert.ok(pieces.some((p) => p.length > 300 << 10));
    // The chunk went back to the pool and is what the next batch writes into.
    const first = pool.get();
    pool.put(first);
    const again = idLineChunks(batch, pool).next().value as Buffer;
    assert.equal(again.buffer, first.buffer);
  }
});
