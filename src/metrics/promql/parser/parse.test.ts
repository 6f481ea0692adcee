import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  children,
  valueType,
  type BinaryExpr,
  type Expr,
  type MatrixSelector,
  type SubqueryExpr,
  type VectorSelector,
} from './ast.js';
import { ParseError } from './errors.js';
import { parseExpr, parseMetricSelector } from './parse.js';
import { format } from './printer.js';

/** `input ==> expected` lines of a testdata file, with their line numbers. */
function cases(file: string): { line: number; input: string; expected: string }[] {
  const text = readFileSync(new URL(`testdata/${file}`, import.meta.url), 'utf8');
  return text.split('\n').flatMap((raw, i) => {
    if (raw.trim() === '' || raw.startsWith('#')) return [];
    const at = raw.indexOf(' ==> ');
    if (at < 0) throw new Error(`${file}:${i + 1}: no " ==> " in ${JSON.stringify(raw)}`);
    return [{ line: i + 1, input: raw.slice(0, at), expected: raw.slice(at + 5) }];
  });
}

function errorOf(input: string): string {
  try {
    parseExpr(input);
  } catch (err) {
    assert.ok(err instanceof ParseError, `${input}: not a ParseError: ${String(err)}`);
    return err.message;
  }
  return '(no error)';
}

test('testdata/parse.txt: inputs print in canonical form, which parses back to itself', () => {
  const all = cases('parse.txt');
  assert.ok(all.length >= 300);
  for (const { line, input, expected } of all) {
    assert.equal(format(parseExpr(input)), expected, `parse.txt:${line}: ${input}`);
    assert.equal(format(parseExpr(expected)), expected, `parse.txt:${line}: reparse ${expected}`);
  }
});

test('testdata/errors.txt: inputs fail with Prometheus messages', () => {
  const all = cases('errors.txt');
  assert.ok(all.length >= 80);
  for (const { line, input, expected } of all) {
    assert.equal(errorOf(input), expected, `errors.txt:${line}: ${input}`);
  }
});

const parse = (input: string): Expr => parseExpr(input);

/** A compact s-expression of the tree, to pin down its shape. */
function shape(e: Expr): string {
  switch (e.type) {
    case 'NumberLiteral':
      return String(e.value);
    case 'StringLiteral':
      return JSON.stringify(e.value);
    case 'VectorSelector':
      return format(e);
    case 'MatrixSelector':
      return `(range ${shape(e.vectorSelector)} ${e.range})`;
    case 'SubqueryExpr':
      return `(subquery ${shape(e.expr)} ${e.range} ${e.step})`;
    case 'Call':
      return `(${e.func.name}${e.args.map((a) => ' ' + shape(a)).join('')})`;
    case 'AggregateExpr':
      return `(${e.op}${e.param === null ? '' : ' ' + shape(e.param)} ${shape(e.expr)})`;
    case 'BinaryExpr':
      return `(${e.op} ${shape(e.lhs)} ${shape(e.rhs)})`;
    case 'UnaryExpr':
      return `(neg${e.op} ${shape(e.expr)})`;
    case 'ParenExpr':
      return `(paren ${shape(e.expr)})`;
  }
}

test('precedence and associativity give the trees Prometheus builds', () => {
  const f = (input: string, want: string) => assert.equal(shape(parse(input)), want, input);
  f('-2^2', '(neg- (^ 2 2))');
  f('-2*3', '(* -2 3)');
  f('2^3^2', '(^ 2 (^ 3 2))');
  f('a - b - c', '(- (- a b) c)');
  f('a - -b', '(- a (neg- b))');
  f('1 + - 2', '(+ 1 -2)');
  f('- -1', '1');
  f('-a ^ b', '(neg- (^ a b))');
  f('-a * b', '(* (neg- a) b)');
  f('a * -b ^ c', '(* a (neg- (^ b c)))');
  f('2 ^ -3 * 4', '(* (^ 2 -3) 4)');
  f('a or b and c unless d', '(or a (unless (and b c) d))');
  f('a + b * c == d', '(== (+ a (* b c)) d)');
  f('a atan2 b + c', '(+ (atan2 a b) c)');
  f('sum(x) by (a)', '(sum x)');
  f('rate(x[5m:1m])', '(rate (subquery x 300000 60000))');
  f('x[5m:]', '(subquery x 300000 0)');
  f('a + b offset 5m', '(+ a b offset 5m)');
});

