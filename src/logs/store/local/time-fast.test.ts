import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTime } from '../../model/timestamp.js';
import { readTimestamp } from './time-fast.js';

test('readTimestamp agrees with parseTime', () => {
  const cases = [
    '2024-05-06T07:08:09Z',
    '2024-05-06T07:08:09.1Z',
    '2024-05-06T07:08:09.123Z',
    '2024-05-06T07:08:09.123456789Z',
    '1970-01-01T00:00:00.000001Z',
    '1969-12-31T23:59:59.999Z',
    '2024-02-29T12:00:00Z',
    '2024-04-31T12:00:00Z',
    '2024-05-31T12:00:00.5Z',
    '1900-02-29T00:00:00Z',
    '2000-02-29T00:00:00Z',
    '2023-02-29T12:00:00Z',
    '2024-12-31T23:59:60Z',
    '2024-05-06T07:08:09.Z',
    '2024-05-06T07:08:09.1234567890Z',
    '2024-05-06 07:08:09Z',
    '2400-03-01T00:00:00Z',
    '0099-03-01T00:00:00Z',
    '2024-05-06T07:08:09+02:00',
    1714979289123,
    'garbage',
  ];
  for (const c of cases) assert.deepEqual(readTimestamp(c), parseTime(c), String(c));
  for (let i = 0; i < 2000; i++) {
    const ms = Math.floor(Math.random() * 2 ** 42);
    const s = new Date(ms).toISOString();
    assert.deepEqual(readTimestamp(s), parseTime(s), s);
  }
});
