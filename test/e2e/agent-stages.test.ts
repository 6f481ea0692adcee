/**
 * The agent's parsers, filters and outputs end to end: a real `vigil agent` reads a pod's CRI
 * log, lifts logfmt fields, drops and edits records as configured, and ships to a real
 * `vigil server`'s Loki push endpoint and to a file at once. The lines are searchable in the
 * server with their labels as fields; the file holds the same records; the agent's /metrics
 * count what each filter dropped and each output sent.
 */

import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { startAgent } from '../harness/agent.js';
import { startVigil, tempDir } from '../harness/vigil.js';

async function until<T>(what: string, get: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await get();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface Hit {
  id: string;
  source: Record<string, unknown>;
}

test('logfmt, filters, and the Loki and file outputs into a real vigil server', async (t) => {
  const v = await startVigil(t, { config: 'server:\n  builtin_scrape_jobs: false\n' });
  const dir = tempDir(t);
  const pod = join(dir, 'pods', 'shop_web-0_uid-1', 'app');
  mkdirSync(pod, { recursive: true });
  const log = join(pod, '0.log');
  const lines = [
    'level=info msg="order placed" order=17 user_password=hunter2',
    'level=debug msg="cache miss" key=a',
    'GET /healthz 200',
    'level=error msg="payment \\"declined\\"" order=18',
    'plain text line',
  ];
  writeFileSync(
    log,
    lines.map((l, i) => `2024-05-06T07:08:0${i}.00000000${i}Z stdout F ${l}\n`).join(''),
  );
  const out = join(dir, 'records.ndjson');
  const config = join(dir, 'agent.yml');
  writeFileSync(
    config,
    [
      'node_name: node-a',
      'inputs:',
      '  - name: pods',
      `    include: ['${dir}/pods/*/*/*.log']`,
      '    message_parsers: [logfmt]',
      'filters:',
      '  - { name: no-debug, type: drop, query: "level:debug" }',
      '  - { name: no-health, type: exclude, field: message, glob: "GET /healthz *" }',
      '  - { name: cluster, type: add, fields: { cluster.name: eu-1 } }',
      '  - { name: secrets, type: remove, fields: [user_password] }',
      '  - { name: lvl, type: rename, fields: { level: log.level } }',
      'outputs:',
      '  - name: loki',
      '    type: loki',
      `    url: ${v.url}`,
      '    labels: { namespace: kubernetes.namespace, pod: kubernetes.pod.name, level: log.level }',
      '    static_labels: { cluster: eu-1 }',
      '    batch: { wait: 100ms }',
      '  - name: debug',
      '    type: file',
      `    path: ${out}`,
      '    batch: { wait: 100ms }',
      '',
    ].join('\n'),
  );
  const agent = startAgent(t, ['--config', config, '--data-dir', join(dir, 'state')]);
  const metricsUrl = `${await agent.url}/metrics`;

  const search = async (q: string): Promise<Hit[]> => {
    const url = `${v.url}/api/v1/logs/search?index=logs-loki&order=asc&start=2024-05-01&q=${encodeURIComponent(q)}`;
    const res = await fetch(url);
    return ((await res.json()) as { data: { hits: Hit[] } }).data.hits;
  };
  const hits = await until('3 lines in the store', async () => {
    const h = await search('namespace:shop and pod:web-0');
    return h.length >= 3 ? h : undefined;
  });
  assert.deepEqual(
    hits.map((h) => [h.source['@timestamp'], h.source.level, h.source.cluster]),
    [
      ['2024-05-06T07:08:00Z', 'info', 'eu-1'],
      ['2024-05-06T07:08:03.000000003Z', 'error', 'eu-1'],
      ['2024-05-06T07:08:04.000000004Z', undefined, 'eu-1'],
    ],
  );
  // The line is the rest of the record as JSON: labels and @timestamp left it.
  const first = JSON.parse(hits[0]!.source.message as string) as Record<string, unknown>;
  assert.deepEqual(first, {
    message: 'order placed',
    stream: 'stdout',
    order: '17',
    log: { file: { path: log }, offset: 0 },
    host: { name: 'node-a' },
    kubernetes: { pod: { uid: 'uid-1' }, container: { name: 'app' }, node: { name: 'node-a' } },
    cluster: { name: 'eu-1' },
  });
  // Searchable by the words of the line and by label.
  assert.equal((await search('message:declined and level:error')).length, 1);
  assert.equal((await search('message:hunter2')).length, 0, 'removed before shipping');

  // The file output holds the same records, with their ids.
  const written = await until('3 records in the file', async () => {
    if (!existsSync(out)) return undefined;
    const l = readFileSync(out, 'utf8').trim().split('\n');
    return l.length >= 3 ? l.map((x) => JSON.parse(x) as Record<string, unknown>) : undefined;
  });
  assert.deepEqual(
    written.map((r) => [r.message, (r.log as { level?: string }).level, r.user_password]),
    [
      ['order placed', 'info', undefined],
      ['payment "declined"', 'error', undefined],
      ['plain text line', undefined, undefined],
    ],
  );
  assert.match(String(written[0]!._id), /^[A-Za-z0-9_-]{16}-0$/);

  const metrics = await (await fetch(metricsUrl)).text();
  assert.match(metrics, /vigil_agent_records_dropped_total\{filter="no-debug"\} 1\n/);
  assert.match(metrics, /vigil_agent_records_dropped_total\{filter="no-health"\} 1\n/);
  assert.match(metrics, /vigil_agent_records_dropped_total\{filter="cluster"\} 0\n/);
  assert.match(metrics, /vigil_agent_lines_unparsed_total\{input="pods"\} 2\n/);
  assert.match(metrics, /vigil_agent_records_sent_total\{output="loki"\} 3\n/);
  assert.match(metrics, /vigil_agent_records_sent_total\{output="debug"\} 3\n/);

  // The dropped lines do not hold the position back: after a restart only new lines come.
  assert.equal((await agent.kill('SIGTERM')).code, 0);
  appendFileSync(log, '2024-05-06T07:09:00.000000009Z stdout F level=warn msg=after\n');
  const again = startAgent(t, ['--config', config, '--data-dir', join(dir, 'state')]);
  await again.url;
  const after = await until('4 records in the file', async () => {
    const l = readFileSync(out, 'utf8').trim().split('\n');
    return l.length >= 4 ? l : undefined;
  });
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(readFileSync(out, 'utf8').trim().split('\n').length, 4);
  assert.equal((JSON.parse(after[3]!) as { message: string }).message, 'after');
  assert.equal((await again.kill('SIGTERM')).code, 0);
});

test('the stdout output prints records as JSON lines, apart from the logs on stderr', async (t) => {
  const dir = tempDir(t);
  mkdirSync(join(dir, 'logs'));
  writeFileSync(join(dir, 'logs', 'a.log'), 'level=info msg=hello\n');
  const config = join(dir, 'agent.yml');
  writeFileSync(
    config,
    [
      'inputs:',
      `  - { name: files, include: ['${dir}/logs/*.log'], message_parsers: [logfmt] }`,
      'outputs:',
      '  - { name: print, type: stdout, batch: { wait: 50ms } }',
      '',
    ].join('\n'),
  );
  const agent = startAgent(t, ['--config', config, '--data-dir', join(dir, 'state')]);
  let stdout = '';
  agent.child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  const metricsUrl = `${await agent.url}/metrics`;
  await until('the record on stdout', async () => (stdout.includes('\n') ? true : undefined));
  const record = JSON.parse(stdout.split('\n')[0]!) as Record<string, unknown>;
  assert.equal(record.message, 'hello');
  assert.equal(record.level, 'info');
  assert.match(String(record._id), /^[A-Za-z0-9_-]{16}-0$/);
  assert.equal(stdout.split('\n').length, 2, 'stdout holds the record only');
  assert.match(
    await (await fetch(metricsUrl)).text(),
    /vigil_agent_records_sent_total\{output="print"\} 1\n/,
  );
  assert.equal((await agent.kill('SIGTERM')).code, 0);
});
