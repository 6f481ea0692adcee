import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  formatFixed6,
  formatFloat,
  goQuote,
  goQuoteRune,
  goUnicode,
  parseNumber,
  unquote,
} from './strconv.js';

test('quoting follows Go', () => {
  assert.equal(goQuote('a"b\\c'), '"a\\"b\\\\c"');
  assert.equal(goQuote('\x07\b\f\n\r\t\v'), '"\\a\\b\\f\\n\\r\\t\\v"');
  assert.equal(goQuote('\x00\x7f'), '"\\x00\\x7f"');
  assert.equal(goQuote('é☺𝄞'), '"é☺𝄞"');
  assert.equal(goQuote('\u00a0\u200b'), '"\\u00a0\\u200b"');
  assert.equal(goQuoteRune(0x27), "'\\''");
  assert.equal(goQuoteRune(0x22), `'"'`);
  assert.equal(goQuoteRune(-1), "'�'");
  assert.equal(goUnicode(0x63), "U+0063 'c'");
  assert.equal(goUnicode(0x0a), 'U+000A');
});

test('floats print in Go shortest fixed notation', () => {
  const f = (v: number, s: string) => assert.equal(formatFloat(v), s, s);
  f(1, '1');
  f(-0, '-0');
  f(0.1, '0.1');
  f(1e21, '1000000000000000000000');
  f(1.5e-7, '0.00000015');
  f(-1.25e22, '-12500000000000000000000');
  f(Infinity, '+Inf');
  f(NaN, 'NaN');
  assert.equal(formatFixed6(1.5), '1.500000');
  assert.equal(formatFixed6(1e30), '1000000000000000019884624838656.000000');
});

test('number literals read as Prometheus reads them', () => {
  const f = (s: string, v: number) => assert.deepEqual(parseNumber(s), { value: v }, s);
  f('0x1F', 31);
  f('0755', 493);
  f('08', 8);
  f('1_000', 1000);
  f('0x_1F', 31);
  f('1.5e3', 1500);
  f('.5', 0.5);
  f('5.', 5);
  f('Inf', Infinity);
  f('nAn', NaN);
  f('99999999999999999999', 1e20);
  assert.deepEqual(parseNumber('1e999'), {
    error: 'strconv.ParseFloat: parsing "1e999": value out of range',
  });
  assert.deepEqual(parseNumber('1__0'), {
    error: 'strconv.ParseFloat: parsing "1__0": invalid syntax',
  });
});

test('string literals unquote with Go escapes', () => {
  const f = (token: string, s: string) => assert.equal(unquote(token), s, token);
  f('"a\\"b"', 'a"b');
  f("'a\\'b'", "a'b");
  f('`a\\nb`', 'a\\nb');
  f('"\\u263a\\U0001F600"', '☺😀');
  f('"\\xe2\\x98\\xba"', '☺');
  f('"\\342\\230\\272"', '☺');
  f('"\\a\\b\\f\\n\\r\\t\\v\\\\"', '\x07\b\f\n\r\t\v\\');
});
