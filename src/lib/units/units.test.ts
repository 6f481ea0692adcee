import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDuration, parseDuration } from './duration.js';
import { formatSize, parseSize } from './size.js';

test('parseDuration accepts Prometheus notation and rejects the rest', () => {
  const f = (input: string, expected: number | undefined) =>
    assert.equal(parseDuration(input), expected, input);
  f('0', 0);
  f('15s', 15_000);
  f('1h30m', 5_400_000);
  f('500ms', 500);
  f('1m500ms', 60_500);
  f('2d', 172_800_000);
  f('1w', 604_800_000);
  f('1y', 31_536_000_000);
  f('', undefined);
  f('5x', undefined);
  f('30m1h', undefined);
  f('1.5s', undefined);
  f('-1s', undefined);
  f('15', undefined);
  f(' 15s', undefined);
});

test('formatDuration round-trips', () => {
  for (const s of ['0s', '15s', '1h30m', '500ms', '1w', '2d3h', '1m500ms']) {
    assert.equal(formatDuration(parseDuration(s)!), s);
  }
});

test('parseSize accepts binary units in both spellings', () => {
  const f = (input: string, expected: number | undefined) =>
    assert.equal(parseSize(input), expected, input);
  f('4096', 4096);
  f('100B', 100);
  f('1KB', 1024);
  f('1KiB', 1024);
  f('512MiB', 536_870_912);
  f('512MB', 536_870_912);
  f('1.5KB', 1536);
  f('2gib', 2 * 1024 ** 3);
  f('', undefined);
  f('12XB', undefined);
  f('-1MB', undefined);
  f('MB', undefined);
});

test('formatSize picks the largest exact unit', () => {
  assert.equal(formatSize(536_870_912), '512MiB');
  assert.equal(formatSize(1000), '1000B');
  assert.equal(formatSize(0), '0B');
  assert.equal(formatSize(1536), '1536B');
});
