import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tokenize } from './lex.js';
import { describeToken } from './token.js';

/** Tokens as `TYPE@pos:text`, without the final EOF. */
function f(input: string, want: string[]): void {
  const got = tokenize(input)
    .filter((t) => t.type !== 'EOF')
    .map((t) => `${t.type}@${t.pos}:${t.text}`);
  assert.deepEqual(got, want, input);
}

test('punctuation, operators and brackets', () => {
  f(',', ['COMMA@0:,']);
  f('()', ['LEFT_PAREN@0:(', 'RIGHT_PAREN@1:)']);
  f('{}', ['LEFT_BRACE@0:{', 'RIGHT_BRACE@1:}']);
  f('[ 5m]', ['LEFT_BRACKET@0:[', 'DURATION@2:5m', 'RIGHT_BRACKET@4:]']);
  f('== != <= < >= > + - * / % ^ @', [
    'EQLC@0:==',
    'NEQ@3:!=',
    'LTE@6:<=',
    'LSS@9:<',
    'GTE@11:>=',
    'GTR@14:>',
    'ADD@16:+',
    'SUB@18:-',
    'MUL@20:*',
    'DIV@22:/',
    'MOD@24:%',
    'POW@26:^',
    'AT@28:@',
  ]);
  f('{a=~"b",c!~"d",e!="f",g="h"}', [
    'LEFT_BRACE@0:{',
    'IDENTIFIER@1:a',
    'EQL_REGEX@2:=~',
    'STRING@4:"b"',
    'COMMA@7:,',
    'IDENTIFIER@8:c',
    'NEQ_REGEX@9:!~',
    'STRING@11:"d"',
    'COMMA@14:,',
    'IDENTIFIER@15:e',
    'NEQ@16:!=',
    'STRING@18:"f"',
    'COMMA@21:,',
    'IDENTIFIER@22:g',
    'EQL@23:=',
    'STRING@24:"h"',
    'RIGHT_BRACE@27:}',
  ]);
  f('\r\n\t ', []);
});

test('numbers and durations', () => {
  f('1 4.23 .3 5. 0x1F 0755 1e-3 1_000', [
    'NUMBER@0:1',
    'NUMBER@2:4.23',
    'NUMBER@7:.3',
    'NUMBER@10:5.',
    'NUMBER@13:0x1F',
    'NUMBER@18:0755',
    'NUMBER@23:1e-3',
    'NUMBER@28:1_000',
  ]);
  f('NaN nAN Inf -Inf NaN123 Infoo', [
    'NUMBER@0:NaN',
    'NUMBER@4:nAN',
    'NUMBER@8:Inf',
    'SUB@12:-',
    'NUMBER@13:Inf',
    'IDENTIFIER@17:NaN123',
    'IDENTIFIER@24:Infoo',
  ]);
  f('5s 123m 1h30m 250ms 3w 1y 1.5', [
    'DURATION@0:5s',
    'DURATION@3:123m',
    'DURATION@8:1h30m',
    'DURATION@14:250ms',
    'DURATION@20:3w',
    'DURATION@23:1y',
    'NUMBER@26:1.5',
  ]);
  f('x[5m:1m]', [
    'IDENTIFIER@0:x',
    'LEFT_BRACKET@1:[',
    'DURATION@2:5m',
    'COLON@4::',
    'DURATION@5:1m',
    'RIGHT_BRACKET@7:]',
  ]);
  f('x[90:]', [
    'IDENTIFIER@0:x',
    'LEFT_BRACKET@1:[',
    'NUMBER@2:90',
    'COLON@4::',
    'RIGHT_BRACKET@5:]',
  ]);
});

