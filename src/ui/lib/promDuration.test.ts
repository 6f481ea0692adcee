/**
 * @module
 * Unit tests for {@link parsePromDuration} and {@link formatPromDuration}.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatPromDuration, parsePromDuration } from './promDuration';

function p(text: string, expected: number | undefined): void {
  assert.equal(parsePromDuration(text), expected, `parsePromDuration(${JSON.stringify(text)})`);
}

test('parses Prometheus durations and plain seconds', () => {
  p('5m', 300_000);
  p('1h30m', 5_400_000);
  p('250ms', 250);
  p('1d', 86_400_000);
  p('2w', 1_209_600_000);
  p('1y', 31_536_000_000);
  p('1m30s500ms', 90_500);
  p('15', 15_000);
  p('0.5', 500);
  p(' 10s ', 10_000);
});

test('refuses what is not a positive duration', () => {
  p('', undefined);
  p('0s', undefined);
  p('0', undefined);
  p('1m1h', undefined);
  p('5mm', undefined);
  p('h', undefined);
  p('-5m', undefined);
  p('5 m', undefined);
});

test('formats the shortest form and round-trips', () => {
  assert.equal(formatPromDuration(5_400_000), '1h30m');
  assert.equal(formatPromDuration(90_500), '1m30s500ms');
  assert.equal(formatPromDuration(0), '0s');
  for (const text of ['1w2d', '3h', '14s', '1y']) {
    assert.equal(formatPromDuration(parsePromDuration(text)!), text);
  }
});
