import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatUnit, thresholdColor } from './units';

test('formatUnit', () => {
  assert.equal(formatUnit(1536, 'bytes'), '1.50 KiB');
  assert.equal(formatUnit(42.123, 'percent'), '42.1%');
  assert.equal(formatUnit(0.5, 'percentunit'), '50%');
  assert.equal(formatUnit(90, 's'), '1.5 min');
  assert.equal(formatUnit(0.25, 's'), '250 ms');
  assert.equal(formatUnit(2048, 'Bps'), '2.00 KiB/s');
  assert.equal(formatUnit(3.14159, undefined, 2), '3.14');
  assert.equal(formatUnit(null), '—');
});

test('thresholdColor', () => {
  const t = [
    { value: null, color: 'green' },
    { value: 80, color: 'red' },
  ];
  assert.equal(thresholdColor(10, t), '#22a55b');
  assert.equal(thresholdColor(80, t), '#e5484d');
  assert.equal(thresholdColor(5, [{ value: null, color: '#123456' }]), '#123456');
});
