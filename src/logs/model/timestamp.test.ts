import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareTime, formatTime, parseTime, type LogTime } from './timestamp.js';

function f(value: unknown, expected: LogTime | undefined) {
  assert.deepEqual(parseTime(value), expected, JSON.stringify(value));
}

const base = Date.UTC(2024, 4, 6, 7, 8, 9);

test('RFC 3339 with 0 to 9 fraction digits', () => {
  f('2024-05-06T07:08:09Z', { ms: base, ns: 0 });
  f('2024-05-06T07:08:09.1Z', { ms: base + 100, ns: 0 });
  f('2024-05-06T07:08:09.12Z', { ms: base + 120, ns: 0 });
  f('2024-05-06T07:08:09.123Z', { ms: base + 123, ns: 0 });
  f('2024-05-06T07:08:09.1234Z', { ms: base + 123, ns: 400_000 });
  f('2024-05-06T07:08:09.12345Z', { ms: base + 123, ns: 450_000 });
  f('2024-05-06T07:08:09.123456Z', { ms: base + 123, ns: 456_000 });
  f('2024-05-06T07:08:09.1234567Z', { ms: base + 123, ns: 456_700 });
  f('2024-05-06T07:08:09.12345678Z', { ms: base + 123, ns: 456_780 });
  f('2024-05-06T07:08:09.123456789Z', { ms: base + 123, ns: 456_789 });
  f('2024-05-06T07:08:09,5z', { ms: base + 500, ns: 0 });
  f('2024-05-06T07:08:09.1234567890Z', undefined);
});

test('offsets, optional seconds and time, space separator', () => {
  f('2024-05-06T09:08:09+02:00', { ms: base, ns: 0 });
  f('2024-05-06T09:08:09+0200', { ms: base, ns: 0 });
  f('2024-05-06T09:08:09+02', { ms: base, ns: 0 });
  f('2024-05-06T01:38:09.5-05:30', { ms: base + 500, ns: 0 });
  f('2024-05-06T07:08:09', { ms: base, ns: 0 });
  f('2024-05-06 07:08:09Z', { ms: base, ns: 0 });
  f('2024-05-06T07:08Z', { ms: base - 9000, ns: 0 });
  f('2024-05-06', { ms: Date.UTC(2024, 4, 6), ns: 0 });
  // An offset can move the date across midnight and month ends.
  f('2024-03-01T00:30:00+01:00', { ms: Date.UTC(2024, 1, 29, 23, 30), ns: 0 });
});

test('epoch milliseconds as numbers and strings', () => {
  f(base, { ms: base, ns: 0 });
  f(base + 0.5, { ms: base, ns: 500_000 });
  f(String(base), { ms: base, ns: 0 });
  f(`${base}.25`, { ms: base, ns: 250_000 });
  f(0, { ms: 0, ns: 0 });
  f(-1.5, { ms: -2, ns: 500_000 });
  f('-1000', { ms: -1000, ns: 0 });
  // A fraction that rounds to a whole millisecond carries into ms.
  f(1.9999999, { ms: 2, ns: 0 });
  f(Number.NaN, undefined);
  f(Infinity, undefined);
  f('12345678901234567', undefined);
});

test('invalid dates and other values are not times', () => {
  f('2024-02-30', undefined);
  f('2023-02-29', undefined);
  f('2024-02-29', { ms: Date.UTC(2024, 1, 29), ns: 0 });
  f('2024-13-01', undefined);
  f('2024-00-10', undefined);
  f('2024-04-31', undefined);
  f('2024-01-00', undefined);
  f('2024-01-01T24:00:00Z', undefined);
  f('2024-01-01T23:60:00Z', undefined);
  f('2024-01-01T10:00:00Q', undefined);
  f('2024-1-1', undefined);
  f('yesterday', undefined);
  f('', undefined);
  f(true, undefined);
  f(null, undefined);
  f({}, undefined);
});

test('years before 100 are not read as 19xx', () => {
  const t = parseTime('0099-03-01T00:00:00Z');
  assert.ok(t);
  assert.equal(new Date(t.ms).getUTCFullYear(), 99);
  assert.equal(formatTime(t), '0099-03-01T00:00:00Z');
});

test('formatTime uses 0, 3, 6 or 9 fraction digits and round-trips', () => {
  const g = (t: LogTime, s: string) => {
    assert.equal(formatTime(t), s);
    assert.deepEqual(parseTime(s), t, s);
  };
  g({ ms: base, ns: 0 }, '2024-05-06T07:08:09Z');
  g({ ms: base + 120, ns: 0 }, '2024-05-06T07:08:09.120Z');
  g({ ms: base, ns: 1 }, '2024-05-06T07:08:09.000000001Z');
  g({ ms: base + 123, ns: 456_000 }, '2024-05-06T07:08:09.123456Z');
  g({ ms: base + 123, ns: 456_789 }, '2024-05-06T07:08:09.123456789Z');
  g({ ms: -1, ns: 0 }, '1969-12-31T23:59:59.999Z');
  for (let i = 0; i < 200; i++) {
    const t = { ms: Math.floor(Math.random() * 4e12), ns: Math.floor(Math.random() * 1e6) };
    assert.deepEqual(parseTime(formatTime(t)), t);
  }
});

test('compareTime orders by ms, then ns', () => {
  assert.ok(compareTime({ ms: 1, ns: 999_999 }, { ms: 2, ns: 0 }) < 0);
  assert.ok(compareTime({ ms: 1, ns: 7 }, { ms: 1, ns: 5 }) > 0);
  assert.equal(compareTime({ ms: 3, ns: 3 }, { ms: 3, ns: 3 }), 0);
});
