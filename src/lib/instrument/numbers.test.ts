import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatGoFloat, formatLeOpenMetrics, formatLeText, formatValue } from './numbers.js';

test('formatValue: integers plain, specials spelled as both parsers expect', () => {
  const f = (v: number, want: string) => assert.equal(formatValue(v), want, `formatValue(${v})`);
  f(0, '0');
  f(-0, '0');
  f(42, '42');
  f(-7, '-7');
  f(2 ** 53, '9007199254740992');
  f(1e20, '100000000000000000000');
  f(1e21, '1e+21');
  f(0.1, '0.1');
  f(1 / 3, '0.3333333333333333');
  f(1.5e-7, '1.5e-7');
  f(NaN, 'NaN');
  f(Infinity, '+Inf');
  f(-Infinity, '-Inf');
});

test("formatGoFloat matches Go's strconv.FormatFloat(v, 'g', -1, 64)", () => {
  const f = (v: number, want: string) =>
    assert.equal(formatGoFloat(v), want, `formatGoFloat(${v})`);
  f(0, '0');
  f(1, '1');
  f(0.005, '0.005');
  f(0.0001, '0.0001');
  f(0.00001, '1e-05');
  f(1.5e-7, '1.5e-07');
  f(999999, '999999');
  f(999999.5, '999999.5');
  f(1e6, '1e+06');
  f(1234567, '1.234567e+06');
  f(-2.5e6, '-2.5e+06');
  f(1e21, '1e+21');
  f(1e-300, '1e-300');
  f(Number.MAX_VALUE, '1.7976931348623157e+308');
  f(NaN, 'NaN');
  f(Infinity, '+Inf');
  f(-Infinity, '-Inf');
});

test('le in the text format follows the Go client', () => {
  const f = (v: number, want: string) => assert.equal(formatLeText(v), want, `formatLeText(${v})`);
  f(0.005, '0.005');
  f(1, '1');
  f(10, '10');
  f(1e6, '1e+06');
  f(Infinity, '+Inf');
});

test('le in OpenMetrics uses the canonical numbers of the spec', () => {
  const f = (v: number, want: string) =>
    assert.equal(formatLeOpenMetrics(v), want, `formatLeOpenMetrics(${v})`);
  // The spec's two example series, "Considerations: Canonical Numbers".
  const linear = '0.0 0.001 0.002 0.01 0.1 0.9 0.95 0.99 0.999 1.0 1.7 10.0';
  for (const s of linear.split(' ')) f(Number(s), s);
  const powers = '1e-10 1e-09 1e-05 0.0001 0.1 1.0 100000.0 1e+06 1e+10';
  for (const s of powers.split(' ')) f(Number(s), s);
  f(-1, '-1.0');
  f(Infinity, '+Inf');
});

test('formatGoFloat fast path agrees with the exponent rule near its bounds', () => {
  // Reference: decide on the exponent of the shortest digits, as Go does.
  const reference = (v: number): string => {
    const [mantissa, e] = v.toExponential().split('e') as [string, string];
    const exp = Number(e);
    if (exp >= -4 && exp < 6) return String(v);
    return `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  };
  const values: number[] = [];
  for (const bound of [1e-4, 1e6]) {
    for (const scale of [1 - 1e-15, 1 - 2e-16, 1, 1 + 2e-16, 1 + 1e-15]) values.push(bound * scale);
  }
  for (let i = 0; i < 2000; i++)
    values.push(10 ** (Math.random() * 14 - 7) * (Math.random() < 0.5 ? -1 : 1));
  for (const v of values) assert.equal(formatGoFloat(v), reference(v), String(v));
});
