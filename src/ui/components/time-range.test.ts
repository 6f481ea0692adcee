/**
 * @module
 * Unit tests for the range and end-time buttons.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { shiftEnd, stepRange } from './time-range';

test('range buttons walk the steps and stop at the ends', () => {
  assert.equal(stepRange(3_600_000, 1), 7_200_000);
  assert.equal(stepRange(3_600_000, -1), 1_800_000);
  assert.equal(stepRange(4_000_000, -1), 3_600_000);
  assert.equal(stepRange(4_000_000, 1), 7_200_000);
  assert.equal(stepRange(1000, -1), 1000);
  assert.equal(stepRange(365 * 86_400_000, 1), 365 * 86_400_000);
});

test('end buttons move by half the range and snap back to now', () => {
  assert.equal(shiftEnd(null, 3_600_000, -1, 10_000_000), 8_200_000);
  assert.equal(shiftEnd(8_200_000, 3_600_000, 1, 10_000_000), null);
  assert.equal(shiftEnd(5_000_000, 2_000_000, 1, 10_000_000), 6_000_000);
});
