import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ALL,
  filterOptions,
  formatInterval,
  interpolate,
  parseVariableQuery,
  splitCustom,
  type VariableValue,
} from './variables';

const B = { intervalMs: 15_000, rangeMs: 3_600_000 };

function f(text: string, vars: Record<string, VariableValue>, expected: string, kql = false) {
  assert.equal(
    interpolate(text, new Map(Object.entries(vars)), B, kql ? 'kql' : 'promql'),
    expected,
  );
}

test('interpolate: single, multi, all, forms and built-ins', () => {
  const one = { selected: ['a.b'], options: ['a.b', 'c'] };
  const oneMulti = { ...one, regex: true };
  const two = { selected: ['a', 'b'], options: ['a', 'b', 'c'], regex: true };
  const all = { selected: [ALL], options: ['a', 'b'], regex: true };
  // A single-value variable goes in as is; a multi-value one regex-escaped for a PromQL string.
  f('up{job="$job"}', { job: one }, 'up{job="a.b"}');
  f('up{job=~"$job"}', { job: oneMulti }, 'up{job=~"a\\\\.b"}');
  f('up{path="$p"}', { p: { selected: ['C:\\x'], options: [] } }, 'up{path="C:\\\\x"}');
  f(
    'up{job=~"$job"}',
    { job: { selected: ['a.b', 'c'], options: [], regex: true } },
    'up{job=~"(a\\\\.b|c)"}',
  );
  f('up{job=~"$job"}', { job: two }, 'up{job=~"(a|b)"}');
  f('up{job=~"${job}"}', { job: two }, 'up{job=~"(a|b)"}');
  f('up{job=~"[[job]]"}', { job: two }, 'up{job=~"(a|b)"}');
  f('up{job=~"$job"}', { job: all }, 'up{job=~".*"}');
  f('up{x="$unknown"}', {}, 'up{x="$unknown"}');
  f('rate(x[$__interval]) / $__range_s', {}, 'rate(x[15s]) / 3600');
  f('rate(x[$__rate_interval]) $__range', {}, 'rate(x[1m]) 1h');
  f('ns:$ns', { ns: two }, 'ns:("a" or "b")', true);
  f('ns:$ns', { ns: all }, 'ns:*', true);
  f('ns:$ns', { ns: one }, 'ns:"a.b"', true);
  // A longer name is not cut at a shorter one.
  f('$job $jobs', { job: one, jobs: two }, 'a.b (a|b)');
});

test('formatInterval', () => {
  assert.equal(formatInterval(90_000), '1m30s');
  assert.equal(formatInterval(1500), '1500ms');
  assert.equal(formatInterval(86_400_000 + 3_600_000), '1d1h');
});

test('parseVariableQuery', () => {
  assert.deepEqual(parseVariableQuery('label_values(job)'), { kind: 'label_values', label: 'job' });
  assert.deepEqual(parseVariableQuery('label_values(up{a="b,c"}, instance)'), {
    kind: 'label_values',
    label: 'instance',
    match: 'up{a="b,c"}',
  });
  assert.deepEqual(parseVariableQuery('metrics(node_.*)'), { kind: 'metrics', regex: 'node_.*' });
  assert.deepEqual(parseVariableQuery('sum by (job) (up)'), {
    kind: 'promql',
    expr: 'sum by (job) (up)',
  });
});

test('splitCustom and filterOptions', () => {
  assert.deepEqual(splitCustom(' a, b ,,c'), ['a', 'b', 'c']);
  assert.deepEqual(filterOptions(['h1:9100', 'h2:9100', 'x'], '/(.*):9100/'), ['h1', 'h2']);
  assert.deepEqual(filterOptions(['a', 'a', 'b'], undefined), ['a', 'b']);
});
