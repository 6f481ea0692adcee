/**
 * @module
 * Rule files in `vigil server`'s life: an invalid rule file stops the start with its
 * file:line:key; on SIGHUP an invalid one refuses the reload and keeps the rules in force, a
 * valid one replaces them. `vigil check config` checks the rule files a configuration names.
 */

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runVigil, startVigil, tempDir } from '../harness/vigil.js';

async function groupNames(url: string): Promise<string[]> {
  const body = (await (await fetch(`${url}/api/v1/rules`)).json()) as {
    data: { groups: { name: string; rules: { name: string }[] }[] };
  };
  return body.data.groups.map((g) => `${g.name}:${g.rules.map((r) => r.name).join(',')}`);
}

async function reloadOk(url: string): Promise<string> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return /^vigil_config_last_reload_successful (\S+)$/m.exec(text)?.[1] ?? '';
}

async function until(what: string, fn: () => Promise<boolean>) {
  const deadline = Date.now() + 10_000;
  while (!(await fn())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('an invalid rule file stops the start, with its position', async (t) => {
  const dir = tempDir(t, 'vigil-rules-start-');
  writeFileSync(join(dir, 'bad.yml'), 'groups:\n  - name: g\n    rules:\n      - record: a\n');
  writeFileSync(join(dir, 'vigil.yml'), "rule_files: ['*.yml']\n");
  const r = await runVigil([
    'server',
    '--listen',
    '127.0.0.1:0',
    '--data-dir',
    join(dir, 'data'),
    '--config',
    join(dir, 'vigil.yml'),
  ]);
  assert.equal(r.code, 1);
  assert.match(
    r.stderr,
    /bad\.yml:4:9: groups\[0\]\.rules\[0\]: group "g", rule 1, "a": field 'expr' must be set in rule/,
  );
});

test('check config checks the rule files the configuration names', async (t) => {
  const dir = tempDir(t, 'vigil-rules-check-');
  writeFileSync(join(dir, 'bad.yml'), 'groups:\n  - name: g\n    rules:\n      - record: a\n');
  writeFileSync(join(dir, 'vigil.yml'), "rule_files: ['*.yml']\n");
  const r = await runVigil(['check', 'config', join(dir, 'vigil.yml')]);
  assert.equal(r.code, 1);
  assert.match(
    r.stderr,
    /bad\.yml:4:9: groups\[0\]\.rules\[0\]: .*field 'expr' must be set in rule/,
  );
});

test('SIGHUP reloads rule files; an invalid one keeps the rules in force', async (t) => {
  const dir = tempDir(t, 'vigil-rules-reload-');
  const rules = join(dir, 'rules.yml');
  writeFileSync(
    rules,
    'groups:\n  - name: one\n    rules:\n      - record: a\n        expr: vector(1)\n',
  );
  const vigil = await startVigil(t, {
    config: `global:\n  evaluation_interval: 1s\nrule_files: ['${rules}']\n`,
  });
  assert.deepEqual(await groupNames(vigil.url), ['one:a']);
  const evaluations = new RegExp(
    `^vigil_rule_evaluations_total\\{rule_group="${rules};one"\\} [1-9]`,
    'm',
  );
  await until('an evaluation counted', async () =>
    evaluations.test(await (await fetch(`${vigil.url}/metrics`)).text()),
  );

  writeFileSync(
    rules,
    'groups:\n  - name: one\n    rules:\n      - record: a\n        expr: vector(\n',
  );
  vigil.child.kill('SIGHUP');
  await until('a failed reload', async () => (await reloadOk(vigil.url)) === '0');
  assert.deepEqual(await groupNames(vigil.url), ['one:a']);

  writeFileSync(
    rules,
    'groups:\n  - name: two\n    rules:\n      - alert: B\n        expr: vector(1)\n',
  );
  vigil.child.kill('SIGHUP');
  await until('a successful reload', async () => (await reloadOk(vigil.url)) === '1');
  assert.deepEqual(await groupNames(vigil.url), ['two:B']);
});
