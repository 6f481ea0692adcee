/**
 * @module
 * Unit tests for {@link formatDuration}.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatDuration } from './formatDuration';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function f(ms: number, expected: string): void {
  assert.equal(formatDuration(ms), expected, `formatDuration(${ms})`);
}

test('formats every unit', () => {
  f(3 * DAY + 4 * HOUR + 5 * MINUTE + 6 * SECOND, '3d 4h 5m 6s');
  f(400 * DAY, '400d 0h 0m 0s');
});

test('drops leading zero units and keeps inner ones', () => {
  f(0, '0s');
  f(59 * SECOND, '59s');
  f(MINUTE, '1m 0s');
  f(HOUR + 7 * SECOND, '1h 0m 7s');
  f(DAY + 3 * SECOND, '1d 0h 0m 3s');
});

test('truncates to whole seconds', () => {
  f(999, '0s');
  f(61_999, '1m 1s');
});

test('keeps the sign of negative durations', () => {
  f(-90 * SECOND, '-1m 30s');
  f(-1, '0s');
});

test('rejects non-finite input', () => {
  for (const ms of [NaN, Infinity, -Infinity]) {
    assert.throws(() => formatDuration(ms), RangeError);
  }
});
