import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Query } from '../../query/query.js';
import { required } from './tokens.js';

const match = (text: string, phrases: string[][], path?: string): Query => ({
  kind: 'match',
  field: path === undefined ? { kind: 'any' } : { kind: 'path', path },
  text,
  phrases,
});

test('required tokens and paths', () => {
  const f = (q: Query, tokens: string[], paths: string[], sameValue: boolean) => {
    const r = required(q);
    assert.deepEqual([...r.tokens].sort(), tokens.sort(), JSON.stringify(q));
    assert.deepEqual([...r.paths].sort(), paths.sort());
    assert.equal(r.sameValue, sameValue);
  };
  f(match('kraken', [['kraken']]), ['kraken'], [], true);
  f(
    match('connection refused', [['connection', 'refused']], 'message'),
    ['connection', 'refused'],
    ['message'],
    false,
  );
  // Any of several words: none is required.
  f(match('a b', [['a'], ['b']]), [], [], false);
  // Words that read as a number, date, boolean or IP match such values without the other words.
  f(match('error 404', [['error', '404']]), [], [], false);
  f(match('404', [['404']]), [], [], false);
  f(match('true', [['true']]), [], [], false);
  f(match('2024-05-06', [['2024', '05', '06']]), [], [], false);
  // Date math is not a date to the match filter (parseDate reads absolute dates only).
  f(match('now-1d', [['now', '1d']]), ['now', '1d'], [], true);
  f(match('10.0.0.0/8', [['10', '0', '0', '0', '8']]), [], [], false);
  f(
    { kind: 'term', field: { kind: 'path', path: 'ns' }, value: 'kube-system' },
    ['kube', 'system'],
    ['ns'],
    false,
  );
  f({ kind: 'term', field: { kind: 'path', path: 'status' }, value: 404 }, [], ['status'], false);
  f(
    {
      kind: 'and',
      children: [match('oom', [['oom']]), { kind: 'exists', field: { kind: 'path', path: 'pod' } }],
    },
    ['oom'],
    ['pod'],
    false,
  );
  f({ kind: 'or', children: [match('a', [['a']]), match('b', [['b']])] }, [], [], false);
  f({ kind: 'not', child: match('a', [['a']]) }, [], [], false);
});
