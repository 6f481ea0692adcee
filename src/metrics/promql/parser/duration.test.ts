import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDuration, parseDuration } from './duration.js';

test('durations parse to milliseconds as in prometheus/common', () => {
  const f = (s: string, ms: number) => assert.equal(parseDuration(s), ms, s);
  f('0', 0);
  f('0s', 0);
  f('5m', 300_000);
  f('1h30m', 5_400_000);
  f('1m30ms', 60_030);
  f('1001ms', 1001);
  f('2w', 14 * 86_400_000);
  f('1y2w3d4h5m6s7ms', 365 * 86_400_000 + 17 * 86_400_000 + 4 * 3_600_000 + 306_007);
  f('292y', 292 * 365 * 86_400_000);
});

test('bad durations fail with Prometheus messages', () => {
  const f = (s: string, message: string) => assert.throws(() => parseDuration(s), { message }, s);
  f('', 'empty duration string');
  f('5', 'not a valid duration string: "5"');
  f('m', 'not a valid duration string: "m"');
  f('5m1h', 'not a valid duration string: "5m1h"');
  f('5m5m', 'not a valid duration string: "5m5m"');
  f('5y1hs', 'unknown unit "hs" in duration "5y1hs"');
  f('1x', 'unknown unit "x" in duration "1x"');
  f('300y', 'duration out of range');
  f('99999999999999999999s', 'not a valid duration string: "99999999999999999999s"');
});

test('durations print in the largest units that divide them', () => {
  const f = (ms: number, s: string) => assert.equal(formatDuration(ms), s, s);
  f(0, '0s');
  f(1, '1ms');
  f(90_000, '1m30s');
  f(86_400_000, '1d');
  f(7 * 86_400_000, '1w');
  f(8 * 86_400_000, '8d');
  f(365 * 86_400_000, '1y');
  f(366 * 86_400_000, '366d');
  f(3_600_000 + 1, '1h1ms');
});
