import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import {
  FLOAT_OK,
  FLOAT_RANGE,
  FLOAT_SYNTAX,
  formatOpenMetricsFloat,
  NORMAL_NAN,
  parseDigits,
  parseFloatInto,
  parseGoFloat,
} from './number.js';

test('values read as Go strconv.ParseFloat reads them, without p, P and _', () => {
  const out = new Float64Array(1);
  const f = (text: string, status: number, want?: number) => {
    const b = Buffer.from(`<${text}>`);
    out[0] = 12345;
    assert.equal(parseFloatInto(b, 1, b.length - 1, out), status, text);
    if (want !== undefined) assert.ok(Object.is(out[0], want), `${text}: ${out[0]} != ${want}`);
    if (status !== FLOAT_OK) assert.equal(out[0], 12345, `${text} wrote on failure`);
  };
  f('0', FLOAT_OK, 0);
  f('-0', FLOAT_OK, -0);
  f('+12', FLOAT_OK, 12);
  f('0042', FLOAT_OK, 42);
  f('1.5', FLOAT_OK, 1.5);
  f('.5', FLOAT_OK, 0.5);
  f('5.', FLOAT_OK, 5);
  f('1e3', FLOAT_OK, 1000);
  f('1E+03', FLOAT_OK, 1000);
  f('2.5e-3', FLOAT_OK, 0.0025);
  f('1e-400', FLOAT_OK, 0);
  f('0e999999999', FLOAT_OK, 0);
  f('1.7976931348623157e308', FLOAT_OK, 1.7976931348623157e308);
  f('4.20072246e+06', FLOAT_OK, 4200722.46);
  f('0.1', FLOAT_OK, 0.1);
  f('123456789012345678901234567890', FLOAT_OK, 1.2345678901234568e29);
  f('9007199254740993', FLOAT_OK, 9007199254740992); // rounds to even, as Go does
  f('0.000000000000000000000000000001', FLOAT_OK, 1e-30);
  f('Inf', FLOAT_OK, Infinity);
  f('+inf', FLOAT_OK, Infinity);
  f('-INF', FLOAT_OK, -Infinity);
  f('infinity', FLOAT_OK, Infinity);
  f('-Infinity', FLOAT_OK, -Infinity);
  f('NaN', FLOAT_OK);
  assert.ok(Number.isNaN(out[0]));
  f('nan', FLOAT_OK);
  f('nAn', FLOAT_OK);
  f('1e309', FLOAT_RANGE);
  f('-1e400', FLOAT_RANGE);
  for (const bad of [
    '',
    '+',
    '-',
    '.',
    'e1',
    '1e',
    '1e+',
    '1..2',
    '1.2.3',
    '1e1.5',
    '0x10',
    '0x1p3',
    '1p3',
    '1_000',
    '0b1',
    '+nan',
    '-NaN',
    'infin',
    'infinityy',
    'inf ',
    ' 1',
    '1 ',
    '1\r',
    'Infinit',
    '١',
  ]) {
    f(bad, FLOAT_SYNTAX);
  }
});

test('a string reads the same way; beyond ASCII there are no numbers', () => {
  assert.equal(parseGoFloat('+Inf'), Infinity);
  assert.equal(parseGoFloat('2.5'), 2.5);
  assert.equal(parseGoFloat('1e400'), undefined);
  assert.equal(parseGoFloat('１'), undefined);
});

test('NORMAL_NAN has the bits of Go math.NaN()', () => {
  const slot = new Float64Array([NORMAL_NAN]);
  assert.equal(new BigUint64Array(slot.buffer)[0], 0x7ff8000000000001n);
});

test('digit runs read as int64 milliseconds', () => {
  const f = (text: string, want: number) => {
    const b = Buffer.from(text);
    assert.ok(Object.is(parseDigits(b, 0, b.length), want), text);
  };
  f('0', 0);
  f('000', 0);
  f('1700000000000', 1700000000000);
  f('0001700000000000', 1700000000000);
  f('9007199254740993', 9007199254740992);
  f('9223372036854775807', 2 ** 63); // the nearest float64
  f('09223372036854775807', 2 ** 63);
  f('9223372036854775808', NaN);
  f('99999999999999999999', NaN);
});

test('le and quantile values format as Go FormatOpenMetricsFloat', () => {
  const f = (v: number, want: string) => assert.equal(formatOpenMetricsFloat(v), want, String(v));
  // The spec's examples of canonical numbers.
  for (const [v, want] of [
    [0, '0.0'],
    [0.001, '0.001'],
    [0.002, '0.002'],
    [0.01, '0.01'],
    [0.1, '0.1'],
    [0.9, '0.9'],
    [0.95, '0.95'],
    [0.99, '0.99'],
    [0.999, '0.999'],
    [1, '1.0'],
    [1.7, '1.7'],
    [10, '10.0'],
    [1e-10, '1e-10'],
    [1e-9, '1e-09'],
    [1e-5, '1e-05'],
    [0.0001, '0.0001'],
    [100000, '100000.0'],
    [1e6, '1e+06'],
    [1e10, '1e+10'],
    [1e23, '1e+23'],
    [1.1e23, '1.1e+23'],
  ] as const) {
    f(v, want);
  }
  f(-0, '0.0');
  f(-1, '-1.0');
  f(-2.5, '-2.5');
  f(123456, '123456.0');
  f(1234567, '1.234567e+06');
  f(0.00012345, '0.00012345');
  f(1.5e-7, '1.5e-07');
  f(1e100, '1e+100');
  f(5e-324, '5e-324');
  f(Infinity, '+Inf');
  f(-Infinity, '-Inf');
  f(NaN, 'NaN');
});
