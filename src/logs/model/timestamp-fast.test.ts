import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTime } from './timestamp.js';

// parseTime reads the common `YYYY-MM-DDTHH:MM:SS[.f]Z` layout on a fast path and everything
// else with a regular expression; these cases sit on both sides of the fast path's edges.
test('the fast and general readings of ISO times agree at the edges', () => {
  const t = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0, ns = 0) => ({
    ms: Date.UTC(y, mo - 1, d, h, mi, s, ms),
    ns,
  });
  const cases: [unknown, ReturnType<typeof t> | undefined][] = [
    ['2024-05-06T07:08:09Z', t(2024, 5, 6, 7, 8, 9)],
    ['2024-05-06T07:08:09.1Z', t(2024, 5, 6, 7, 8, 9, 100)],
    ['2024-05-06T07:08:09.123456789Z', t(2024, 5, 6, 7, 8, 9, 123, 456789)],
    ['1970-01-01T00:00:00.000001Z', t(1970, 1, 1, 0, 0, 0, 0, 1000)],
    ['1969-12-31T23:59:59.999Z', t(1969, 12, 31, 23, 59, 59, 999)],
    ['2024-02-29T12:00:00Z', t(2024, 2, 29, 12)],
    ['2000-02-29T00:00:00Z', t(2000, 2, 29)],
    ['2400-03-01T00:00:00Z', t(2400, 3, 1)],
    ['2024-04-31T12:00:00Z', undefined],
    ['1900-02-29T00:00:00Z', undefined],
    ['2023-02-29T12:00:00Z', undefined],
    ['2024-05-06T07:08:09.Z', undefined],
    ['2024-05-06T07:08:09.1234567890Z', undefined],
    ['2024-05-06 07:08:09Z', t(2024, 5, 6, 7, 8, 9)],
    ['2024-05-06T07:08:09+02:00', t(2024, 5, 6, 5, 8, 9)],
    [1714979289123, { ms: 1714979289123, ns: 0 }],
    ['garbage', undefined],
  ];
  for (const [input, want] of cases) assert.deepEqual(parseTime(input), want, String(input));
  const y99 = parseTime('0099-03-01T00:00:00Z');
  assert.equal(y99 && new Date(y99.ms).getUTCFullYear(), 99);
  for (let i = 0; i < 2000; i++) {
    const ms = Math.floor(Math.random() * 2 ** 42);
    const s = new Date(ms).toISOString();
    assert.deepEqual(parseTime(s), { ms, ns: 0 }, s);
  }
});
