/**
 * The agent inside `vigil server` on SIGHUP: a server reload reads its agent.yml again and
 * starts only the new input (the running one keeps its place: no line stored twice); an
 * agent.yml with problems refuses the server's reload and the agent keeps running. The agent
 * is listed on the Status page's agents API as this host, at address `local`.
 */

import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { startVigil, tempDir, type VigilServer } from '../harness/vigil.js';

async function count(v: VigilServer, q: string): Promise<number> {
  const url = `${v.url}/api/v1/logs/search?index=logs-agent&start=2024-01-01&limit=10000&q=${encodeURIComponent(q)}`;
  const res = await fetch(url);
  assert.equal(res.status, 200, await res.clone().text());
  return ((await res.json()) as { data: { hits: unknown[] } }).data.hits.length;
}

async function untilCount(v: VigilServer, q: string, want: number): Promise<void> {
  let n = 0;
  for (let i = 0; i < 150; i++) {
    n = await count(v, q);
    if (n >= want) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`${q}: ${n} hits, want ${want}`);
}

interface AgentEntry {
  node: string;
  address: string;
  index: string;
  documents: number;
  bufferedBytes: number | null;
  unreadBytes: number | null;
}

test('SIGHUP reloads the server’s own agent; it shows among the connected agents', async (t) => {
  const dir = tempDir(t, 'vigil-local-agent-reload-');
  const logs = (name: string) => {
    mkdirSync(join(dir, name), { recursive: true });
    return (from: number, n: number) => {
      let text = '';
      for (let i = from; i < from + n; i++) text += `${name} line ${i}\n`;
      appendFileSync(join(dir, name, 'app.log'), text);
    };
  };
  const writeA = logs('a');
  const writeB = logs('b');
  const agentYml = join(dir, 'agent.yml');
  const input = (name: string) =>
    `  - { name: ${name}, include: ['${join(dir, name)}/*.log'], read_from: head, kubernetes: false, scan_interval: 200ms, poll_interval: 50ms }`;
  const configure = (...inputs: string[]) =>
    writeFileSync(agentYml, ['node_name: host-a', 'inputs:', ...inputs.map(input), ''].join('\n'));
  configure('a');
  writeA(0, 50);
  const v = await startVigil(t, {
    config: `server:\n  local_agent:\n    config: ${agentYml}\n`,
    localAgent: true,
  });
  await untilCount(v, 'message:a', 50);

  const agents = async () => {
    const res = await fetch(`${v.url}/api/v1/status/agents`);
    return ((await res.json()) as { data: AgentEntry[] }).data;
  };
  const [self] = await agents();
  assert.equal(self?.node, 'host-a');
  assert.equal(self.address, 'local');
  assert.equal(self.index, 'logs-agent');
  assert.equal(self.documents, 50);
  assert.equal(self.bufferedBytes, 0);
  assert.equal(self.unreadBytes, 0);

  // A bad agent.yml: the server's reload is refused, the agent goes on with what it had.
  writeFileSync(agentYml, 'inputs:\n  - name: a\n    read_from: middle\n');
  v.child.kill('SIGHUP');
  const refused = await v.waitForLog((l) => /cannot reload configuration/.test(String(l.msg)));
  assert.match(JSON.stringify(refused), /agent\.yml:3.*read_from/);
  const metrics = await (await fetch(`${v.url}/metrics`)).text();
  assert.match(metrics, /^vigil_config_last_reload_successful 0$/m);
  writeA(50, 10);
  await untilCount(v, 'message:a', 60);

  // A new input: it starts; `a` is not restarted and reads on from where it was.
  configure('a', 'b');
  writeB(0, 20);
  v.child.kill('SIGHUP');
  const reloaded = await v.waitForLog(
    (l) => l.msg === 'configuration reloaded' && 'inputs_started' in l,
  );
  assert.equal(reloaded.inputs_started, 'b');
  assert.equal(reloaded.inputs_restarted, '');
  writeA(60, 5);
  await untilCount(v, 'message:b', 20);
  await untilCount(v, 'message:a', 65);
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(await count(v, 'message:a'), 65, 'no line of a stored twice');
  assert.equal(await count(v, 'message:b'), 20);
  assert.equal((await agents())[0]?.documents, 85);
  assert.equal((await v.stop()).code, 0);
});
