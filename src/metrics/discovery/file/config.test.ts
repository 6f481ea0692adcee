import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileSDConfigSchema, fileSDConfigsSchema, formatOf } from './config.js';

function issues(input: unknown): string[] {
  const r = fileSDConfigSchema.safeParse(input);
  assert.ok(!r.success, 'expected a validation error');
  return r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

test('refresh_interval defaults to 5m', () => {
  assert.deepEqual(fileSDConfigSchema.parse({ files: ['sd/*.json'] }), {
    files: ['sd/*.json'],
    refresh_interval: 300_000,
  });
  assert.equal(
    fileSDConfigSchema.parse({ files: ['a.yml'], refresh_interval: '30s' }).refresh_interval,
    30_000,
  );
  assert.deepEqual(fileSDConfigsSchema.parse(null), []);
});

test('paths must name JSON or YAML files, with a pattern only in the file name', () => {
  assert.deepEqual(issues({ files: ['targets.txt', '/etc/*/x.json', 'sd/[x.yml', 'A.YAML'] }), [
    'files.0: path "targets.txt" is not valid for file discovery: the name must end in .json, .yml or .yaml',
    'files.1: path "/etc/*/x.json" is not valid for file discovery: only the file name may be a pattern',
    'files.2: path "sd/[x.yml" is not valid for file discovery: invalid character class in "[x.yml"',
  ]);
  assert.deepEqual(issues({ files: [] }), ['files: file discovery needs at least one path']);
  assert.deepEqual(issues({ files: ['a.yml'], refresh_interval: '0s' }), [
    'refresh_interval: must be greater than 0',
  ]);
  assert.deepEqual(issues({ files: ['a.yml'], refresh_interval: 'soon' }), [
    'refresh_interval: invalid duration "soon"',
  ]);
});

test('the format follows the extension, in any case', () => {
  assert.equal(formatOf('/a/b.json'), 'json');
  assert.equal(formatOf('/a/b.YML'), 'yaml');
  assert.equal(formatOf('/a/b.yaml'), 'yaml');
  assert.equal(formatOf('/a.d/b'), undefined);
});
