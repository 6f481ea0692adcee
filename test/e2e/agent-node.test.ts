/**
 * A simulated node: 20 pods write CRI logs at 5 000 lines/s under a /var/log/pods-like tree,
 * rotated like the kubelet rotates them (rename, gzip the older ones, keep 5), while `vigil
 * agent` ships them to a real `vigil server`. During the run the agent is killed with SIGKILL
 * three times and the server is stopped for 30 s. At the end every generated line is in the
 * store exactly once, each stream's lines in order, with the pod's Kubernetes fields.
 */

import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startAgent, type AgentProcess } from '../harness/agent.js';
import { PodLogWriter } from '../harness/pod-logs.js';
import { startVigil, tempDir, type VigilServer } from '../harness/vigil.js';

const SERVER_CONFIG = 'server:\n  builtin_scrape_jobs: false\n';
const INDEX = 'logs-node';
const LINES_PER_SECOND = 5000;
const RUN_MS = 40_000;
const OUTAGE_AT = 5_000;
const OUTAGE_MS = 30_000;

interface Hit {
  id: string;
  sort: string;
  '@timestamp': string;
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

async function allHits(v: VigilServer): Promise<Hit[]> {
  const hits: Hit[] = [];
  let after: string | undefined;
  for (;;) {
    const params = new URLSearchParams({
      index: INDEX,
      limit: '10000',
      order: 'asc',
      track_total: '0',
    });
    if (after !== undefined) params.set('after', after);
    const res = await fetch(`${v.url}/api/v1/logs/search?${params}`);
    assert.equal(res.status, 200, await res.clone().text());
    const page = (await res.json()) as { data: { hits: Hit[] } };
    hits.push(...page.data.hits);
    if (page.data.hits.length < 10_000) return hits;
    after = page.data.hits.at(-1)!.sort;
  }
}

async function storedCount(v: VigilServer): Promise<number> {
  const res = await fetch(`${v.url}/api/v1/logs/indices`).catch(() => undefined);
  if (res?.status !== 200) return -1;
  const body = (await res.json()) as { data: { name: string; docs: number }[] };
  return body.data.find((i) => i.name === INDEX)?.docs ?? 0;
}

test(
  'agent ships every line of a rotating node exactly once through kills and a server outage',
  { timeout: 180_000 },
  async (t) => {
    const root = join(tempDir(t, 'vigil-pods-'), 'pods');
    const agentDir = tempDir(t, 'vigil-agent-');
    const serverDir = tempDir(t);
    let server = await startVigil(t, { config: SERVER_CONFIG, dataDir: serverDir });
    const port = server.port;

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
        '  - name: vigil',
        '    type: vigil',
        `    url: http://127.0.0.1:${port}`,
        `    index: ${INDEX}`,
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
      rotateBytes: 256 * 1024,
      keep: 5,
    });
    t.after(() => gen.stop());

    let agent: AgentProcess = startAgent(t, agentArgs);
    await agent.url;
    gen.start();
    const started = Date.now();
    const at = (ms: number) => sleep(Math.max(0, started + ms - Date.now()));
    const killAgent = async () => {
      await agent.kill('SIGKILL');
      agent = startAgent(t, agentArgs);
      await agent.url;
    };

    await at(3_000);
    await killAgent();
    await at(OUTAGE_AT);
    const stop = await server.stop('SIGTERM');
    assert.equal(stop.code, 0, 'the server stops cleanly');
    await at(20_000);
    await killAgent(); // while the server is down: the buffer holds what was read
    await at(OUTAGE_AT + OUTAGE_MS);
    server = await startVigil(t, {
      config: SERVER_CONFIG,
      dataDir: serverDir,
      args: ['--listen', `127.0.0.1:${port}`],
    });
    await at(37_000);
    await killAgent(); // while the agent sends the backlog
    await at(RUN_MS);
    gen.stop();
    const total = gen.total;
    assert.ok(total >= (LINES_PER_SECOND * RUN_MS) / 1000 - 100, `generated ${total} lines`);
    assert.ok(gen.rotations >= 20, `rotated ${gen.rotations} times`);

    const deadline = Date.now() + 60_000;
    let stored = await storedCount(server);
    while (stored < total && Date.now() < deadline) {
      await sleep(500);
      stored = await storedCount(server);
    }
    t.diagnostic(`all lines stored ${Date.now() - started - RUN_MS} ms after the last was written`);
    const fetchStart = Date.now();
    const hits = await allHits(server);
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
      assert.deepEqual(
        [
          h.source.kubernetes.namespace,
          h.source.kubernetes.pod.name,
          h.source.kubernetes.pod.uid,
          h.source.kubernetes.container.name,
        ],
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
    const failed = /^vigil_agent_records_failed_total\{output="vigil"\} (\S+)$/m.exec(metrics);
    assert.ok(failed === null || failed[1] === '0', `records failed: ${failed?.[1]}`);
    assert.match(metrics, /^vigil_agent_lines_read_total\{input="pods"\} [1-9]/m);
    await agent.kill('SIGTERM');
    assert.deepEqual(await agent.exited, { code: 0, signal: null });
  },
);
