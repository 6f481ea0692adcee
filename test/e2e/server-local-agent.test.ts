/**
 * `vigil server` with its log agent inside (server.local_agent), pointed at a simulated node:
 * CRI pod logs in a /var/log/pods-like tree and a journal behind a stand-in journalctl. Every
 * line is searchable in the server's own store with its Kubernetes path metadata, the agent's
 * metrics are on the server's /metrics, and a restart that has lost the agent's positions (as
 * a crash before they were saved would) reads everything again without storing a line twice.
 */

import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fakeJournalctl } from '../harness/fake-journalctl.js';
import { PodLogWriter } from '../harness/pod-logs.js';
import { startVigil, tempDir, type VigilServer } from '../harness/vigil.js';

interface Hit {
  id: string;
  source: Record<string, unknown>;
}

async function search(v: VigilServer, q: string): Promise<Hit[]> {
  const url = `${v.url}/api/v1/logs/search?index=logs-agent&start=2024-01-01&limit=10000&q=${encodeURIComponent(q)}`;
  const res = await fetch(url);
  assert.equal(res.status, 200, await res.clone().text());
  return ((await res.json()) as { data: { hits: Hit[] } }).data.hits;
}

async function untilCount(v: VigilServer, q: string, want: number): Promise<Hit[]> {
  let hits: Hit[] = [];
  for (let i = 0; i < 150; i++) {
    hits = await search(v, q);
    if (hits.length >= want) return hits;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`${q}: ${hits.length} hits, want ${want}`);
}

const journalEntry = (i: number) => ({
  __REALTIME_TIMESTAMP: String(1714979289000000 + i),
  PRIORITY: '3',
  _SYSTEMD_UNIT: 'kubelet.service',
  SYSLOG_IDENTIFIER: 'kubelet',
  _PID: '4242',
  _HOSTNAME: 'node-a',
  MESSAGE: `kubelet says ${i}`,
});

test('the agent inside the server stores the host’s pod and journal lines once, across restarts', async (t) => {
  const dir = tempDir(t, 'vigil-local-agent-');
  const pods = new PodLogWriter({
    root: join(dir, 'pods'),
    pods: 2,
    linesPerSecond: 400,
    rotateBytes: 1 << 30,
    keep: 3,
  });
  pods.start();
  await new Promise((r) => setTimeout(r, 300));
  pods.stop();
  const podLines = pods.total;
  assert.ok(podLines > 50, `${podLines} lines written`);
  const jc = fakeJournalctl(join(dir, 'journal'));
  jc.append([0, 1, 2].map(journalEntry));
  const agentYml = join(dir, 'agent.yml');
  writeFileSync(
    agentYml,
    [
      'node_name: node-a',
      'kubernetes: { api: false }',
      'inputs:',
      '  - name: containers',
      `    include: ['${join(dir, 'pods')}/*/*/*.log']`,
      '  - name: journal',
      '    type: journald',
      `    journalctl: ${jc.path}`,
      '    read_from: head',
      // Outputs listed get the records too.
      'outputs:',
      '  - name: copy',
      '    type: file',
      `    path: ${join(dir, 'copy.ndjson')}`,
      '    batch: { wait: 100ms }',
      '',
    ].join('\n'),
  );
  const config = `server:\n  local_agent:\n    config: ${agentYml}\n`;
  const v = await startVigil(t, { config, localAgent: true });

  const shop = await untilCount(v, 'kubernetes.namespace:shop', 1);
  const all = await untilCount(v, '*', podLines + 3);
  assert.equal(all.length, podLines + 3);
  const meta = shop[0]!.source as {
    kubernetes: { namespace: string; pod: { name: string }; container: { name: string } };
  };
  assert.equal(meta.kubernetes.namespace, 'shop');
  assert.match(meta.kubernetes.pod.name, /^web-\d\d$/);
  assert.equal(meta.kubernetes.container.name, 'app');
  const journal = await search(v, 'message:"kubelet says 1"');
  assert.equal(journal.length, 1);
  assert.equal(
    (journal[0]!.source as { systemd?: { unit?: string } }).systemd?.unit,
    'kubelet.service',
  );
  const copied = () =>
    existsSync(join(dir, 'copy.ndjson'))
      ? readFileSync(join(dir, 'copy.ndjson'), 'utf8').split('\n').length - 1
      : 0;
  for (let i = 0; i < 100 && copied() < podLines + 3; i++) {
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(copied(), podLines + 3);
  const metrics = await (await fetch(`${v.url}/metrics`)).text();
  assert.match(
    metrics,
    new RegExp(`vigil_agent_records_sent_total\\{output="local"\\} ${podLines + 3}\\b`),
  );
  assert.match(metrics, /vigil_agent_buffer_bytes\{output="copy"\}/);
  assert.match(metrics, /vigil_agent_lines_read_total\{input="containers"\}/);
  assert.equal((await v.stop()).code, 0);

  // Positions and cursor gone: the restarted agent reads everything again.
  const positions = join(v.dataDir, 'agent', 'positions');
  assert.ok(existsSync(join(positions, 'containers.json')));
  rmSync(positions, { recursive: true });
  jc.append([journalEntry(3)]);
  const again = await startVigil(t, { config, localAgent: true, dataDir: v.dataDir });
  await untilCount(again, 'message:"kubelet says 3"', 1);
  // The re-read lines arrive with the new one; give stragglers time to show up as duplicates.
  await new Promise((r) => setTimeout(r, 1500));
  const after = await search(again, '*');
  assert.equal(after.length, podLines + 4, 'every line stored once');
  assert.equal((await again.stop()).code, 0);
});

test('local_agent.enabled: false and --no-local-agent keep the agent out', async (t) => {
  for (const options of [
    { config: 'server:\n  local_agent:\n    enabled: false\n', localAgent: true },
    { config: 'server:\n  local_agent:\n    enabled: true\n', args: ['--no-local-agent'] },
  ]) {
    const v = await startVigil(t, options);
    const metrics = await (await fetch(`${v.url}/metrics`)).text();
    assert.doesNotMatch(metrics, /vigil_agent_lines_read_total/);
    assert.ok(!existsSync(join(v.dataDir, 'agent')));
    assert.equal((await v.stop()).code, 0);
  }
});

test('an agent.yml with problems stops the start, with its position', async (t) => {
  const dir = tempDir(t, 'vigil-local-agent-bad-');
  const agentYml = join(dir, 'agent.yml');
  writeFileSync(agentYml, 'inputs:\n  - name: x\n    type: journald\n    read_from: middle\n');
  const v = await startVigil(t, {
    config: `server:\n  local_agent:\n    config: ${agentYml}\n`,
    localAgent: true,
    waitReady: false,
  });
  const exit = await v.exited;
  assert.equal(exit.code, 1);
  const text = v.logs.map((l) => JSON.stringify(l)).join('\n');
  assert.match(text, /agent\.yml:4/);
  assert.match(text, /read_from/);
});
