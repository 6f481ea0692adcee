/**
 * `vigil agent` reloads agent.yml on SIGHUP: a file with problems is logged at its file, line and
 * key and the running configuration kept; a valid one restarts only the parts that changed (an
 * input whose filters changed, a new output) while an unchanged output keeps running, and no
 * line is lost or read twice across the input's restart.
 */

import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { startAgent } from '../harness/agent.js';
import { tempDir } from '../harness/vigil.js';

async function until<T>(what: string, get: () => T | undefined, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = get();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const messages = (file: string): string[] =>
  existsSync(file)
    ? readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => (JSON.parse(l) as { message: string }).message)
    : [];

test('SIGHUP: a bad file is refused with its positions, a good one restarts what changed', async (t) => {
  const dir = tempDir(t);
  mkdirSync(join(dir, 'logs'));
  const log = join(dir, 'logs', 'app.log');
  const a = join(dir, 'a.ndjson');
  const b = join(dir, 'b.ndjson');
  const config = join(dir, 'agent.yml');
  const write = (filters: string, outputs: string[]) =>
    writeFileSync(
      config,
      [
        'inputs:',
        '  - name: files',
        `    include: ['${dir}/logs/*.log']`,
        'filters:',
        filters,
        'outputs:',
        ...outputs,
        '',
      ].join('\n'),
    );
  const outA = `  - { name: a, type: file, path: '${a}', batch: { wait: 50ms } }`;
  const outB = `  - { name: b, type: file, path: '${b}', batch: { wait: 50ms } }`;
  write('  - { name: quiet, type: drop, query: "level:debug" }', [outA]);
  writeFileSync(log, '{"level":"info","message":"l1"}\n{"level":"debug","message":"l2"}\n');
  const agent = startAgent(t, ['--config', config, '--data-dir', join(dir, 'state')]);
  const metricsUrl = `${await agent.url}/metrics`;
  const metrics = async () => (await fetch(metricsUrl)).text();
  await until('l1 in a', () => (messages(a).length === 1 ? true : undefined));
  assert.match(await metrics(), /vigil_agent_config_last_reload_successful 1\n/);
  const lagLine = `vigil_agent_file_lag_bytes{input="files",path="${log}"} 0\n`;
  assert.ok((await metrics()).includes(lagLine), await metrics());

  // A file with problems: logged with file, line and key; the running configuration stays.
  writeFileSync(
    config,
    `inputs:\n  - name: files\n    include: ['${dir}/logs/*.log']\n    read_form: tail\noutputs:\n${outA}\n`,
  );
  agent.child.kill('SIGHUP');
  const refused = await until('the refusal', () =>
    agent.logs.find((l) => l.msg === 'cannot reload the configuration; the running one is kept'),
  );
  assert.match(
    String(refused.problems),
    new RegExp(`${config}:4:5: inputs\\[0\\]\\.read_form: unknown key "read_form"`),
  );
  assert.match(await metrics(), /vigil_agent_config_last_reload_successful 0\n/);
  appendFileSync(log, '{"level":"debug","message":"l3"}\n{"level":"info","message":"l4"}\n');
  await until('l4 in a', () => (messages(a).includes('l4') ? true : undefined));
  assert.deepEqual(messages(a), ['l1', 'l4'], 'the old filter still runs');

  // A good file: the input (its filter changed) restarts, b starts, a keeps running.
  write('  - { name: quiet, type: drop, query: "level:trace" }', [outA, outB]);
  agent.child.kill('SIGHUP');
  const done = await until('the reload', () =>
    agent.logs.find((l) => l.msg === 'configuration reloaded'),
  );
  assert.equal(done.inputs_restarted, 'files');
  assert.equal(done.outputs_started, 'b');
  assert.equal(done.outputs_restarted, '');
  assert.match(await metrics(), /vigil_agent_config_last_reload_successful 1\n/);
  appendFileSync(log, '{"level":"debug","message":"l5"}\n');
  await until('l5 in a and b', () =>
    messages(a).includes('l5') && messages(b).includes('l5') ? true : undefined,
  );
  await new Promise((r) => setTimeout(r, 300));
  // Nothing read twice across the restart, nothing lost; b gets what was read after it started.
  assert.deepEqual(messages(a), ['l1', 'l4', 'l5']);
  assert.deepEqual(messages(b), ['l5']);

  // An output whose keys changed restarts on its buffer; the input keeps running.
  const reloads = async (n: number) =>
    until(`reload ${n}`, () => agent.logs.filter((l) => l.msg === 'configuration reloaded')[n - 1]);
  const outA2 = outA.replace('wait: 50ms', 'wait: 60ms');
  write('  - { name: quiet, type: drop, query: "level:trace" }', [outA2, outB]);
  agent.child.kill('SIGHUP');
  const second = await reloads(2);
  assert.equal(second.outputs_restarted, 'a');
  assert.equal(second.inputs_restarted, '');
  appendFileSync(log, '{"level":"info","message":"l6"}\n');
  await until('l6 in a and b', () =>
    messages(a).includes('l6') && messages(b).includes('l6') ? true : undefined,
  );

  // Removing an output stops it; the other keeps receiving.
  write('  []', [outB]);
  agent.child.kill('SIGHUP');
  await reloads(3);
  appendFileSync(log, '{"level":"info","message":"l7"}\n');
  await until('l7 in b', () => (messages(b).includes('l7') ? true : undefined));
  await new Promise((r) => setTimeout(r, 300));
  assert.deepEqual(messages(a), ['l1', 'l4', 'l5', 'l6']);
  assert.deepEqual(messages(b), ['l5', 'l6', 'l7']);
  const text = await metrics();
  assert.doesNotMatch(text, /vigil_agent_buffer_bytes\{output="a"\}/, 'a removed output');
  assert.match(text, /vigil_agent_buffer_bytes\{output="b"\}/);
  assert.equal((await agent.kill('SIGTERM')).code, 0);
});
