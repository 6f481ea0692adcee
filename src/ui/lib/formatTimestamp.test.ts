/**
 * @module
 * Unit tests for {@link formatTimestamp}.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatTimestamp } from './formatTimestamp';

function f(rfc3339: string, expected: string): void {
  assert.equal(formatTimestamp(Date.parse(rfc3339)), expected, `formatTimestamp(${rfc3339})`);
}

test('formats in UTC whatever the input offset', () => {
  f('2025-11-30T06:41:02Z', '2025-11-30 06:41:02 UTC');
  f('2025-11-30T06:41:02+02:00', '2025-11-30 04:41:02 UTC');
  f('2026-01-01T00:30:00-01:00', '2026-01-01 01:30:00 UTC');
});

test('truncates fractional seconds', () => {
  f('2025-11-30T06:41:02.999999999Z', '2025-11-30 06:41:02 UTC');
});

test('rejects invalid times', () => {
  assert.throws(() => formatTimestamp(Date.parse('not a time')), RangeError);
  assert.throws(() => formatTimestamp(8.64e15 + 1), RangeError);
});
