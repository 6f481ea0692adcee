/**
 * @module
 * The simulated node of issue 8, run against a real `vigil server`: 20 pods write CRI logs at
 * 5 000 lines/s under a /var/log/pods-like tree, rotated like the kubelet rotates them (rename,
 * gzip the older ones, keep 5), while `vigil agent` ships them through the output under test.
 * The agent is killed with SIGKILL at the given moments and the server is stopped for a while.
 * At the end every generated line must be in the store exactly once, each stream's lines in
 * order, with the pod's Kubernetes fields.
 */

import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startAgent, type AgentProcess } from './agent.js';
import { PodLogWriter } from './pod-logs.js';
import { startVigil, tempDir, type VigilServer } from './vigil.js';

const SERVER_CONFIG = 'server:\n  builtin_scrape_jobs: false\n';
const LINES_PER_SECOND = 5000;

export interface NodeScenario {
  output: 'vigil' | 'elasticsearch';
  /** How long the pods write, ms. */
  runMs: number;
  /** When the agent is killed with SIGKILL, ms after the pods start writing. */
  kills: number[];
  /** When the server stops and for how long, ms. */
  outageAt: number;
  outageMs: number;
}

interface Hit {
  sort: string;
  source: {
    message: string;
    stream: string;
    kubernetes: {
      namespace: string;
      pod: { name: string; uid: string };
      container: { name: string };
    };
  };
}

async function allHits(v: VigilServer, index: string): Promise<Hit[]> {
  const hits: Hit[] = [];
  let after: string | undefined;
  for (;;) {
    const params = new URLSearchParams({ index, limit: '10000', order: 'asc', track_total: '0' });
    if (after !== undefined) params.set('after', after);
    const res = await fetch(`${v.url}/api/v1/logs/search?${params}`);
    assert.equal(res.status, 200, await res.clone().text());
    const page = (await res.json()) as { data: { hits: Hit[] } };
    hits.push(...page.data.hits);
    if (page.data.hits.length < 10_000) return hits;
    after = page.data.hits.at(-1)!.sort;
  }
}

async function storedCount(v: VigilServer, prefix: string): Promise<number> {
  const res = await fetch(`${v.url}/api/v1/logs/indices`).catch(() => undefined);
  if (res?.status !== 200) return -1;
  const body = (await res.json()) as { data: { name: string; docs: number }[] };
  return body.data.filter((i) => i.name.startsWith(prefix)).reduce((n, i) => n + i.docs, 0);
}

/**
 * @example
 * await runNodeScenario(t, { output: 'vigil', runMs: 40_000, kills: [3_000, 20_000, 37_000], outageAt: 5_000, outageMs: 30_000 });
 */
