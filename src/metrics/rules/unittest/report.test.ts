import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatAlerts, formatFloatE, formatGoDuration, formatSamples, pairsOf } from './report.js';

test('formatFloatE prints as Go strconv.FormatFloat(v, E, -1, 64)', () => {
  assert.equal(formatFloatE(0), '0E+00');
  assert.equal(formatFloatE(1), '1E+00');
  assert.equal(formatFloatE(150), '1.5E+02');
  assert.equal(formatFloatE(0.1 + 0.2), '3.0000000000000004E-01');
  assert.equal(formatFloatE(-2.5e-120), '-2.5E-120');
  assert.equal(formatFloatE(Infinity), '+Inf');
  assert.equal(formatFloatE(-Infinity), '-Inf');
  assert.equal(formatFloatE(NaN), 'NaN');
});

test('alerts and samples print as promtool prints them', () => {
  assert.equal(formatAlerts([]), '[]');
  const a = { labels: pairsOf({ b: '2', a: 'x"y' }), annotations: pairsOf({ s: '' }) };
  assert.equal(
    formatAlerts([a, a]),
    '[\n0:\n  Labels:{a="x\\"y", b="2"}\n  Annotations:{s=""},\n1:\n  Labels:{a="x\\"y", b="2"}\n  Annotations:{s=""}\n]',
  );
  assert.equal(formatSamples([]), 'nil');
  assert.equal(
    formatSamples([{ labels: pairsOf({ __name__: 'up' }), value: 1 }]),
    '{__name__="up"} 1E+00',
  );
});

test('formatGoDuration prints as Go time.Duration.String()', () => {
  assert.equal(formatGoDuration(0), '0s');
  assert.equal(formatGoDuration(500), '500ms');
  assert.equal(formatGoDuration(1500), '1.5s');
  assert.equal(formatGoDuration(120_000), '2m0s');
  assert.equal(formatGoDuration(90_500), '1m30.5s');
  assert.equal(formatGoDuration(3_600_000), '1h0m0s');
  assert.equal(formatGoDuration(3_725_000), '1h2m5s');
});
