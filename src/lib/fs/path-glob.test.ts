import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { tempDir } from '../../../test/harness/temp.js';
import { compilePathGlob, expandGlob } from './path-glob.js';

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