test('unary minus on a literal folds into the literal and keeps its position', () => {
  const e = parse(' -1');
  assert.equal(e.type, 'NumberLiteral');
  assert.deepEqual(e.pos, { start: 1, end: 3 });
  const u = parse('-foo');
  assert.equal(u.type, 'UnaryExpr');
  assert.deepEqual(u.pos, { start: 0, end: 4 });
});

test('offset and @ land on the selector, in either order', () => {
  const a = parse('x offset -5m') as VectorSelector;
  assert.equal(a.offset, -300000);
  assert.deepEqual(a.pos, { start: 0, end: 12 });
  const b = parse('x @ 100 offset 5m') as VectorSelector;
  assert.equal(b.at, 100000);
  assert.equal(b.offset, 300000);
  const c = parse('x offset 5m @ end()') as VectorSelector;
  assert.equal(c.at, 'end');
  const m = parse('x[5m] @ 1.5 offset 1m') as MatrixSelector;
  assert.equal(m.vectorSelector.at, 1500);
  assert.equal(m.vectorSelector.offset, 60000);
  assert.deepEqual(m.pos, { start: 0, end: 21 });
  const s = parse('rate(x[5m])[1h:1m] offset 1d @ start()') as SubqueryExpr;
  assert.equal(s.offset, 86400000);
  assert.equal(s.at, 'start');
});

test('selectors keep their matchers, the outside name last', () => {
  const f = (input: string, want: string[]) =>
    assert.deepEqual((parse(input) as VectorSelector).matchers.map(String), want, input);
  f('{__name__=~"a|b"}', ['__name__=~"a|b"']);
  f('up{job="a"}', ['job="a"', '__name__="up"']);
  f('{"my.metric", "a.b"="c"}', ['__name__="my.metric"', 'a.b="c"']);
  f(`{'it\\'s'}`, [`__name__="it's"`]);
  assert.equal((parse('{"my.metric"}') as VectorSelector).name, '');
});

test('binary expressions settle vector matching as Prometheus does', () => {
  const f = (input: string) => parse(input) as BinaryExpr;
  assert.equal(f('a and b').vectorMatching?.card, 'many-to-many');
  assert.equal(f('a + b').vectorMatching?.card, 'one-to-one');
  assert.equal(f('a + 1').vectorMatching, null);
  const g = f('a / on(x, y) group_left(z) b');
  assert.deepEqual(g.vectorMatching, {
    card: 'many-to-one',
    matchingLabels: ['x', 'y'],
    on: true,
    include: ['z'],
  });
  assert.equal(f('a > bool b').returnBool, true);
});

test('aggregations carry op, parameter and grouping', () => {
  const e = parse('topk without (a) (3, x)');
  assert.equal(e.type, 'AggregateExpr');
  if (e.type !== 'AggregateExpr') return;
  assert.equal(e.op, 'topk');
  assert.equal(e.without, true);
  assert.deepEqual(e.grouping, ['a']);
  assert.equal(format(e.param!), '3');
});

test('errors report lines and UTF-8 byte columns like Prometheus', () => {
  const f = (input: string, want: string) => assert.equal(errorOf(input), want);
  f('sum(\n  rate(x[5m]) +\n)', '3:1: parse error: unexpected ")" in aggregation');
  f('"é" + }', "1:8: parse error: unexpected character: '}'");
  f('# only a comment\n', '1:1: parse error: no expression found in input');
  f('', 'unknown position: parse error: no expression found in input');
  f('a +\n# comment\nb +', '3:4: parse error: unexpected end of input');
  f('{"é"=~"("}', '1:2: parse error: error parsing regexp: missing closing ): `^(?s:()$`');
});

