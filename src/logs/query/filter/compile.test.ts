import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tokenize } from '../../model/tokenize.js';
import type { FieldSel, Query } from '../query.js';
import { compileFilter } from './compile.js';
import { DocColumns } from './doc-columns.js';

const docs: Record<string, unknown>[] = [
  {
    id: 'a',
    msg: 'GET /api/users 200',
    status: 200,
    ns: 'kube-system',
    ok: true,
    ts: '2024-05-06T07:08:09.000100Z',
    ip: '10.1.2.3',
  },
  {
    id: 'b',
    msg: 'Connection refused: kube-public',
    status: '404',
    ns: 'kube-public',
    ok: false,
    ts: '2024-05-06T07:08:09.000200Z',
    ip: '2001:db8::1',
  },
  {
    id: 'c',
    msg: 'error: timeout after 5s',
    status: 503,
    ns: 'default',
    ts: 1714979289000,
    ip: '::ffff:10.9.9.9',
  },
  {
    id: 'd',
    msg: '',
    tags: ['x', 'Web-1'],
    ns: 'default',
    items: [
      { n: 'banana', q: 1 },
      { n: 'apple', q: 20 },
    ],
  },
  {
    id: 'e',
    msg: null,
    items: [{ n: 'banana', q: 12 }],
    'labels.app': 'web',
    labels: { team: 'core' },
  },
];

const path = (p: string): FieldSel => ({ kind: 'path', path: p });
const any: FieldSel = { kind: 'any' };

function ids(q: Query, dictionary: 'always' | 'off' | 'auto', start?: number[]): string {
  const cols = new DocColumns(docs, { dictionary });
  const bits = new Uint8Array(cols.length).fill(1);
  if (start) for (const i of start) bits[i] = 0;
  compileFilter(q).apply(cols, bits);
  return docs
    .filter((_, i) => bits[i] === 1)
    .map((d) => d.id)
    .join(' ');
}

function f(q: Query, expected: string) {
  for (const mode of ['always', 'off', 'auto'] as const) {
    assert.equal(ids(q, mode), expected, `${JSON.stringify(q)} (dictionary ${mode})`);
  }
}

const match = (field: FieldSel, text: string, quoted = false): Query => ({
  kind: 'match',
  field,
  text,
  phrases: quoted ? [tokenize(text)] : text.split(/\s+/).map(tokenize),
});

test('match: phrases over tokens', () => {
  f(match(path('msg'), 'users'), 'a');
  f(match(path('msg'), 'USERS refused'), 'a b');
  f(match(path('ns'), 'kube-system'), 'a');
  f(match(path('ns'), 'kube'), 'a b');
  f(match(path('msg'), 'refused kube', true), 'b');
  f(match(path('msg'), 'kube refused', true), '');
  f(match(path('msg'), '-'), '');
});

test('match: numbers, booleans, dates and IPs are read by type', () => {
  f(match(path('status'), '404'), 'b');
  f(match(path('status'), '200'), 'a');
  f(match(path('status'), '200 503'), 'a c');
  f(match(path('status'), '2e2'), 'a');
  f(match(path('ok'), 'true'), 'a');
  f(match(path('ok'), 'false'), 'b');
  f(match(path('ts'), '2024-05-06'), 'a b');
  f(match(path('ts'), '2024-05-06T07:08:09.000100Z'), 'a');
  f(match(path('ts'), '2024-05-07'), '');
  f(match(path('ip'), '10.1.2.3'), 'a');
  f(match(path('ip'), '10.0.0.0/8'), 'a c');
  f(match(path('ip'), '2001:db8::/32'), 'b');
  f(match(path('ip'), '10'), '');
});

test('match on every field and on patterns', () => {
  f(match(any, 'banana'), 'd e');
  f(match(any, 'web'), 'd e');
  f(match({ kind: 'pattern', parts: ['labels.', ''] }, 'core web'), 'e');
  f(match(path('nope'), 'x'), '');
});

test('term: exact, case-sensitive, typed', () => {
  f({ kind: 'term', field: path('ns'), value: 'default' }, 'c d');
  f({ kind: 'term', field: path('ns'), value: 'Default' }, '');
  f({ kind: 'term', field: path('ns'), value: 'kube' }, '');
  f({ kind: 'term', field: path('status'), value: 404 }, 'b');
  f({ kind: 'term', field: path('status'), value: '503' }, 'c');
  f({ kind: 'term', field: path('ok'), value: 'true' }, 'a');
  f({ kind: 'term', field: path('ok'), value: false }, 'b');
});

