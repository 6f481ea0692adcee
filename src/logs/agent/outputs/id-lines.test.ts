import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeFrames, encodeFrame } from '../buffer/chunk-format.js';
import type { AgentRecord } from '../stage.js';
import { idLines } from './id-lines.js';

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