test('identifiers, keywords and comments', () => {
  f('abc a:bc :bc', ['IDENTIFIER@0:abc', 'METRIC_IDENTIFIER@4:a:bc', 'METRIC_IDENTIFIER@9::bc']);
  f('sum BY offset AND atan2 start bool', [
    'SUM@0:sum',
    'BY@4:BY',
    'OFFSET@7:offset',
    'LAND@14:AND',
    'ATAN2@18:atan2',
    'START@24:start',
    'BOOL@30:bool',
  ]);
  // Inside braces keywords are label names.
  f('{on="a"}', [
    'LEFT_BRACE@0:{',
    'IDENTIFIER@1:on',
    'EQL@3:=',
    'STRING@4:"a"',
    'RIGHT_BRACE@7:}',
  ]);
  f('5 # 1+1\n5', ['NUMBER@0:5', 'COMMENT@2:# 1+1', 'NUMBER@8:5']);
});

test('strings keep their quotes and escapes', () => {
  f(`"a\\"b" 'c\\'d' \`e\\f\``, ['STRING@0:"a\\"b"', "STRING@7:'c\\'d'", 'STRING@14:`e\\f`']);
  f('"☺ \\u263a"', ['STRING@0:"☺ \\u263a"']);
  f('"𝄞"+1', ['STRING@0:"𝄞"', 'ADD@4:+', 'NUMBER@5:1']);
});

test('errors are tokens with the message and where the bad token starts', () => {
  const g = (input: string, want: string) => {
    const last = tokenize(input).at(-1)!;
    assert.equal(`${last.type}@${last.pos}:${last.text}`, want, input);
  };
  g('"test\\.expression"', `ERROR@0:unknown escape sequence U+002E '.'`);
  g('"\\x4"', `ERROR@0:illegal character U+0022 '"' in escape sequence`);
  g('"\\uD800"', 'ERROR@0:escape sequence is an invalid Unicode code point');
  g('"abc', 'ERROR@0:unterminated quoted string');
  g('`abc', 'ERROR@0:unterminated raw string');
  g('"a\ud800"', 'ERROR@0:invalid UTF-8 rune');
  g('=~', `ERROR@0:unexpected character after '=': '~'`);
  g('!(', `ERROR@0:unexpected character after '!': '('`);
  g('1a', 'ERROR@0:bad number or duration syntax: "1"');
  g('0a:bc', 'ERROR@0:bad number or duration syntax: "0"');
  g('.٩', `ERROR@0:unexpected character: '.'`);
  g('台北', `ERROR@0:unexpected character: '台'`);
  g('{台北="a"}', `ERROR@1:unexpected character inside braces: '台'`);
  g('{0a="a"}', `ERROR@1:unexpected character inside braces: '0'`);
  g('{{', `ERROR@1:unexpected left brace '{'`);
  g('[[', 'ERROR@1:bad number or duration syntax: ""');
  g('())', `ERROR@3:unexpected right parenthesis ')'`);
  g('(()', 'ERROR@3:unclosed left parenthesis');
  g('x[5m', 'ERROR@4:unclosed left bracket');
  g(']', `ERROR@0:unexpected right bracket ']'`);
  g('x[5m:1m:', `ERROR@7:unexpected colon ':'`);
  g('{a="b"', 'ERROR@6:unexpected end of input inside braces');
  g('{a!#"b"}', `ERROR@2:unexpected character after '!' inside braces: '#'`);
});

test('tokens are described as in Prometheus messages', () => {
  const g = (input: string) => describeToken(tokenize(input)[0]!);
  assert.equal(g('+'), '<op:+>');
  assert.equal(g('and'), '<op:and>');
  assert.equal(g('BY'), '<BY>');
  assert.equal(g('sum'), '<aggr:sum>');
  assert.equal(g('start'), '"start"');
  assert.equal(g('('), '"("');
  assert.equal(g('foo'), 'identifier "foo"');
  assert.equal(g('a:b'), 'metric identifier "a:b"');
  assert.equal(g('5m'), 'duration "5m"');
  assert.equal(g('1.5'), 'number "1.5"');
  assert.equal(g('"abc"'), 'string "\\"abc\\""');
  assert.equal(g('"hello world"'), 'string "\\"hello wor"...');
  assert.equal(g(''), 'end of input');
});
