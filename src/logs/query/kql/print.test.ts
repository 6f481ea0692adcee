import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from './parse.js';
import { print } from './print.js';
import { cases, shape } from './testdata/fixtures.js';

test('testdata/parse.txt: every tree prints as KQL that parses back to the same tree', () => {
  for (const { line, input, expected } of cases('parse.txt')) {
    const printed = print(parse(input));
    assert.equal(
      shape(parse(printed)),
      expected,
      `parse.txt:${line}: ${input} printed as ${printed}`,
    );
    assert.equal(print(parse(printed)), printed, `parse.txt:${line}: ${printed} is not canonical`);
  }
});

const f = (input: string, expected: string) => assert.equal(print(parse(input)), expected, input);

test('canonical form: lower-case keywords, single spaces, needed parentheses only', () => {
  f('', '');
  f('a  AND  b OR c', 'a and b or c');
  f('(a or b) and c', '(a or b) and c');
  f('a or (b or c)', 'a or (b or c)');
  f('a and (b and c)', 'a and (b and c)');
  f('((a))', 'a');
  f('NOT (a or b)', 'not (a or b)');
  f('not (not a)', 'not (not a)');
  f('not a:{ b:1 }', 'not a:{ b:1 }');
  f('x:(a or b)', 'x:a or x:b');
  f('bytes>=10', 'bytes >= 10');
  f('d < "2024-01-01T00:00:00"', 'd < 2024-01-01T00\\:00\\:00');
  f('x > "true"', 'x > "true"');
  f('x < ""', 'x < ""');
  f('x: * ', 'x:*');
  f('"my field":x', 'my field:x');
});

test('escapes: special characters, control whitespace, keywords, a leading slash', () => {
  f('"a\\"b\\\\c"', '"a\\"b\\\\c"');
  f('x:a\\:b\\*c*', 'x:a\\:b\\*c*');
  f('x:a\\tb', 'x:a\\tb');
  f('x:a \\or b', 'x:a \\or b');
  f('x:a \\AND b', 'x:a \\AND b');
  f('x:ca\\not b', 'x:ca\\not b'); // a newline, then `ot b`
  f('x:ca\\u006eot b', 'x:ca\\u006eot b');
  f('x:ca\\NOT b', 'x:ca\\NOT b');
  f('x:or b', 'x:or b');
  f('x:/a\\/b/', 'x:/a\\/b/');
  f('x:\\u002fa/', 'x:\\u002fa/');
  f('x:(\\(a\\) or \\{b\\})', 'x:\\(a\\) or x:\\{b\\}');
});

test('values the parser cannot take unquoted still print as KQL that reads them back', () => {
  const field = { name: 'x', span: { start: 0, end: 1 } };
  const span = { start: 0, end: 0 };
  for (const value of ['cannot stop', 'a or b', 'a AND b', 'Not x', '/tmp/', 'a:b*c']) {
    const q = print({ kind: 'match', field, value, span });
    assert.equal(shape(parse(q)), `(match "x" ${JSON.stringify(value)})`, q);
  }
});