test('wildcard: whole value case-sensitive, or any token lowercased', () => {
  f({ kind: 'wildcard', field: path('ns'), parts: ['kube-', ''] }, 'a b');
  f({ kind: 'wildcard', field: path('tags'), parts: ['Web-', ''] }, 'd');
  f({ kind: 'wildcard', field: path('tags'), parts: ['we', ''] }, 'd');
  f({ kind: 'wildcard', field: path('msg'), parts: ['Conn', ''] }, 'b');
  f({ kind: 'wildcard', field: path('msg'), parts: ['', 'out'] }, 'c');
  f({ kind: 'wildcard', field: path('msg'), parts: ['t', 'm', 'ut'] }, 'c');
  f({ kind: 'wildcard', field: path('status'), parts: ['5', ''] }, 'c');
  f({ kind: 'wildcard', field: path('msg'), parts: ['', ''] }, 'a b c d');
  f({ kind: 'wildcard', field: path('msg'), parts: ['ab', 'ba'] }, '');
});

test('range: numbers, strings and dates', () => {
  f({ kind: 'range', field: path('status'), gte: 400 }, 'b c');
  f({ kind: 'range', field: path('status'), gt: 200, lt: 503 }, 'b');
  f({ kind: 'range', field: path('status'), gte: 200, lte: 200 }, 'a');
  f({ kind: 'range', field: path('status'), gt: 100, gte: 200, lt: 999, lte: 503 }, 'a b c');
  f({ kind: 'range', field: path('ns'), gte: 'kube' }, 'a b');
  f({ kind: 'range', field: path('ns'), lt: 'kube-public' }, 'c d');
  f({ kind: 'range', field: path('ns'), gt: 'default' }, 'a b');
  const t = Date.UTC(2024, 4, 6, 7, 8, 9);
  f({ kind: 'range', field: path('ts'), gte: t, date: true }, 'a b c');
  f({ kind: 'range', field: path('ts'), gt: t, date: true }, 'a b');
  f({ kind: 'range', field: path('ts'), gt: t + 0.15, date: true }, 'b');
  f({ kind: 'range', field: path('ts'), lte: t, date: true }, 'c');
  f({ kind: 'range', field: path('ts'), lt: t, date: true }, '');
});

test('exists', () => {
  f({ kind: 'exists', field: path('msg') }, 'a b c d');
  f({ kind: 'exists', field: path('tags') }, 'd');
  f({ kind: 'exists', field: path('items.n') }, 'd e');
  f({ kind: 'exists', field: { kind: 'pattern', parts: ['labels', ''] } }, 'e');
  f({ kind: 'exists', field: any }, 'a b c d e');
  f({ kind: 'exists', field: path('nope') }, '');
});

test('regex: anchored, on whole values or tokens', () => {
  f({ kind: 'regex', field: path('ns'), pattern: 'kube-(system|public)' }, 'a b');
  f({ kind: 'regex', field: path('ns'), pattern: 'kube' }, 'a b');
  f({ kind: 'regex', field: path('ns'), pattern: 'kub' }, '');
  f({ kind: 'regex', field: path('msg'), pattern: 'time.?out' }, 'c');
  f({ kind: 'regex', field: path('status'), pattern: '[45]0[0-9]' }, 'b c');
  f({ kind: 'regex', field: path('tags'), pattern: 'W.*' }, 'd');
  assert.throws(() => compileFilter({ kind: 'regex', field: any, pattern: 'a&b' }), {
    name: 'RegexSyntaxError',
  });
});

test('nested: within one object', () => {
  const n = (q: Query): Query => ({ kind: 'nested', path: 'items', query: q });
  const banana = match(path('n'), 'banana');
  f(n(banana), 'd e');
  f(n({ kind: 'and', children: [banana, { kind: 'range', field: path('q'), gt: 9 }] }), 'e');
  f(n({ kind: 'range', field: path('q'), gt: 9 }), 'd e');
  f(n({ kind: 'not', child: banana }), 'd');
  f({ kind: 'nested', path: 'tags', query: { kind: 'all' } }, '');
});

test('boolean filters', () => {
  const ns = (v: string): Query => ({ kind: 'term', field: path('ns'), value: v });
  f({ kind: 'all' }, 'a b c d e');
  f({ kind: 'none' }, '');
  f({ kind: 'or', children: [ns('default'), ns('kube-public')] }, 'b c d');
  f({ kind: 'and', children: [ns('default'), { kind: 'exists', field: path('ts') }] }, 'c');
  f({ kind: 'not', child: ns('default') }, 'a b e');
  f({ kind: 'not', child: { kind: 'not', child: ns('default') } }, 'c d');
  f({ kind: 'and', children: [] }, 'a b c d e');
  f({ kind: 'or', children: [] }, '');
});

test('documents already cleared stay cleared and are not needed', () => {
  const q: Query = { kind: 'not', child: { kind: 'term', field: path('ns'), value: 'default' } };
  assert.equal(ids(q, 'off', [0]), 'b e');
  assert.equal(ids({ kind: 'or', children: [{ kind: 'all' }] }, 'auto', [1, 2]), 'a d e');
});
