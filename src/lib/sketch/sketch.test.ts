import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CardinalitySketch } from './cardinality-sketch.js';
import { QuantileSketch } from './quantile-sketch.js';

test('quantiles stay within 1 % of the exact value over six orders of magnitude', () => {
  const s = new QuantileSketch();
  const values: number[] = [];
  let x = 12345;
  for (let i = 0; i < 100_000; i++) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    const v = Math.exp((x / 2 ** 31) * Math.log(1e6)) * (i % 7 === 0 ? -1 : 1);
    values.push(v);
    s.add(v);
  }
  values.sort((a, b) => a - b);
  for (const q of [0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999]) {
    const exact = values[Math.floor(q * (values.length - 1))]!;
    const got = s.quantile(q);
    assert.ok(Math.abs(got - exact) <= 0.0101 * Math.abs(exact), `q=${q}: ${got} vs ${exact}`);
  }
  assert.equal(s.quantile(0), values[0]);
  assert.equal(s.quantile(1), values[values.length - 1]);
  assert.equal(s.count, 100_000);
});

test('quantiles of zeros, one value and nothing', () => {
  const s = new QuantileSketch();
  assert.ok(Number.isNaN(s.quantile(0.5)));
  s.add(0);
  s.add(0);
  assert.equal(s.quantile(0.5), 0);
  const one = new QuantileSketch();
  one.add(42);
  assert.equal(one.quantile(0.5), 42);
});

test('cardinality is exact below the threshold and within 3 % beyond', () => {
  const small = new CardinalitySketch(100);
  for (let i = 0; i < 250; i++) small.add(`v${i % 90}`);
  assert.equal(small.estimate(), 90);
  for (const n of [1000, 20_000, 300_000]) {
    const c = new CardinalitySketch(100);
    for (let i = 0; i < n; i++) {
      c.add(`pod-${i}`);
      c.add(`pod-${i}`);
    }
    const err = Math.abs(c.estimate() - n) / n;
    assert.ok(err < 0.03, `n=${n}: estimate ${c.estimate()}`);
  }
});
