import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Labels } from '../../model/labels.js';
import { Matcher, type MatchType } from '../../model/matcher.js';
import { MemPostings } from './mem-postings.js';
import { postingsForMatchers } from './select.js';

// ref → labels; the index must agree with matching every series one by one.
const SERIES: Record<string, string>[] = [
  { __name__: 'up', job: 'api', instance: 'a' },
  { __name__: 'up', job: 'api', instance: 'b' },
  { __name__: 'up', job: 'web', instance: 'a' },
  { __name__: 'up', instance: 'c' },
  { __name__: 'http_requests_total', job: 'api', code: '200' },
  { __name__: 'http_requests_total', job: 'api', code: '500' },
  { __name__: 'http_requests_total', job: 'web', code: '200', env: '' },
];

function build() {
  const ix = new MemPostings();
  const labels = SERIES.map((r) => Labels.fromRecord(r));
  labels.forEach((l, i) => ix.add(i + 1, l));
  return { ix, labels };
}

test('postingsForMatchers agrees with brute force on every matcher combination', () => {
  const { ix, labels } = build();
  const f = (...ms: [MatchType, string, string][]) => {
    const matchers = ms.map(([t, n, v]) => new Matcher(t, n, v));
    const want = labels
      .map((l, i) => [l, i + 1] as const)
      .filter(([l]) => matchers.every((m) => m.matches(l.get(m.name))))
      .map(([, ref]) => ref);
    assert.deepEqual([...postingsForMatchers(ix, matchers)], want, matchers.join(','));
  };
  f(['=', '__name__', 'up']);
  f(['=', '__name__', 'up'], ['=', 'job', 'api']);
  f(['=', '__name__', 'up'], ['=', 'job', '']);
  f(['=', '__name__', 'up'], ['!=', 'job', 'api']);
  f(['=', '__name__', 'up'], ['!=', 'job', '']);
  f(['=~', '__name__', 'up|http_requests_total'], ['=~', 'code', '2..']);
  f(['=~', '__name__', '.+'], ['!~', 'job', 'a.*']);
  f(['=~', '__name__', '.*'], ['=', 'instance', 'a']);
  f(['=~', 'job', '.*']);
  f(['=', '__name__', 'missing']);
  f(['=~', 'job', 'api|web'], ['!~', 'code', '5..|']);
  f(['=', 'env', '']);
});

test('deleted series leave the index', () => {
  const { ix, labels } = build();
  ix.delete(new Set([1, 5]), (ref) => labels[ref - 1]!);
  assert.deepEqual([...postingsForMatchers(ix, [new Matcher('=', 'job', 'api')])], [2, 6]);
  assert.deepEqual([...ix.allPostings()], [2, 3, 4, 6, 7]);
  ix.delete(new Set([6]), (ref) => labels[ref - 1]!);
  assert.deepEqual(ix.labelValues('code').sort(), ['200']);
});
