/**
 * `vigil agent` from the command line: a bad configuration stops it with file:line:col: key
 * messages, `--dry-run` prints parsed records without touching the data directory, and the
 * native ingest API it ships to stores a retried `_id` once.
 */

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runVigil, startVigil, tempDir, VIGIL_BIN } from '../harness/vigil.js';

test('a bad agent.yml is refused with its positions', async (t) => {
  const file = join(tempDir(t), 'agent.yml');
  writeFileSync(
    file,
    'inputs:\n  - name: pods\n    include: [/x/*.log]\n    read_from: start\noutputs: []\n',
  );
  const r = await runVigil(['agent', '--config', file]);
  assert.equal(r.code, 1);
  assert.equal(
    r.stderr,
    `${file}:4:5: inputs[0].read_from: invalid value "start": want one of "head", "tail"\n` +
      `${file}:5:1: outputs: must list at least one output\n`,
  );
});

test('--dry-run prints each record as a JSON line and writes no state', async (t) => {
  const dir = tempDir(t);
  const pod = join(dir, 'pods', 'shop_web-0_uid-1', 'app');
  mkdirSync(pod, { recursive: true });
  writeFileSync(
    join(pod, '0.log'),
    '2024-05-06T07:08:09.000000001Z stdout P {"level":"warn",\n' +
      '2024-05-06T07:08:09.000000002Z stderr F oops\n' +
      '2024-05-06T07:08:09.000000003Z stdout F "message":"disk full"}\n',
  );
  const file = join(dir, 'agent.yml');
  const state = join(dir, 'state');
  writeFileSync(
    file,
    `node_name: n1\ndata_dir: ${state}\ninputs:\n  - name: pods\n    include: ['${dir}/pods/*/*/*.log']\noutputs:\n  - { name: v, type: vigil, url: 'http://127.0.0.1:1' }\n`,
  );
  const child = spawn(process.execPath, [VIGIL_BIN, 'agent', '--config', file, '--dry-run'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  t.after(() => child.kill('SIGKILL'));
  let out = '';
  await new Promise<void>((resolve) =>
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.split('\n').length > 2) resolve();
    }),
  );
  child.kill('SIGTERM');
  const code = await new Promise((r) => child.on('exit', r));
  assert.equal(code, 0);
  const records = out
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.deepEqual(
    records.map((r) => [r['@timestamp'], r.stream, r.message, r.level]),
    [
      ['2024-05-06T07:08:09.000000002Z', 'stderr', 'oops', undefined],
      ['2024-05-06T07:08:09.000000001Z', 'stdout', 'disk full', 'warn'],
    ],
  );
  assert.deepEqual(records[1]!.kubernetes, {
    namespace: 'shop',
    pod: { name: 'web-0', uid: 'uid-1' },
    container: { name: 'app' },
    node: { name: 'n1' },
  });
  assert.match(String(records[0]!._id), /^[A-Za-z0-9_-]{16}-[0-9a-z]+$/);
  assert.equal(existsSync(state), false, 'dry run wrote no state');
});

test('native ingest stores an _id once and counts the repeat in exists', async (t) => {
  const v = await startVigil(t, { config: 'server:\n  builtin_scrape_jobs: false\n' });
  const send = async (body: string) => {
    const res = await fetch(`${v.url}/api/v1/logs/ingest?index=ids`, { method: 'POST', body });
    return ((await res.json()) as { data: unknown }).data;
  };
  const line = (id: unknown, m: string) =>
    JSON.stringify({ _id: id, '@timestamp': '2024-05-06T07:08:09Z', message: m });
  assert.deepEqual(await send(`${line('a', 'first')}\n${line('b', 'second')}\n`), {
    index: 'ids',
    created: 2,
    exists: 0,
    rejected: [],
  });
  assert.deepEqual(await send(`${line('a', 'first again')}\n${line(7, 'bad id')}\n`), {
    index: 'ids',
    created: 0,
    exists: 1,
    rejected: [
      { line: 2, type: 'parse_error', reason: 'line 2: _id must be a string of 1 to 512 bytes' },
    ],
  });
  let hits: { id: string; source: Record<string, unknown> }[] = [];
  for (let i = 0; i < 50 && hits.length < 2; i++) {
    await new Promise((r) => setTimeout(r, 100));
    const res = await fetch(`${v.url}/api/v1/logs/search?index=ids&order=asc&start=2024-05-01`);
    hits = ((await res.json()) as { data: { hits: typeof hits } }).data.hits;
  }
  assert.deepEqual(
    hits.map((h) => [h.id, h.source]),
    [
      ['a', { '@timestamp': '2024-05-06T07:08:09Z', message: 'first' }],
      ['b', { '@timestamp': '2024-05-06T07:08:09Z', message: 'second' }],
    ],
  );
});
