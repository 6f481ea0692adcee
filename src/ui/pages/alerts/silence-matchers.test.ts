/**
 * @module
 * Unit tests for silence matchers and validation.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  formatMatcher,
  matcherOf,
  matchersFromLabels,
  matchesAll,
  operatorOf,
  validateSilence,
} from './silence-matchers';

test('matchers from an alert put alertname first', () => {
  const got = matchersFromLabels({ severity: 'info', alertname: 'Down', job: 'x' });
  assert.deepEqual(got.map(formatMatcher), ['alertname="Down"', 'job="x"', 'severity="info"']);
});

test('operators round-trip through matcherOf', () => {
  for (const op of ['=', '!=', '=~', '!~'] as const) {
    assert.equal(operatorOf(matcherOf('a', op, 'b')), op);
  }
  assert.equal(formatMatcher(matcherOf('job', '!~', 'a"b')), 'job!~"a\\"b"');
});

test('matching is anchored and treats missing labels as empty', () => {
  const labels = { alertname: 'Down', job: 'vigil' };
  assert.ok(matchesAll([matcherOf('job', '=~', 'vig.*')], labels));
  assert.ok(!matchesAll([matcherOf('job', '=~', 'vig')], labels));
  assert.ok(matchesAll([matcherOf('env', '=', '')], labels));
  assert.ok(matchesAll([matcherOf('job', '!=', 'node')], labels));
  assert.ok(!matchesAll([matcherOf('alertname', '!~', 'Do.*')], labels));
});

test('validation lists every problem', () => {
  const now = Date.now();
  const ok = {
    matchers: [matcherOf('alertname', '=', 'Down')],
    startsAtMs: now,
    endsAtMs: now + 3_600_000,
    createdBy: 'me',
    comment: 'maintenance',
  };
  assert.deepEqual(validateSilence(ok), []);
  assert.deepEqual(
    validateSilence({
      ...ok,
      matchers: [matcherOf('1bad', '=', 'x'), matcherOf('job', '=~', '(')],
      endsAtMs: now - 1,
      createdBy: ' ',
      comment: '',
    }),
    [
      'invalid label name "1bad"',
      'invalid regular expression in job=~"("',
      'the end must be after the start',
      'the end must be in the future',
      'say who creates the silence',
      'add a comment saying why',
    ],
  );
  assert.deepEqual(validateSilence({ ...ok, matchers: [matcherOf('job', '=~', '.*')] }), [
    'at least one matcher must not match the empty string, or it silences everything',
  ]);
});
