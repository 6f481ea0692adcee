import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { FakeKubeApi, type FakeObject } from '../../../../test/harness/fake-kube-api.js';
import { CollectingSink } from '../../../../test/harness/record-sink.js';
import { tempDir } from '../../../../test/harness/temp.js';
import { Registry } from '../../../lib/instrument/index.js';
import { Logger } from '../../../lib/log/logger.js';
import { KubeClient } from '../../../metrics/discovery/kubernetes/client.js';
import { PositionDb } from '../inputs/tail/positions.js';
import { TailInput } from '../inputs/tail/tail.js';
import { PodMetadataCache } from '../kubernetes/metadata-cache.js';
import { annotationPatterns } from '../kubernetes/pod-metadata.js';
import { registerAgentMetrics } from '../metrics.js';
import { LogfmtParser } from '../parsers/message.js';
import { KubernetesApiFilter } from './kubernetes-api.js';

function deploymentPod(
  name: string,
  labels: Record<string, string>,
  annotations: Record<string, string> = {},
): FakeObject {
  return {
    metadata: {
      name,
      namespace: 'shop',
      uid: `uid-${name}`,
      labels: { 'pod-template-hash': '7d9f8', ...labels },
      annotations,
      ownerReferences: [{ kind: 'ReplicaSet', name: 'web-7d9f8', controller: true }],
    },
    spec: { nodeName: 'node-a', containers: [{ name: 'app', image: 'shop/web:2.1' }] },
    status: { podIP: '10.1.2.3' },
  };
}

interface Setup {
  api: FakeKubeApi;
  pods: string;
  sink: CollectingSink;
  registry: Registry;
  /** Writes CRI lines to the pod's container log, creating it. */
  write(pod: string, lines: string[], container?: string): void;
}

async function setup(
  t: TestContext,
  waitMs = 5000,
  before?: (write: Setup['write']) => void,
  readFrom: 'head' | 'tail' = 'head',
): Promise<Setup> {
  // Stop the input before its directory goes: hooks run in the order they were added.
  const stops: (() => Promise<void>)[] = [];
  t.after(async () => {
    for (const stop of stops.reverse()) await stop();
  });
  const dir = tempDir(t);
  const pods = join(dir, 'pods');
  mkdirSync(pods);
  const api = await FakeKubeApi.start();
  stops.push(() => api.close());
  const client = new KubeClient({
    baseUrl: api.url,
    options: { tls_config: { insecure_skip_verify: false }, follow_redirects: true },
  });
  const log = new Logger({ level: 'error' });
  const registry = new Registry();
  const metrics = registerAgentMetrics(registry);
  const cache = new PodMetadataCache({
    client,
    node: 'node-a',
    fields: { labels: true, annotations: annotationPatterns(['team/*']), dedot: false },
    nodeLabels: false,
    namespaceLabels: false,
    maxPods: 100,
    deletedGraceMs: 60_000,
    log,
  });
  cache.start();
  await cache.whenSynced(5000);
  const filter = new KubernetesApiFilter({
    cache,
    node: 'node-a',
    waitMs,
    log,
    onMissing: () => metrics.kubernetesMissing.inc(),
  });
  const write = (pod: string, lines: string[], container = 'app') => {
    const d = join(pods, `shop_${pod}_uid-${pod}`, container);
    mkdirSync(d, { recursive: true });
    const text = lines.map((l) => `2024-05-06T07:08:09.000000001Z stdout F ${l}\n`).join('');
    appendFileSync(join(d, '0.log'), text);
  };
  before?.(write);
  const input = new TailInput({
    name: 'pods',
    include: [`${pods}/*/*/*.log`],
    exclude: [],
    readFrom,
    format: 'cri',
    json: true,
    namedParsers: new Map([
      ['kv', new LogfmtParser({ name: 'kv', timeField: '', readTime: null, messageField: 'msg' })],
    ]),
    multiline: null,
    maxLineBytes: 4096,
    scanIntervalMs: 100,
    pollIntervalMs: 20,
    rotateWaitMs: 100,
    node: 'node-a',
    positions: PositionDb.open(join(dir, 'positions.json')),
    filters: [filter],
    metrics,
    log,
  });
  const sink = new CollectingSink();
  await input.start(sink);
  stops.push(async () => {
    await input.stop();
    await cache.stop();
    client.close();
  });
  return { api, pods, sink, registry, write };
}

