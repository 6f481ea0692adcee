import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DateMathError, parseDate, parseDateMath, type DateRange } from './date-math.js';

const now = Date.UTC(2024, 4, 6, 7, 8, 9, 123); // a Monday
const U = Date.UTC;

function f(text: string, expected: DateRange) {
  assert.deepEqual(parseDateMath(text, now), expected, text);
}
const at = (t: number): DateRange => ({ start: t, end: t });

test('absolute dates name their whole period', () => {
  const g = (text: string, start: number, end: number) =>
    assert.deepEqual(parseDate(text), { start, end }, text);
  g('2024', U(2024, 0), U(2025, 0));
  g('2024-02', U(2024, 1), U(2024, 2));
  g('2024-12', U(2024, 11), U(2025, 0));
  g('2024-05-06', U(2024, 4, 6), U(2024, 4, 7));
  g('2024-05-06T07', U(2024, 4, 6, 7), U(2024, 4, 6, 8));
  g('2024-05-06T07:08', U(2024, 4, 6, 7, 8), U(2024, 4, 6, 7, 9));
  g('2024-05-06T07:08:09', U(2024, 4, 6, 7, 8, 9), U(2024, 4, 6, 7, 8, 10));
  g('2024-05-06T07:08:09.1Z', U(2024, 4, 6, 7, 8, 9, 100), U(2024, 4, 6, 7, 8, 9, 200));
  g('2024-05-06T07:08:09.123', U(2024, 4, 6, 7, 8, 9, 123), U(2024, 4, 6, 7, 8, 9, 124));
  g('2024-05-06T09:08+02:00', U(2024, 4, 6, 7, 8), U(2024, 4, 6, 7, 9));
  assert.deepEqual(
    parseDate('2024-05-06T07:08:09.123456789Z'),
    at(U(2024, 4, 6, 7, 8, 9, 123) + 0.456789),
  );
  assert.deepEqual(parseDate('1714979289123'), at(1714979289123));
  assert.deepEqual(parseDate('-5'), at(-5));
  for (const bad of ['2024-13', '2024-02-30', '24-01-01', 'now', '', 'x', '2024-05-06T25:00']) {
    assert.equal(parseDate(bad), undefined, bad);
  }
});

test('now with arithmetic is an instant', () => {
  f('now', at(now));
  f('now-15m', at(now - 15 * 60_000));
  f('now+1h', at(now + 3_600_000));
  f('now-1H', at(now - 3_600_000));
  f('now-2w', at(now - 14 * 86_400_000));
  f('now-30s-500ms', at(now - 30_500));
  f('now+d', at(now + 86_400_000));
  f('now-1M', at(U(2024, 3, 6, 7, 8, 9, 123)));
  f('now-1y', at(U(2023, 4, 6, 7, 8, 9, 123)));
});

test('rounding names the whole unit', () => {
  f('now/d', { start: U(2024, 4, 6), end: U(2024, 4, 7) });
  f('now-1d/d', { start: U(2024, 4, 5), end: U(2024, 4, 6) });
  f('now/M', { start: U(2024, 4), end: U(2024, 5) });
  f('now/y', { start: U(2024, 0), end: U(2025, 0) });
  f('now/h', { start: U(2024, 4, 6, 7), end: U(2024, 4, 6, 8) });
  f('now/m', { start: U(2024, 4, 6, 7, 8), end: U(2024, 4, 6, 7, 9) });
  f('now/s', { start: U(2024, 4, 6, 7, 8, 9), end: U(2024, 4, 6, 7, 8, 10) });
  f('now/w', { start: U(2024, 4, 6), end: U(2024, 4, 13) });
  f('now+6d/w', { start: U(2024, 4, 6), end: U(2024, 4, 13) });
  f('now-1d/w', { start: U(2024, 3, 29), end: U(2024, 4, 6) });
  f('now/d+1h', { start: U(2024, 4, 6, 1), end: U(2024, 4, 7, 1) });
});

test('anchored dates', () => {
  f('2024-01-01||+1M/d', { start: U(2024, 1, 1), end: U(2024, 1, 2) });
  f('2024-01-31||+1M', { start: U(2024, 1, 29), end: U(2024, 2, 1) });
  f('2023-01-31T10:00:00.000Z||+1M', {
    start: U(2023, 1, 28, 10),
    end: U(2023, 1, 28, 10, 0, 0, 1),
  });
  f('2024-02-29||+1y', { start: U(2025, 1, 28), end: U(2025, 2, 1) });
  f('2024-05||', { start: U(2024, 4), end: U(2024, 5) });
  f('2024-05-06', { start: U(2024, 4, 6), end: U(2024, 4, 7) });
  f('2024-03-31T12:00:00Z||-1M/M', { start: U(2024, 1), end: U(2024, 2) });
});

test('errors say what and where', () => {
  const g = (text: string, offset: number, reason: RegExp) => {
    assert.throws(
      () => parseDateMath(text, now),
      (e: unknown) => e instanceof DateMathError && e.offset === offset && reason.test(e.message),
      text,
    );
  };
  g('now-1x', 5, /expected a unit .* but found "x"/);
  g('now-', 4, /found the end/);
  g('now/', 4, /found the end/);
  g('nowx', 3, /expected "\+", "-" or "\/" but found "x"/);
  g('2024-13-01||+1d', 0, /"2024-13-01" is not a date/);
  g('yesterday', 0, /not a date/);
  g('now-1d/dd', 8, /but found "d"/);
  assert.throws(() => parseDateMath('now-1x', now), {
    message:
      'cannot parse date math "now-1x": expected a unit (y M w d h H m s ms) but found "x" at offset 5',
  });
});
