import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileGlob, hasGlobMeta } from './glob.js';

function f(pattern: string, name: string, expected: boolean): void {
  const re = compileGlob(pattern);
  assert.ok(re instanceof RegExp, `${pattern}: ${String(re)}`);
  assert.equal(re.test(name), expected, `${pattern} ~ ${name}`);
}

test('patterns match whole names as Go filepath.Match does', () => {
  f('tg_*.json', 'tg_web.json', true);
  f('tg_*.json', 'tg_.json', true);
  f('tg_*.json', 'tg_web.json.tmp', false);
  f('tg_*.json', 'xtg_web.json', false);
  f('*.yml', '.hidden.yml', true);
  f('node?.yaml', 'node1.yaml', true);
  f('node?.yaml', 'node12.yaml', false);
  f('node[0-3].yml', 'node2.yml', true);
  f('node[0-3].yml', 'node4.yml', false);
  f('node[^0-3].yml', 'node4.yml', true);
  f('a\\*.json', 'a*.json', true);
  f('a\\*.json', 'ab.json', false);
  f('a.b(c)+.json', 'a.b(c)+.json', true);
  f('a.json', 'aXjson', false);
  f('[\\-]x.json', '-x.json', true);
});

test('malformed patterns say why', () => {
  assert.equal(compileGlob('[a-.json'), 'invalid character class in "[a-.json"');
  assert.equal(compileGlob('[].json'), 'invalid character class in "[].json"');
  assert.equal(compileGlob('a\\'), 'pattern "a\\\\" ends in a backslash');
});

test('literal names are told from patterns', () => {
  assert.equal(hasGlobMeta('/etc/vigil/sd'), false);
  assert.equal(hasGlobMeta('/etc/*/sd'), true);
  assert.equal(hasGlobMeta('x?'), true);
  assert.equal(hasGlobMeta('[ab]'), true);
});