async function until(what: string, ok: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

type K8s = Record<string, unknown> & {
  labels?: Record<string, string>;
  pod: Record<string, unknown>;
};
const k8s = (doc: Record<string, unknown>) => doc.kubernetes as K8s;

test('records carry the pod labels, owner and image from the API — and no API call per line', async (t) => {
  const s = await setup(t);
  s.api.apply('pods', deploymentPod('web-1', { app: 'web' }, { 'team/owner': 'ops', other: 'x' }));
  await until('a watch', () => s.api.watching('pods') === 1);
  await new Promise((r) => setTimeout(r, 50));
  const requests = s.api.requests.length;
  s.write(
    'web-1',
    Array.from({ length: 1000 }, (_, i) => `line ${i}`),
  );
  await until('1000 lines', () => s.sink.records.length === 1000);
  assert.deepEqual(k8s(s.sink.docs()[999]!), {
    namespace: 'shop',
    pod: {
      name: 'web-1',
      uid: 'uid-web-1',
      ip: '10.1.2.3',
      owner: { kind: 'Deployment', name: 'web' },
    },
    container: { name: 'app', image: 'shop/web:2.1' },
    node: { name: 'node-a' },
    labels: { 'pod-template-hash': '7d9f8', app: 'web' },
    annotations: { 'team/owner': 'ops' },
  });
  assert.equal(s.api.requests.length, requests, '1000 lines made no API request');

  // Relabelled while its file is followed: the next lines carry the new labels.
  s.api.apply('pods', deploymentPod('web-1', { app: 'web', canary: 'true' }));
  await new Promise((r) => setTimeout(r, 100));
  s.write('web-1', ['after relabel']);
  await until('one more', () => s.sink.records.length === 1001);
  assert.equal(k8s(s.sink.docs()[1000]!).labels?.canary, 'true');
});

test("a file whose pod is not known yet waits for it; a deleted pod's last lines keep its labels", async (t) => {
  const s = await setup(t);
  await until('a watch', () => s.api.watching('pods') === 1);
  s.write('web-2', ['first']);
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(s.sink.records.length, 0, 'held back while its metadata is on the way');
  s.api.apply('pods', deploymentPod('web-2', { app: 'web' }));
  await until('first', () => s.sink.records.length === 1);
  assert.equal(k8s(s.sink.docs()[0]!).labels?.app, 'web');

  s.api.remove('pods', 'shop', 'web-2');
  await new Promise((r) => setTimeout(r, 100));
  s.write('web-2', ['last words']);
  await until('last', () => s.sink.records.length === 2);
  assert.equal(k8s(s.sink.docs()[1]!).labels?.app, 'web');
});

test('a pod that never appears is read after the wait with path metadata, and counted', async (t) => {
  const s = await setup(t, 300);
  s.write('ghost', ['boo']);
  await until('boo', () => s.sink.records.length === 1);
  assert.deepEqual(k8s(s.sink.docs()[0]!), {
    namespace: 'shop',
    pod: { name: 'ghost', uid: 'uid-ghost' },
    container: { name: 'app' },
    node: { name: 'node-a' },
  });
  assert.match(s.registry.expose('text'), /^vigil_agent_kubernetes_metadata_missing_total 1$/m);
});

test('vigil.io/exclude drops a pod (or one container) and counts it', async (t) => {
  const s = await setup(t);
  s.api.apply('pods', deploymentPod('noisy', { app: 'noisy' }, { 'vigil.io/exclude': 'true' }));
  s.api.apply(
    'pods',
    deploymentPod('half', { app: 'half' }, { 'vigil.io/exclude-sidecar': 'true' }),
  );
  await until('a watch', () => s.api.watching('pods') === 1);
  s.write('noisy', ['a', 'b', 'c']);
  s.write('half', ['kept'], 'app');
  s.write('half', ['dropped'], 'sidecar');
  await until('kept', () => s.sink.records.length === 1);
  await until('excluded counted', () =>
    /^vigil_agent_records_excluded_total\{input="pods"\} 4$/m.test(s.registry.expose('text')),
  );
  assert.deepEqual(s.sink.messages(), ['kept']);
});

test('vigil.io/parser chooses multiline joining or plain text per pod', async (t) => {
  const s = await setup(t);
  s.api.apply('pods', deploymentPod('java', { app: 'j' }, { 'vigil.io/parser': 'java' }));
  s.api.apply('pods', deploymentPod('plain', { app: 'p' }, { 'vigil.io/parser-app': 'text' }));
  await until('a watch', () => s.api.watching('pods') === 1);
  s.write('java', [
    'Exception in thread "main" java.lang.IllegalStateException: boom',
    '\tat com.shop.Main.run(Main.java:10)',
    '\tat com.shop.Main.main(Main.java:5)',
    'next record',
  ]);
  s.write('plain', ['{"level":"error","message":"kept as text"}']);
  await until('records', () => s.sink.records.length >= 2);
  await until('java flushed', () => s.sink.records.length === 3, 3000);
  const byPod = new Map<string, Record<string, unknown>[]>();
  for (const d of s.sink.docs()) {
    const name = k8s(d).pod.name as string;
    byPod.set(name, [...(byPod.get(name) ?? []), d]);
  }
  assert.deepEqual(
    byPod.get('java')!.map((d) => d.message),
    [
      'Exception in thread "main" java.lang.IllegalStateException: boom\n\tat com.shop.Main.run(Main.java:10)\n\tat com.shop.Main.main(Main.java:5)',
      'next record',
    ],
  );
  const plain = byPod.get('plain')![0]!;
  assert.equal(plain.message, '{"level":"error","message":"kept as text"}');
  assert.equal(plain.level, undefined, 'JSON not lifted');
});

test('vigil.io/parser may name a message parser; a name the input lacks keeps its settings', async (t) => {
  const s = await setup(t);
  s.api.apply('pods', deploymentPod('kv', { app: 'k' }, { 'vigil.io/parser': 'kv' }));
  s.api.apply('pods', deploymentPod('odd', { app: 'o' }, { 'vigil.io/parser': 'nosuch' }));
  await until('a watch', () => s.api.watching('pods') === 1);
  s.write('kv', ['level=warn msg="disk full" retry']);
  s.write('odd', ['{"level":"error","message":"lifted as the input says"}']);
  await until('records', () => s.sink.records.length === 2);
  const byPod = new Map(s.sink.docs().map((d) => [k8s(d).pod.name as string, d]));
  const kv = byPod.get('kv')!;
  assert.equal(kv.message, 'disk full');
  assert.equal(kv.level, 'warn');
  assert.equal(kv.retry, true);
  const odd = byPod.get('odd')!;
  assert.equal(odd.message, 'lifted as the input says');
  assert.equal(odd.level, 'error', 'the input lifts JSON');
});

test('without the pods tree shape no metadata is asked for', async (t) => {
  const s = await setup(t);
  const dir = join(s.pods, 'bad-dir', 'x');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, '0.log'), '2024-05-06T07:08:09Z stdout F plain\n');
  await until('plain', () => s.sink.records.length === 1);
  assert.equal(s.sink.docs()[0]!.kubernetes, undefined);
});

