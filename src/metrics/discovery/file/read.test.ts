import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../../config/errors.js';
import { parseTargetGroups } from './read.js';

function problems(text: string, path: string): string[] {
  try {
    parseTargetGroups(text, path);
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return err.message.split('\n');
  }
  assert.fail('expected a ConfigError');
}

test('YAML: one group per entry, sourced by path and index, with __meta_filepath', () => {
  const text = '- targets: [a:80, b:80]\n  labels: {env: prod}\n- targets: [c:80]\n';
  assert.deepEqual(parseTargetGroups(text, '/sd/web.yml'), [
    {
      source: '/sd/web.yml:0',
      targets: [{ __address__: 'a:80' }, { __address__: 'b:80' }],
      labels: { env: 'prod', __meta_filepath: '/sd/web.yml' },
    },
    {
      source: '/sd/web.yml:1',
      targets: [{ __address__: 'c:80' }],
      labels: { __meta_filepath: '/sd/web.yml' },
    },
  ]);
  assert.deepEqual(parseTargetGroups('', '/sd/empty.yaml'), []);
  assert.deepEqual(parseTargetGroups('# nothing yet\n', '/sd/empty.yaml'), []);
});

test('JSON: the same shape; unknown keys are ignored as by Prometheus', () => {
  const text = '[\n  {"targets": ["a:80"], "labels": {"env": "prod"}, "comment": "x"}\n]\n';
  assert.deepEqual(parseTargetGroups(text, '/sd/web.json'), [
    {
      source: '/sd/web.json:0',
      targets: [{ __address__: 'a:80' }],
      labels: { env: 'prod', __meta_filepath: '/sd/web.json' },
    },
  ]);
});

test('a file cannot override __meta_filepath', () => {
  const [g] = parseTargetGroups('- labels: {__meta_filepath: x}\n', '/sd/a.yml');
  assert.equal(g!.labels.__meta_filepath, '/sd/a.yml');
});

test('syntax errors point at their line', () => {
  assert.deepEqual(problems('- targets: [a:80\n- labels: {}\n', '/sd/x.yml').length, 1);
  assert.match(
    problems('- targets: [a:80\n- labels: {}\n', '/sd/x.yml')[0]!,
    /^\/sd\/x\.yml:\d+:\d+: cannot parse YAML: /,
  );
  assert.match(
    problems('[\n  {"targets": ["a:80"],}\n]\n', '/sd/x.json')[0]!,
    /^\/sd\/x\.json:2:\d+: cannot parse JSON: /,
  );
  assert.match(problems('', '/sd/x.json')[0]!, /^\/sd\/x\.json:1:1: cannot parse JSON: /);
});

test('invalid entries are reported with line, column and key path', () => {
  assert.deepEqual(
    problems('- targets: [a:80]\n- targets: [""]\n  lables: {a: b}\n', '/sd/x.yml'),
    [
      '/sd/x.yml:2:13: [1].targets[0]: a target must be a non-empty string, got ""',
      '/sd/x.yml:3:3: [1].lables: unknown key "lables" (did you mean "labels"?)',
    ],
  );
  assert.deepEqual(problems('[\n  {"targets": "a:80"}\n]\n', '/sd/x.json'), [
    '/sd/x.json:2:4: [0].targets: expected a list of targets, got "a:80"',
  ]);
  assert.deepEqual(problems('targets: [a:80]\n', '/sd/x.yml'), [
    '/sd/x.yml:1:1: expected a list, got a mapping',
  ]);
  assert.deepEqual(problems('- targets: [a:80]\n-\n', '/sd/x.yml'), [
    '/sd/x.yml:2:2: [1]: expected a mapping, got nothing',
  ]);
});
