/**
 * @module
 * Unit tests for the time-range helpers of the time picker.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  autoInterval,
  describeRange,
  parseInterval,
  parseTimeExpr,
  resolveRange,
  TimeExprError,
} from './timeRange';

const NOW = Date.parse('2024-05-08T13:14:15.678Z'); // a Wednesday

function f(expr: string, expected: string, roundUp = false): void {
  assert.equal(
    new Date(parseTimeExpr(expr, NOW, roundUp)).toISOString(),
    expected,
    `parseTimeExpr(${expr}, roundUp=${roundUp})`,
  );
}

test('date math relative to now', () => {
  f('now', '2024-05-08T13:14:15.678Z');
  f('now-15m', '2024-05-08T12:59:15.678Z');
  f('now-24h', '2024-05-07T13:14:15.678Z');
  f('now-7d', '2024-05-01T13:14:15.678Z');
  f('now+1h-30s', '2024-05-08T14:13:45.678Z');
  f('now-1M', '2024-04-08T13:14:15.678Z');
  f('now-1y', '2023-05-08T13:14:15.678Z');
  f(' now-500ms ', '2024-05-08T13:14:15.178Z');
});

test('rounding: down for from, to the end of the unit for to', () => {
  f('now/d', '2024-05-08T00:00:00.000Z');
  f('now/d', '2024-05-08T23:59:59.999Z', true);
  f('now/w', '2024-05-06T00:00:00.000Z');
  f('now/w', '2024-05-12T23:59:59.999Z', true);
  f('now-1d/d', '2024-05-07T00:00:00.000Z');
  f('now/M', '2024-05-01T00:00:00.000Z');
  f('now/M', '2024-05-31T23:59:59.999Z', true);
  f('now/y', '2024-01-01T00:00:00.000Z');
  f('now/h', '2024-05-08T13:00:00.000Z');
});

test('absolute times: RFC 3339 and epoch ms', () => {
  f('2024-05-06T07:08:09Z', '2024-05-06T07:08:09.000Z');
  f('2024-05-06T07:08:09.5+02:00', '2024-05-06T05:08:09.500Z');
  f('1714979289000', '2024-05-06T07:08:09.000Z');
});

test('text that does not read throws TimeExprError naming it', () => {
  for (const bad of ['', 'yesterday', 'now-15x', 'now-', 'now/q', '2024-13-45']) {
    assert.throws(() => parseTimeExpr(bad, NOW), TimeExprError, bad);
  }
  assert.throws(() => resolveRange({ from: 'now', to: 'now-1h' }, NOW), /end is before the start/);
});

test('resolveRange rounds the end up', () => {
  const r = resolveRange({ from: 'now/d', to: 'now/d' }, NOW);
  assert.equal(r.to - r.from, 86_400_000 - 1);
});

test('describeRange names quick ranges, last-N ranges and absolute ones', () => {
  assert.equal(describeRange({ from: 'now-15m', to: 'now' }), 'Last 15 minutes');
  assert.equal(describeRange({ from: 'now-2h', to: 'now' }), 'Last 2 hours');
  assert.equal(describeRange({ from: 'now-1d', to: 'now' }), 'Last 1 day');
  assert.equal(describeRange({ from: 'now/d', to: 'now/d' }), 'Today');
  assert.equal(
    describeRange({ from: '2024-05-06T07:08:09Z', to: 'now' }),
    '2024-05-06 07:08:09 → now',
  );
});

test('autoInterval keeps the bar count under the limit with readable steps', () => {
  assert.deepEqual(autoInterval(0, 15 * 60_000, 60), { text: '30s', ms: 30_000 });
  assert.deepEqual(autoInterval(0, 3_600_000, 60), { text: '1m', ms: 60_000 });
  assert.deepEqual(autoInterval(0, 86_400_000, 60), { text: '30m', ms: 1_800_000 });
  assert.deepEqual(autoInterval(0, 7 * 86_400_000, 60), { text: '3h', ms: 10_800_000 });
  assert.deepEqual(autoInterval(0, 10 * 365 * 86_400_000, 60), {
    text: '30d',
    ms: 2_592_000_000,
  });
  assert.deepEqual(autoInterval(5, 5), { text: '1s', ms: 1_000 });
});

test('parseInterval reads refresh intervals and treats the rest as off', () => {
  assert.equal(parseInterval('5s'), 5_000);
  assert.equal(parseInterval('1m'), 60_000);
  assert.equal(parseInterval('1h'), 3_600_000);
  assert.equal(parseInterval(''), undefined);
  assert.equal(parseInterval('off'), undefined);
  assert.equal(parseInterval('0s'), undefined);
});
