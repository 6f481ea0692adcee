import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeRange, parseTime, stepFor } from './time';

const NOW = Date.parse('2024-05-06T07:08:09Z');

test('parseTime', () => {
  assert.equal(parseTime('now', NOW), NOW);
  assert.equal(parseTime('now-1h', NOW), NOW - 3_600_000);
  assert.equal(parseTime('now-1d/d', NOW), Date.parse('2024-05-05T00:00:00Z'));
  assert.equal(parseTime('now-1h+30m', NOW), NOW - 1_800_000);
  assert.equal(parseTime('2024-05-06T00:00:00Z', NOW), Date.parse('2024-05-06T00:00:00Z'));
  assert.equal(parseTime('2024-05-06 01:00', NOW), Date.parse('2024-05-06T01:00:00Z'));
  assert.equal(parseTime('1714979289000', NOW), 1714979289000);
  assert.equal(parseTime('yesterday', NOW), undefined);
  assert.equal(parseTime('now-1x', NOW), undefined);
});

test('describeRange and stepFor', () => {
  assert.equal(describeRange('now-6h', 'now'), 'Last 6 hours');
  assert.equal(describeRange('now-6h', 'now-1h'), 'now-6h to now-1h');
  assert.equal(stepFor(3_600_000, 800), 9000);
  assert.equal(stepFor(60_000, 800), 1000);
});
