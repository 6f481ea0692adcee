import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Query } from '../query.js';
import { compileKql } from './compile.js';
import { KqlCompileError } from './errors.js';
import { parse } from './parse.js';

const now = Date.UTC(2024, 4, 6, 12);
const day = Date.UTC(2024, 4, 6);

function f(input: string, expected: Query) {
  assert.deepEqual(compileKql(parse(input), { now }), expected, input);
}

const path = (p: string) => ({ kind: 'path', path: p }) as const;

test('values: words, phrases, scalars', () => {
  f('message:hello world', {
    kind: 'match',
    field: path('message'),
    text: 'hello world',
    phrases: [['hello'], ['world']],
  });
  f('ns:kube-system', {
    kind: 'match',
    field: path('ns'),
    text: 'kube-system',
    phrases: [['kube', 'system']],
  });
  f('"Hello, World"', {
    kind: 'match',
    field: { kind: 'any' },
    text: 'Hello, World',
    phrases: [['hello', 'world']],
  });
  f('x:true', { kind: 'match', field: path('x'), text: 'true', phrases: [['true']] });
  f('x:null', { kind: 'match', field: path('x'), text: 'null', phrases: [['null']] });
  f('x:"-"', { kind: 'match', field: path('x'), text: '-', phrases: [] });
});

test('wildcards, existence and field patterns', () => {
  f('host:web-*', { kind: 'wildcard', field: path('host'), parts: ['web-', ''] });
  f('*', { kind: 'wildcard', field: { kind: 'any' }, parts: ['', ''] });
  f('host:*', { kind: 'exists', field: path('host') });
  f('*:*', { kind: 'all' });
  f('labels.*:*', { kind: 'exists', field: { kind: 'pattern', parts: ['labels.', ''] } });
  f('*:x', { kind: 'match', field: { kind: 'any' }, text: 'x', phrases: [['x']] });
  f('', { kind: 'all' });
});

test('ranges: numbers, strings, dates and their periods', () => {
  f('bytes > 1000', { kind: 'range', field: path('bytes'), gt: 1000 });
  f('bytes <= -1.5e3', { kind: 'range', field: path('bytes'), lte: -1500 });
  f('level >= warn', { kind: 'range', field: path('level'), gte: 'warn' });
  f('x < a*', { kind: 'range', field: path('x'), lt: 'a*' });
  f('t > now-1h', { kind: 'range', field: path('t'), date: true, gt: now - 3_600_000 });
  f('t <= now', { kind: 'range', field: path('t'), date: true, lte: now });
  f('t > "2024-05-06"', { kind: 'range', field: path('t'), date: true, gte: day + 86_400_000 });
  f('t >= "2024-05-06"', { kind: 'range', field: path('t'), date: true, gte: day });
  f('t < "2024-05-06"', { kind: 'range', field: path('t'), date: true, lt: day });
  f('t <= now/d', { kind: 'range', field: path('t'), date: true, lt: day + 86_400_000 });
  f('t < 2024', { kind: 'range', field: path('t'), lt: 2024 });
});

test('nested, regex, boolean structure', () => {
  f('items:{ name:a and not q > 1 }', {
    kind: 'nested',
    path: 'items',
    query: {
      kind: 'and',
      children: [
        { kind: 'match', field: path('name'), text: 'a', phrases: [['a']] },
        { kind: 'not', child: { kind: 'range', field: path('q'), gt: 1 } },
      ],
    },
  });
  f('m:/a.c/ or /x/', {
    kind: 'or',
    children: [
      { kind: 'regex', field: path('m'), pattern: 'a.c' },
      { kind: 'regex', field: { kind: 'any' }, pattern: 'x' },
    ],
  });
});

test('compile errors carry the span and line/column of the node', () => {
  const q = 'a:b or\n  t < now-1x';
  try {
    compileKql(parse(q), { now, query: q });
    assert.fail('compiled');
  } catch (err) {
    assert.ok(err instanceof KqlCompileError);
    assert.deepEqual(err.span, { start: 9, end: 19 });
    assert.equal(err.line, 2);
    assert.equal(err.column, 3);
    assert.equal(err.cause instanceof Error && err.cause.name, 'DateMathError');
  }
  assert.throws(() => compileKql(parse('t < now-1x'), { now }), {
    message: /^cannot compile range: cannot parse date math "now-1x": .* at offset 5$/,
  });
});
