import { test } from 'node:test';
import assert from 'node:assert/strict';
import { staticConfigSchema, staticConfigsSchema } from './config.js';

function issues(input: unknown): string[] {
  const r = staticConfigSchema.safeParse(input);
  assert.ok(!r.success, 'expected a validation error');
  return r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

test('targets and labels are read as Prometheus reads them', () => {
  assert.deepEqual(
    staticConfigSchema.parse({
      targets: ['a:80', 'b:9100'],
      labels: { env: 'prod', n: 1, on: true },
    }),
    { targets: ['a:80', 'b:9100'], labels: { env: 'prod', n: '1', on: 'true' } },
  );
  assert.deepEqual(staticConfigSchema.parse({}), { targets: [], labels: {} });
  assert.deepEqual(staticConfigSchema.parse({ targets: null, labels: null }), {
    targets: [],
    labels: {},
  });
  // An empty value is an unset label.
  assert.deepEqual(staticConfigSchema.parse({ targets: ['a:1'], labels: { a: '', b: null } }), {
    targets: ['a:1'],
    labels: {},
  });
  // Prometheus 3 label names are any UTF-8 text.
  assert.deepEqual(staticConfigSchema.parse({ labels: { 'service.name': 'x' } }).labels, {
    'service.name': 'x',
  });
});

test('the list may be empty or given with no value', () => {
  assert.deepEqual(staticConfigsSchema.parse(undefined), []);
  assert.deepEqual(staticConfigsSchema.parse(null), []);
  assert.deepEqual(staticConfigsSchema.parse([{ targets: ['x:1'] }]), [
    { targets: ['x:1'], labels: {} },
  ]);
});

test('bad targets and labels are reported at their place, quoting the value', () => {
  assert.deepEqual(issues({ targets: ['a:80', '', ['b']] }), [
    'targets.1: a target must be a non-empty string, got ""',
    'targets.2: a target must be a non-empty string, got ["b"]',
  ]);
  assert.deepEqual(issues({ targets: 'a:80' }), [
    'targets: expected a list of targets, got "a:80"',
  ]);
  assert.deepEqual(issues({ labels: { '': 'x', ok: { nested: 1 }, bad: 'a\ud800' } }), [
    'labels.: "" is not a valid label name',
    'labels.ok: label value must be a UTF-8 string, got {"nested":1}',
    'labels.bad: label value must be a UTF-8 string, got "a\\ud800"',
  ]);
  assert.deepEqual(issues({ labels: ['a'] }), ['labels: expected a mapping of labels, got ["a"]']);
});

test('unknown keys are errors', () => {
  const r = staticConfigSchema.safeParse({ targets: [], lables: {} });
  assert.ok(!r.success);
  assert.equal(r.error.issues[0]!.code, 'unrecognized_keys');
});