export async function runNodeScenario(t: TestContext, s: NodeScenario): Promise<void> {
  const root = join(tempDir(t, 'vigil-pods-'), 'pods');
  const agentDir = tempDir(t, 'vigil-agent-');
  const serverDir = tempDir(t);
  let server = await startVigil(t, { config: SERVER_CONFIG, dataDir: serverDir });
  const port = server.port;
  // The Elasticsearch output writes daily indices; the search covers them with a pattern.
  const index = s.output === 'vigil' ? 'logs-node' : 'logs-node-%Y.%m.%d';
  const prefix = 'logs-node';

  const configFile = join(agentDir, 'agent.yml');
  writeFileSync(
    configFile,
    [
      'node_name: node-a',
      'inputs:',
      '  - name: pods',
      `    include: ['${root}/*/*/*.log']`,
      '    scan_interval: 1s',
      '    poll_interval: 100ms',
      '    rotate_wait: 2s',
      'outputs:',
      '  - name: out',
      `    type: ${s.output}`,
      `    url: http://127.0.0.1:${port}`,
      `    index: '${index}'`,
      '    batch: { max_records: 5000, wait: 200ms }',
      '    retry: { min_backoff: 100ms, max_backoff: 2s }',
      '',
    ].join('\n'),
  );
  const agentArgs = ['--config', configFile, '--data-dir', join(agentDir, 'data')];
  const gen = new PodLogWriter({
    root,
    pods: 20,
    linesPerSecond: LINES_PER_SECOND,
    rotateBytes: 128 * 1024,
    keep: 5,
  });
  t.after(() => gen.stop());

  let agent: AgentProcess = startAgent(t, agentArgs);
  await agent.url;
  gen.start();
  const started = Date.now();
  const events: [number, () => Promise<void>][] = [
    ...s.kills.map((ms): [number, () => Promise<void>] => [
      ms,
      async () => {
        await agent.kill('SIGKILL');
        agent = startAgent(t, agentArgs);
        await agent.url;
      },
    ]),
    [
      s.outageAt,
      async () => {
        const stop = await server.stop('SIGTERM');
        assert.equal(stop.code, 0, 'the server stops cleanly');
      },
    ],
    [
      s.outageAt + s.outageMs,
      async () => {
        server = await startVigil(t, {
          config: SERVER_CONFIG,
          dataDir: serverDir,
          args: ['--listen', `127.0.0.1:${port}`],
        });
      },
    ],
  ];
  for (const [ms, run] of events.sort((a, b) => a[0] - b[0])) {
    await sleep(Math.max(0, started + ms - Date.now()));
    await run();
  }
  await sleep(Math.max(0, started + s.runMs - Date.now()));
  gen.stop();
  const total = gen.total;
  // The generator shares a loaded machine with the agents and the server: it may fall a little
  // behind its rate, which still leaves the volume the scenario is about.
  const planned = (LINES_PER_SECOND * s.runMs) / 1000;
  assert.ok(total >= planned * 0.95, `generated ${total} of ${planned} lines`);
  assert.ok(gen.rotations >= 20, `rotated ${gen.rotations} times`);

  // A slow machine drains the backlog slowly; only a count that stops growing is a failure.
  let stored = await storedCount(server, prefix);
  let progressed = Date.now();
  while (stored < total && Date.now() - progressed < 30_000) {
    await sleep(500);
    const now = await storedCount(server, prefix);
    if (now > stored) progressed = Date.now();
    stored = now;
  }
  t.diagnostic(`all lines stored ${Date.now() - started - s.runMs} ms after the last was written`);
  const fetchStart = Date.now();
  const hits = await allHits(server, `${prefix}*`);
  t.diagnostic(`read ${hits.length} hits back in ${Date.now() - fetchStart} ms`);
  assert.equal(
    hits.length,
    total,
    `stored ${hits.length} (index count ${stored}) of ${total} generated lines`,
  );

  const seen = new Map<string, number>();
  const pods = new Map(gen.pods.map((p) => [p.name, p]));
  for (const h of hits) {
    const m = /^line (\S+) (stdout|stderr) (\d{7}) x+$/.exec(h.source.message);
    assert.ok(m !== null, `unexpected message ${JSON.stringify(h.source.message)}`);
    const [, podName, stream, seqText] = m;
    const pod = pods.get(podName!)!;
    assert.equal(h.source.stream, stream);
    const k = h.source.kubernetes;
    assert.deepEqual(
      [k.namespace, k.pod.name, k.pod.uid, k.container.name],
      [pod.namespace, pod.name, pod.uid, pod.container],
    );
    // Hits come oldest first: within a stream, each line is the one after the previous.
    const key = `${podName} ${stream}`;
    const seq = Number(seqText);
    const expected = seen.get(key) ?? 0;
    assert.equal(seq, expected, `${key}: line ${seq} where ${expected} was due`);
    seen.set(key, seq + 1);
  }
  for (const p of gen.pods) {
    assert.equal(seen.get(`${p.name} stdout`), p.written.stdout, `${p.name} stdout`);
    assert.equal(seen.get(`${p.name} stderr`), p.written.stderr, `${p.name} stderr`);
  }

  const metrics = await (await fetch(`${await agent.url}/metrics`)).text();
  const failed = /^vigil_agent_records_failed_total\{output="out"\} (\S+)$/m.exec(metrics);
  assert.ok(failed === null || failed[1] === '0', `records failed: ${failed?.[1]}`);
  assert.match(metrics, /^vigil_agent_lines_read_total\{input="pods"\} [1-9]/m);
  await agent.kill('SIGTERM');
  assert.deepEqual(await agent.exited, { code: 0, signal: null });
}
