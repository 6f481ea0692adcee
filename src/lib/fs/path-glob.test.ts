import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { tempDir } from '../../../test/harness/temp.js';
import { compileNameGlob, compilePathGlob, expandGlob, hasGlobMeta } from './path-glob.js';

test('compilePathGlob matches whole paths element by element', () => {
  const f = (pattern: string, path: string, want: boolean) =>
    assert.equal(compilePathGlob(pattern).test(path), want, `${pattern} ~ ${path}`);
  f('/var/log/pods/*/*/*.log', '/var/log/pods/ns_p_u/app/0.log', true);
  f('/var/log/pods/*/*/*.log', '/var/log/pods/ns_p_u/app/0.log.20240506-070809', false);
  f('/var/log/pods/*/*/*.log', '/var/log/pods/ns_p_u/0.log', false);
  f('/var/log/**/*.log', '/var/log/a.log', true);
  f('/var/log/**/*.log', '/var/log/a/b/c.log', true);
  f('/var/log/**', '/var/log/a/b', true);
  f('/x/[ab]?.log', '/x/a1.log', true);
  f('/x/[^ab]?.log', '/x/a1.log', false);
  f('/x/\\*.log', '/x/*.log', true);
  f('/x/\\*.log', '/x/a.log', false);
  assert.throws(() => compilePathGlob('/x/[a.log'), /cannot compile pattern \/x\/\[a\.log/);
});

test('expandGlob lists matching files, follows links, and reports the directories it read', (t) => {
  const root = tempDir(t);
  mkdirSync(join(root, 'pods/ns_a_1/app'), { recursive: true });
  mkdirSync(join(root, 'pods/ns_b_2/web'), { recursive: true });
  mkdirSync(join(root, 'containers'));
  writeFileSync(join(root, 'pods/ns_a_1/app/0.log'), 'x\n');
  writeFileSync(join(root, 'pods/ns_a_1/app/0.log.20240506-070809.gz'), 'x\n');
  writeFileSync(join(root, 'pods/ns_b_2/web/1.log'), 'x\n');
  symlinkSync(join(root, 'pods/ns_b_2/web/1.log'), join(root, 'containers/b_ns_web-0.log'));
  const pods = expandGlob(`${root}/pods/*/*/*.log`);
  assert.deepEqual(pods.files, [`${root}/pods/ns_a_1/app/0.log`, `${root}/pods/ns_b_2/web/1.log`]);
  assert.deepEqual(pods.dirs, [
    `${root}/pods`,
    `${root}/pods/ns_a_1`,
    `${root}/pods/ns_a_1/app`,
    `${root}/pods/ns_b_2`,
    `${root}/pods/ns_b_2/web`,
  ]);
  assert.deepEqual(expandGlob(`${root}/containers/*.log`).files, [
    `${root}/containers/b_ns_web-0.log`,
  ]);
  assert.deepEqual(expandGlob(`${root}/**/*.gz`).files, [
    `${root}/pods/ns_a_1/app/0.log.20240506-070809.gz`,
  ]);
  assert.deepEqual(expandGlob(`${root}/missing/*.log`), { files: [], dirs: [] });
});

function name(pattern: string, file: string, expected: boolean): void {
  const re = compileNameGlob(pattern);
  assert.ok(re instanceof RegExp, `${pattern}: ${String(re)}`);
  assert.equal(re.test(file), expected, `${pattern} ~ ${file}`);
}

test('compileNameGlob matches whole file names as Go filepath.Match does', () => {
  name('tg_*.json', 'tg_web.json', true);
  name('tg_*.json', 'tg_.json', true);
  name('tg_*.json', 'tg_web.json.tmp', false);
  name('tg_*.json', 'xtg_web.json', false);
  name('*.yml', '.hidden.yml', true);
  name('node?.yaml', 'node1.yaml', true);
  name('node?.yaml', 'node12.yaml', false);
  name('node[0-3].yml', 'node2.yml', true);
  name('node[0-3].yml', 'node4.yml', false);
  name('node[^0-3].yml', 'node4.yml', true);
  name('a\\*.json', 'a*.json', true);
  name('a\\*.json', 'ab.json', false);
  name('a.b(c)+.json', 'a.b(c)+.json', true);
  name('a.json', 'aXjson', false);
  name('[\\-]x.json', '-x.json', true);
});

test('malformed name patterns say why', () => {
  assert.equal(compileNameGlob('[a-.json'), 'invalid character class in "[a-.json"');
  assert.equal(compileNameGlob('[].json'), 'invalid character class in "[].json"');
  assert.equal(compileNameGlob('a\\'), 'pattern "a\\\\" ends in a backslash');
});

test('literal names are told from patterns', () => {
  assert.equal(hasGlobMeta('/etc/vigil/sd'), false);
  assert.equal(hasGlobMeta('/etc/*/sd'), true);
  assert.equal(hasGlobMeta('x?'), true);
  assert.equal(hasGlobMeta('[ab]'), true);
});
