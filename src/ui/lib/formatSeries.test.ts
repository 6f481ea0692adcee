/**
 * @module
 * Unit tests for series names and value formatting.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatSeriesName, formatValue, parseSampleValue } from './formatSeries';

test('series names read like selectors', () => {
  assert.equal(formatSeriesName({ __name__: 'up', job: 'vigil' }), 'up{job="vigil"}');
  assert.equal(formatSeriesName({ b: '2', a: 'x"y' }), '{a="x\\"y", b="2"}');
  assert.equal(formatSeriesName({ __name__: 'up' }), 'up');
  assert.equal(formatSeriesName({}), '{}');
});

test('sample values keep infinities and NaN', () => {
  assert.equal(parseSampleValue('+Inf'), Infinity);
  assert.equal(parseSampleValue('-Inf'), -Infinity);
  assert.ok(Number.isNaN(parseSampleValue('NaN')));
  assert.equal(parseSampleValue('4.2e+01'), 42);
});

test('values format with SI suffixes', () => {
  assert.equal(formatValue(1536), '1.536k');
  assert.equal(formatValue(2_500_000_000), '2.5G');
  assert.equal(formatValue(0.00012), '0.00012');
  assert.equal(formatValue(-42), '-42');
  assert.equal(formatValue(null), '—');
  assert.equal(formatValue(Infinity), '+Inf');
});
