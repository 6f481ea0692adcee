import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runVigil, tempDir } from '../harness/vigil.js';

const CASES = fileURLToPath(new URL('testdata/config/', import.meta.url));

// Each broken file states on its first line what `vigil check config` must print for it. One
// run checks them all (a process start per file made this the slowest test on a busy machine);
// each file's first line of output is its first problem.
test('check config rejects each broken file with file:line:col: key', async (t) => {
  const names = readdirSync(CASES).filter((f) => f.endsWith('.yml'));
  const files = names.map((name) => join(CASES, name));
  const r = await runVigil(['check', 'config', ...files]);
  assert.equal(r.code, 1, r.stderr);
  assert.equal(r.stdout, '');
  const lines = r.stderr.split('\n');
  assert.equal(lines.at(-2), `${files.length} of ${files.length} files invalid`);
  for (const file of files) {
    await t.test(file.slice(CASES.length), () => {
      const want = readFileSync(file, 'utf8')
        .split('\n', 1)[0]!
        .replace(/^# want: /, '');
      assert.equal(
        lines.find((l) => l.startsWith(`${file}:`)),
        `${file}:${want}`,
      );
    });
  }
});

test('check config accepts a valid file and reports each file', async (t) => {
  const dir = tempDir(t);
  const good = join(dir, 'good.yml');
  writeFileSync(
    good,
    'server:\n  listen: "[::1]:9701"\n  request_timeout: 1m30s\n  max_request_body_size: 64MB\nlog:\n  level: debug\n  format: json\n',
  );
  const r = await runVigil(['check', 'config', good]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, `${good}: valid\n`);

  const missing = join(dir, 'missing.yml');
  const both = await runVigil(['check', 'config', good, missing]);
  assert.equal(both.code, 1);
  assert.equal(both.stdout, `${good}: valid\n`);
  assert.match(both.stderr, new RegExp(`^${missing}:1:1: cannot read file: no such file$`, 'm'));
  assert.match(both.stderr, /1 of 2 files invalid/);
});

test('a file with several problems reports all of them in file order', async (t) => {
  const file = join(tempDir(t), 'many.yml');
  writeFileSync(file, 'log:\n  level: loud\nserver:\n  listen: nope\n  idle_timeout: 5x\n');
  const r = await runVigil(['check', 'config', file]);
  assert.equal(r.code, 1);
  assert.deepEqual(
    r.stderr
      .trim()
      .split('\n')
      .slice(0, 3)
      .map((l) => l.split(': ')[0]!.slice(file.length)),
    [':2:3', ':4:3', ':5:3'],
  );
});

test('the server refuses to start on a broken configuration', async (t) => {
  const file = join(tempDir(t), 'bad.yml');
  writeFileSync(file, 'server:\n  listen: nope\n');
  const r = await runVigil(['server', '--config', file, '--data-dir', tempDir(t)]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, new RegExp(`${file}:2:3: server.listen: invalid address "nope"`));
});

test('check config checks the built-in Alertmanager’s file and its templates', async (t) => {
  const dir = tempDir(t);
  const vigil = join(dir, 'vigil.yml');
  writeFileSync(vigil, 'alertmanager:\n  config_file: am.yml\n');
  writeFileSync(join(dir, 'am.yml'), 'route:\n  receiver: nobody\nreceivers: []\n');
  const bad = await runVigil(['check', 'config', vigil]);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /am\.yml:2:3: route\.receiver: undefined receiver "nobody"/);

  writeFileSync(
    join(dir, 'am.yml'),
    "route:\n  receiver: x\nreceivers:\n  - name: x\ntemplates: ['*.tmpl']\n",
  );
  writeFileSync(join(dir, 'a.tmpl'), '{{ define "a" }}\n{{ nosuch }}{{ end }}');
  const tmpl = await runVigil(['check', 'config', vigil]);
  assert.equal(tmpl.code, 1);
  assert.match(tmpl.stderr, /cannot parse template .*a\.tmpl:2: function "nosuch" not defined/);

  writeFileSync(join(dir, 'a.tmpl'), '{{ define "a" }}{{ .Status | toUpper }}{{ end }}');
  const good = await runVigil(['check', 'config', vigil]);
  assert.equal(good.code, 0, good.stderr);
});

test('check config checks the agent.yml of the agent inside the server', async (t) => {
  const dir = tempDir(t);
  const vigil = join(dir, 'vigil.yml');
  writeFileSync(vigil, 'server:\n  local_agent:\n    config: agent.yml\n');
  writeFileSync(join(dir, 'agent.yml'), 'inputs:\n  - name: j\n    type: journald\n    since: 1\n');
  const bad = await runVigil(['check', 'config', vigil]);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /agent\.yml:4:5: inputs\[0\]\.since: /);

  writeFileSync(join(dir, 'agent.yml'), 'outputs:\n  - name: local\n    type: stdout\n');
  const local = await runVigil(['check', 'config', vigil]);
  assert.equal(local.code, 1);
  assert.match(
    local.stderr,
    /agent\.yml:2:5: outputs\[0\]\.name: "local" names the server's own store/,
  );

  // No outputs: the server's own store is the agent's output.
  writeFileSync(join(dir, 'agent.yml'), 'inputs:\n  - name: j\n    type: journald\n');
  const good = await runVigil(['check', 'config', vigil]);
  assert.equal(good.code, 0, good.stderr);
});
