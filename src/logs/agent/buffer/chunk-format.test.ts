import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EncodedRecord } from '../encoded-record.js';
import type { AgentRecord } from '../stage.js';
import { decodeFrames, encodeFrame, scanFrames } from './chunk-format.js';

const text = (id: string, doc: object): AgentRecord => ({ id, json: JSON.stringify(doc) });
const frame = (records: readonly AgentRecord[]) => Buffer.concat(encodeFrame(records));

test('text and encoded records, in runs or apart, come back as written', () => {
  const a = [text('a-1', { message: 'é€' }), text('a-2', {}), text('a-3', { n: 3 })];
  // Records read back are encoded records over the frame's bytes, one run.
  const fa = frame(a);
  const encoded = decodeFrames(fa, fa.length, 100).records;
  assert.ok(encoded.every((r) => r instanceof EncodedRecord));
  const fb = frame([text('b-1', { x: 'y' })]);
  const other = decodeFrames(fb, fb.length, 100).records;
  // Mixed: a run, a text record, a record of another buffer, the rest of the run out of order.
  const mixed = [encoded[0]!, encoded[1]!, text('c-1', { m: 'z' }), other[0]!, encoded[2]!];
  const f = frame(mixed);
  const back = decodeFrames(f, f.length, 100);
  assert.deepEqual(
    back.records.map((r) => [r.id, r.json]),
    mixed.map((r) => [r.id, r.json]),
  );
  assert.equal(back.used, f.length);
});

test('scanFrames stops at whole frames, reports a cut frame and a damaged one', () => {
  const one = frame([text('a-1', { m: 1 }), text('a-2', { m: 2 })]);
  const two = frame([text('b-1', { m: 3 })]);
  const both = Buffer.concat([one, two]);
  assert.deepEqual(scanFrames(both, both.length, 1), {
    used: one.length,
    count: 2,
    needed: 0,
    corrupt: false,
  });
  assert.deepEqual(scanFrames(both, both.length - 1, 10), {
    used: one.length,
    count: 2,
    needed: two.length,
    corrupt: false,
  });
  both[one.length + 12] ^= 0xff;
  assert.deepEqual(scanFrames(both, both.length, 10), {
    used: one.length,
    count: 2,
    needed: 0,
    corrupt: true,
  });
});