test('ParseError carries the range, the query and the bare reason', () => {
  try {
    parseExpr('foo{a=b}');
    assert.fail('no error');
  } catch (err) {
    assert.ok(err instanceof ParseError);
    assert.deepEqual(err.positionRange, { start: 6, end: 7 });
    assert.equal(err.err, 'unexpected identifier "b" in label matching, expected string');
    assert.equal(err.query, 'foo{a=b}');
    assert.equal(err.withLineOffset(4).message.slice(0, 4), '5:7:');
  }
});

test('experimental functions need the option', () => {
  const opts = { experimentalFunctions: true };
  const f = (input: string, want: string) => assert.equal(format(parseExpr(input, opts)), want);
  f('limitk(2, x)', 'limitk(2, x)');
  f('limit_ratio by (a) (0.5, x)', 'limit_ratio by (a) (0.5, x)');
  f('sort_by_label(x, "a", "b")', 'sort_by_label(x, "a", "b")');
  f(
    'double_exponential_smoothing(x[5m], 0.5, 0.5)',
    'double_exponential_smoothing(x[5m], 0.5, 0.5)',
  );
  f('info(rate(x[5m]), {k8s_cluster="a"})', 'info(rate(x[5m]), {k8s_cluster="a"})');
  f('info(x, {a=""})', 'info(x, {a=""})');
  f('mad_over_time(x[5m])', 'mad_over_time(x[5m])');
  assert.throws(() => parseExpr('info(x, y{a="b"})', opts), {
    message: '1:9: parse error: expected label selectors only, got vector selector instead',
  });
  assert.throws(() => parseExpr('info(x, 1)', opts), {
    message:
      '1:1: parse error: expected type instant vector in call to function "info", got scalar',
  });
});

test('parseMetricSelector reads match[] selectors without the non-empty rule', () => {
  const f = (input: string, want: string[]) =>
    assert.deepEqual(parseMetricSelector(input).map(String), want, input);
  f('up', ['__name__="up"']);
  f('{job="a", "x.y"!=""}', ['job="a"', 'x.y!=""']);
  f('{}', []);
  f('sum', ['__name__="sum"']);
  assert.throws(() => parseMetricSelector('rate(x[5m])'), {
    message: '1:5: parse error: unexpected "("',
  });
  assert.throws(() => parseMetricSelector('up[5m]'), {
    message: '1:3: parse error: unexpected "["',
  });
  assert.throws(() => parseMetricSelector(''), {
    message: 'unknown position: parse error: unexpected end of input',
  });
});

test('parsing stays linear in the input size', () => {
  const n = 2000;
  const long = Array.from({ length: n }, (_, i) => `m${i}{a="b"}`).join(' + ');
  const started = performance.now();
  const e = parseExpr(long);
  assert.equal(e.type, 'BinaryExpr');
  assert.ok(performance.now() - started < 2000);
  const nested = '('.repeat(500) + 'x' + ')'.repeat(500);
  assert.equal(format(parseExpr(nested)), nested);
});

test('children and valueType walk the tree', () => {
  const e = parse('topk(3, rate(x[5m]) * on (a) y) > bool 1');
  const kinds: string[] = [];
  const walk = (n: Expr) => {
    kinds.push(`${n.type}:${valueType(n)}`);
    children(n).forEach(walk);
  };
  walk(e);
  assert.deepEqual(kinds, [
    'BinaryExpr:vector',
    'AggregateExpr:vector',
    'NumberLiteral:scalar',
    'BinaryExpr:vector',
    'Call:vector',
    'MatrixSelector:matrix',
    'VectorSelector:vector',
    'VectorSelector:vector',
    'NumberLiteral:scalar',
  ]);
});
