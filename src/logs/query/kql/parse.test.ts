import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node } from './ast.js';
import { KqlSyntaxError } from './errors.js';
import { parse } from './parse.js';
import { cases, shape } from './testdata/fixtures.js';

function syntaxError(input: string): KqlSyntaxError {
  try {
    parse(input);
  } catch (err) {
    assert.ok(err instanceof KqlSyntaxError, `${input}: not a KqlSyntaxError: ${String(err)}`);
    return err;
  }
  assert.fail(`${JSON.stringify(input)} parsed`);
}

test('testdata/parse.txt: inputs parse to the expected trees', () => {
  const all = cases('parse.txt');
  assert.ok(all.length >= 150);
  for (const { line, input, expected } of all) {
    assert.equal(shape(parse(input)), expected, `parse.txt:${line}: ${input}`);
  }
});

test('testdata/errors.txt: inputs fail with Kibana messages at the expected position', () => {
  const all = cases('errors.txt');
  assert.ok(all.length >= 30);
  for (const { line, input, expected } of all) {
    const e = syntaxError(input);
    const at = `errors.txt:${line}: ${input}`;
    assert.equal(`${e.line}:${e.column}: ${e.shortMessage}`, expected, at);
    assert.equal(e.message, `${e.shortMessage}\n${input}\n${'-'.repeat(e.offset)}^`, at);
  }
});

test('the empty query and whitespace match everything', () => {
  assert.deepEqual(parse(''), { kind: 'all', span: { start: 0, end: 0 } });
  assert.deepEqual(parse(' \t\n\u00a0'), { kind: 'all', span: { start: 0, end: 4 } });
});

test('spans cover each node, fields and trimmed values', () => {
  const q = 'not  a:b or c:(d and "e") ';
  const n = parse(q);
  const text = (s: { start: number; end: number }) => q.slice(s.start, s.end);
  assert.equal(n.kind, 'or');
  if (n.kind !== 'or') return;
  assert.equal(text(n.span), 'not  a:b or c:(d and "e")');
  const [not, list] = n.children;
  assert.equal(text(not!.span), 'not  a:b');
  assert.equal(list!.kind, 'and');
  if (list!.kind !== 'and') return;
  assert.equal(text(list!.span), 'c:(d and "e")');
  assert.deepEqual(
    list!.children.map((c) => text(c.span)),
    ['d', '"e"'],
  );
  const d = list!.children[0]!;
  assert.ok(d.kind === 'match' && d.field && text(d.field.span) === 'c');
});

test('spans of ranges, nested queries, regexes and multi-word values', () => {
  const f = (q: string, pick: (n: Node) => Node = (n) => n) => {
    const s = pick(parse(q)).span;
    return q.slice(s.start, s.end);
  };
  assert.equal(f('  bytes >= 10  '), 'bytes >= 10');
  assert.equal(f('x:{ y:1 }'), 'x:{ y:1 }');
  assert.equal(
    f('x:{ y:1 }', (n) => (n.kind === 'nested' ? n.query : n)),
    'y:1',
  );
  assert.equal(f('m:/a\\/b/ '), 'm:/a\\/b/');
  assert.equal(f(' hello  world '), 'hello  world');
});

test('errors report line and column of multi-line queries', () => {
  const e = syntaxError('a:b and\n  c:');
  assert.equal(e.offset, 12);
  assert.equal(e.line, 2);
  assert.equal(e.column, 5);
  assert.equal(e.found, null);
  assert.deepEqual(e.expected, ['"("', '"{"', 'value', 'whitespace']);
  assert.equal(e.name, 'KqlSyntaxError');
});

test('escaped whitespace in quoted and unquoted values', () => {
  assert.equal(shape(parse('"a\\tb\\rc\\nd"')), String.raw`(phrase _ "a\tb\rc\nd")`);
  assert.equal(shape(parse('x:a\\tb')), String.raw`(match "x" "a\tb")`);
  // Kibana trims after unescaping, so escaped whitespace at an end disappears.
  assert.equal(shape(parse('x:a\\n')), '(match "x" "a")');
});

test('a keyword needs whitespace on both sides, or after `not`', () => {
  assert.equal(shape(parse('a\tor\nb')), '(or (match _ "a") (match _ "b"))');
  assert.equal(shape(parse('a\u00a0and\u00a0b')), '(and (match _ "a") (match _ "b"))');
  assert.equal(shape(parse('not\ta')), '(not (match _ "a"))');
  // `not(a)` is the literal `not` followed by a stray parenthesis.
  assert.equal(syntaxError('not(a)').offset, 3);
  assert.equal(syntaxError('a or(b)').offset, 4);
});