test('read_from tail: a file held back at the first start is read from where it ended then', async (t) => {
  const s = await setup(t, 5000, (write) => write('late', ['before the agent started']), 'tail');
  await until('a watch', () => s.api.watching('pods') === 1);
  await new Promise((r) => setTimeout(r, 200));
  s.write('late', ['while held back']);
  s.api.apply('pods', deploymentPod('late', { app: 'late' }));
  await until('the new line', () => s.sink.records.length === 1);
  await new Promise((r) => setTimeout(r, 200));
  assert.deepEqual(s.sink.messages(), ['while held back']);
});

test('a held-back file rotated before its metadata arrives loses nothing', async (t) => {
  const s = await setup(t);
  await until('a watch', () => s.api.watching('pods') === 1);
  s.write('fast', ['one', 'two']);
  await new Promise((r) => setTimeout(r, 300)); // found, opened and held
  const dir = join(s.pods, 'shop_fast_uid-fast', 'app');
  renameSync(join(dir, '0.log'), join(dir, '0.log.20240506-070809'));
  s.write('fast', ['three']);
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(s.sink.records.length, 0);
  s.api.apply('pods', deploymentPod('fast', { app: 'fast' }));
  await until('all three', () => s.sink.records.length === 3);
  assert.deepEqual(s.sink.messages().sort(), ['one', 'three', 'two']);
  assert.ok(s.sink.docs().every((d) => k8s(d).labels?.app === 'fast'));
});
