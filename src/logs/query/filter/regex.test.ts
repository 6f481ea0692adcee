import { test } from 'node:test';
import assert from 'node:assert/strict';
import { luceneRegExp, RegexSyntaxError } from './regex.js';

function f(pattern: string, yes: string[], no: string[]) {
  const re = luceneRegExp(pattern);
  for (const s of yes) assert.ok(re.test(s), `${pattern} should match ${JSON.stringify(s)}`);
  for (const s of no) assert.ok(!re.test(s), `${pattern} should not match ${JSON.stringify(s)}`);
}

test('anchored: the pattern matches the whole string', () => {
  f('ab.*', ['abcde', 'ab'], ['xab']);
  f('abcd', ['abcd'], ['abcde', 'xabcd']);
});

test('any character, repetition and bounds', () => {
  f('ab...', ['abcde'], ['abcd']);
  f('a.c', ['a\nc', 'a😀c'], ['ac']);
  f('abc?', ['ab', 'abc'], ['abcc']);
  f('ab+', ['ab', 'abbb'], ['a']);
  f('ab*', ['a', 'abbb'], ['b']);
  f('a{2}', ['aa'], ['a', 'aaa']);
  f('a{2,}', ['aa', 'aaaa'], ['a']);
  f('a{2,4}', ['aa', 'aaaa'], ['aaaaa']);
  // Lucene stacks operators: a+? is (a+)?, not a lazy +.
  f('a+?', ['', 'aaa'], ['b']);
  f('(ab)+', ['abab'], ['aba']);
});

test('alternation, grouping, classes', () => {
  f('abc|xyz', ['abc', 'xyz'], ['abcxyz']);
  f('a(b|c)d', ['abd', 'acd'], ['ad']);
  f('a()b', ['ab'], []);
  f('[abc]+', ['abcab'], ['abd']);
  f('[a-c]x', ['bx'], ['dx']);
  f('[^a-c]x', ['dx'], ['ax']);
  f('[-a]', ['-', 'a'], ['b']);
  f('[a-]', ['-', 'a'], ['b']);
  f('[]a]', [']', 'a'], ['b']);
  f('[.]', ['.'], ['a']);
  f('\\d+', ['123'], ['12a']);
  f('[\\d\\s]+', ['1 2'], ['a']);
  f('\\w+\\W\\S', ['ab.c'], ['ab. ']);
});

test('quoting, escapes and literal punctuation', () => {
  f('john"@smith.com"', ['john@smith.com'], ['johnxsmithycom']);
  f('a\\.b', ['a.b'], ['axb']);
  f('\\@\\&\\~\\#\\<\\>', ['@&~#<>'], []);
  f('a\\\\b', ['a\\b'], []);
  f('a/b\\/c', ['a/b/c'], []);
  f('\\[x\\]', ['[x]'], []);
  f('^$', ['^$'], ['']);
  f('@', ['', 'anything'], []);
  f('abc@', ['abc', 'abcdef'], ['ab']);
  f('ü+', ['üü'], ['u']);
});

test('errors name the problem and the offset', () => {
  const g = (pattern: string, offset: number, reason: RegExp) =>
    assert.throws(
      () => luceneRegExp(pattern),
      (e: unknown) =>
        e instanceof RegexSyntaxError && e.offset === offset && reason.test(e.message),
      pattern,
    );
  g('a&b', 1, /intersection \(&\) is not supported; escape it as \\& to search for it/);
  g('a~b', 1, /complement/);
  g('foo<1-100>', 3, /numeric intervals/);
  g('a#', 1, /empty language/);
  g('(ab', 3, /expected "\)"/);
  g('ab)', 2, /unexpected "\)"/);
  g('*a', 0, /nothing to repeat/);
  g('a|', 2, /expected an expression/);
  g('', 0, /expected an expression/);
  g('[ab', 0, /unterminated character class/);
  g('[z-a]', 1, /bad range z-a/);
  g('a{3,1}', 1, /bad repetition/);
  g('a{x}', 1, /expected \{n\}/);
  g('"ab', 0, /unterminated quoted text/);
  g('a\\', 1, /nothing to escape/);
  g('a]', 1, /unexpected "\]"/);
  assert.throws(() => luceneRegExp('a&b'), {
    message:
      'cannot parse regex "a&b": intersection (&) is not supported; escape it as \\& to search for it at offset 1',
  });
});
