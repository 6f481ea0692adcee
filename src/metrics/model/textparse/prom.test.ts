import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collect, runParserContract } from './parser.contract.js';
import { createParser } from './parser.js';

runParserContract('text');

const f = (body: string, want: string[]) => assert.deepEqual(collect('text', body), want);

test('text: blanks around every token, optional commas, no final line feed', () => {
  f('  m { a = "1"  b="2" , c ="3",}\t7\t123  \n\n \t\n', [
    'series m { a = "1"  b="2" , c ="3",} {__name__="m", a="1", b="2", c="3"} 7 @123',
  ]);
  f('m 1', ['series m {__name__="m"} 1']);
  f('m{a="1"}2\nn+3\n', ['series m{a="1"} {__name__="m", a="1"} 2', 'series n {__name__="n"} 3']);
});

test('text: integer millisecond timestamps, int64 range', () => {
  f('m 1 1700000000000\nm 1 0\nm 1 9223372036854775807\n', [
    'series m {__name__="m"} 1 @1700000000000',
    'series m {__name__="m"} 1 @0',
    'series m {__name__="m"} 1 @9223372036854776000',
  ]);
});

test('text: comments, and HELP/TYPE spelled oddly are comments', () => {
  f('# a comment\n#no blank\n# HELP\n# HELPx y\n#\n', [
    'comment "# a comment"',
    'comment "#no blank"',
    'comment "# HELP"',
    'comment "# HELPx y"',
    'comment "#"',
  ]);
});

test('text: metadata as Prometheus reads it', () => {
  f('#\tTYPE\t m\tuntyped\n# TYPE m summary\n# TYPE m histogram\n# TYPE m counter\n', [
    'type m unknown',
    'type m summary',
    'type m histogram',
    'type m counter',
  ]);
  // The help text starts one character after the name; `\"` is not an escape here.
  f('# HELP m  two blanks\n# HELP m\n# HELP m \t \n# HELP m \\"q\\"\n', [
    'help m " two blanks"',
    'help m ""',
    'help m ""',
    'help m "\\\\\\"q\\\\\\""',
  ]);
  f('# HELP "a.b" x\n', ['help a.b "x"']);
});

test('text: raw line feeds inside quoted values, as the lexer allows', () => {
  f('m{a="x\ny"} 1\n', ['series m{a="x\ny"} {__name__="m", a="x\\ny"} 1']);
});

test('text: a NUL where a line starts ends the body; inside values it is content', () => {
  f('m 1\n\0garbage {\n', ['series m {__name__="m"} 1']);
  f('m{a="x\0y"} 1\n', ['series m{a="x\0y"} {__name__="m", a="x\\u0000y"} 1']);
});

test('text: untyped series after a histogram still have le normalized (sticky type)', () => {
  f('# TYPE h histogram\nother{le="2"} 1\n', [
    'type h histogram',
    'series other{le="2"} {__name__="other", le="2.0"} 1',
  ]);
});

/**
 * Reads `body` guessing `guess` (a series text) for every series; returns per series its text
 * and whether it was recognised as the guess.
 */
function g(guess: string, body: string): string[] {
  const p = createParser(body, 'text/plain; version=0.0.4');
  const bytes = Buffer.from(guess);
  const out: string[] = [];
  for (
    let kind = p.next(bytes, 0, bytes.length);
    kind !== null;
    kind = p.next(bytes, 0, bytes.length)
  ) {
    if (kind === 'series')
      out.push(`${p.series()}${p.isExpected() ? ' =' : ''} ${p.labels().toString()}`);
  }
  return out;
}

test('text: a guessed series is recognised only where the scan would end it', () => {
  assert.deepEqual(g('a{x="1"}', 'a{x="1"} 1\na{x="1"}2\na{x="12"} 1\n'), [
    'a{x="1"} = {__name__="a", x="1"}',
    'a{x="1"} = {__name__="a", x="1"}',
    'a{x="12"} {__name__="a", x="12"}',
  ]);
  assert.deepEqual(g('a', 'a 1\nab 1\na {x="1"} 1\na{x="1"} 1\na+1\n'), [
    'a = {__name__="a"}',
    'ab {__name__="ab"}',
    'a {x="1"} {__name__="a", x="1"}',
    'a{x="1"} {__name__="a", x="1"}',
    'a = {__name__="a"}',
  ]);
});
