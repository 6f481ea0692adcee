/**
 * `vigil agent` with pod metadata from the API server and the agent's own parsers together: a
 * pod's `vigil.io/parser` annotation names a logfmt parser from `parsers:`; a SIGHUP that leaves
 * the `kubernetes:` section alone keeps the watch (no new list) while the input restarts for its
 * parser's change; one that changes the section replaces the watch, and new lines carry what it
 * says.
 */

import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { startAgent } from '../harness/agent.js';
import { FakeKubeApi } from '../harness/fake-kube-api.js';
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

const records = (file: string): Record<string, unknown>[] =>
  existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as Record<string, unknown>)
    : [];

test('SIGHUP with Kubernetes metadata: the watch survives unrelated changes; pods name parsers', async (t) => {
  const dir = tempDir(t);
  const api = await FakeKubeApi.start();
  t.after(() => api.close());
  api.apply('pods', {
    metadata: {
      name: 'web-0',
      namespace: 'shop',
      uid: 'uid-web-0',
      labels: { 'app.kubernetes.io/name': 'web' },
      annotations: { 'vigil.io/parser': 'kv' },
    },
    spec: { nodeName: 'node-a', containers: [{ name: 'app', image: 'shop/web:1' }] },
    status: { podIP: '10.1.2.3' },
  });
  const logDir = join(dir, 'pods', 'shop_web-0_uid-web-0', 'app');
  mkdirSync(logDir, { recursive: true });
  const log = join(logDir, '0.log');
  const write = (line: string) =>
    appendFileSync(log, `2024-05-06T07:08:09.000000001Z stdout F ${line}\n`);
  const out = join(dir, 'out.ndjson');
  const config = join(dir, 'agent.yml');
  const configure = (messageField: string, dedot: boolean) =>
    writeFileSync(
      config,
      `node_name: node-a
kubernetes: { api_server: ${api.url}, dedot: ${dedot} }
parsers:
  - { name: kv, type: logfmt, message_field: ${messageField} }
inputs:
  - { name: pods, include: ['${dir}/pods/*/*/*.log'], scan_interval: 200ms, poll_interval: 50ms }
outputs:
  - { name: f, type: file, path: '${out}', batch: { wait: 50ms } }
`,
    );
  const lists = () => api.lists('pods');

  configure('msg', false);
  write('level=warn msg="disk full" retry');
  const agent = startAgent(t, ['--config', config, '--data-dir', join(dir, 'state')]);
  await agent.url;
  const first = await until('the first record', () => records(out)[0]);
  assert.equal(first.message, 'disk full', 'the pod’s annotation chose the kv parser');
  assert.equal(first.level, 'warn');
  const k8s = (r: Record<string, unknown>) =>
    r.kubernetes as { labels: Record<string, string>; pod: { ip: string } };
  assert.deepEqual(k8s(first).labels, { 'app.kubernetes.io/name': 'web' });
  const listed = lists();

  // The parser changes, the kubernetes section does not: the input restarts, the watch stays.
  configure('text', false);
  agent.child.kill('SIGHUP');
  const reloaded = await until('the reload', () =>
    agent.logs.find((l) => l.msg === 'configuration reloaded'),
  );
  assert.equal(reloaded.inputs_restarted, 'pods');
  write('level=info text="from text" msg=ignored');
  const second = await until('the second record', () => records(out)[1]);
  assert.equal(second.message, 'from text', 'the reloaded parser');
  assert.equal(lists(), listed, 'no new list of pods: the cache kept running');

  // The section changes: a new watch (a new list), and its setting applies to new lines.
  configure('text', true);
  agent.child.kill('SIGHUP');
  await until(
    'the second reload',
    () => agent.logs.filter((l) => l.msg === 'configuration reloaded')[1],
  );
  assert.ok(lists() > listed, 'the pods listed again by the new cache');
  write('text=dedotted');
  const third = await until('the third record', () => records(out)[2]);
  assert.deepEqual(k8s(third).labels, { 'app_kubernetes_io/name': 'web' });
  await until('one watch left', () => (api.watching('pods') === 1 ? true : undefined));
  assert.deepEqual(
    records(out).map((r) => r.message),
    ['disk full', 'from text', 'dedotted'],
    'nothing read twice across the restarts',
  );
  assert.equal((await agent.kill('SIGTERM')).code, 0);
});
