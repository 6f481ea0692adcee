import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { FakeKubeApi, type FakeObject } from '../../../../test/harness/fake-kube-api.js';
import { Logger } from '../../../lib/log/logger.js';
import { KubeClient } from '../../../metrics/discovery/kubernetes/client.js';
import { PodMetadataCache, type PodCacheOptions } from './metadata-cache.js';
import { annotationPatterns } from './pod-metadata.js';

function pod(
  name: string,
  node: string,
  extra: {
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ip?: string;
  } = {},
): FakeObject {
  return {
    metadata: {
      name,
      namespace: 'shop',
      uid: `uid-${name}`,
      labels: extra.labels ?? { app: name },
      annotations: extra.annotations ?? {},
      ownerReferences: [{ kind: 'StatefulSet', name: 'db', controller: true }],
    },
    spec: { nodeName: node, containers: [{ name: 'main', image: `${name}:1` }] },
    status: { phase: 'Running', podIP: extra.ip ?? '10.0.0.1' },
  };
}

async function until(what: string, ok: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function start(
  t: TestContext,
  api: FakeKubeApi,
  options: Partial<PodCacheOptions> = {},
): Promise<PodMetadataCache> {
  const client = new KubeClient({ baseUrl: api.url, options: { tls_config: {} } as never });
  const cache = new PodMetadataCache({
    client,
    node: 'node-a',
    fields: { labels: true, annotations: annotationPatterns(['team.io/*']), dedot: false },
    nodeLabels: false,
    namespaceLabels: false,
    maxPods: 100,
    deletedGraceMs: 60_000,
    log: new Logger({ level: 'error' }),
    ...options,
  });
  cache.start();
  t.after(async () => {
    await cache.stop();
    client.close();
  });
  assert.equal(await cache.whenSynced(5000), true);
  return cache;
}

async function fakeApi(t: TestContext): Promise<FakeKubeApi> {
  const api = await FakeKubeApi.start();
  t.after(() => api.close());
  return api;
}

test('lists and watches the pods of its own node only, from one watch', async (t) => {
  const api = await fakeApi(t);
  api.apply('pods', pod('web-0', 'node-a', { annotations: { 'team.io/owner': 'ops', x: 'y' } }));
  api.apply('pods', pod('other', 'node-b'));
  const cache = await start(t, api);
  assert.equal(cache.size, 1);
  const web = cache.byUid('uid-web-0');
  assert.deepEqual(web?.fields, {
    labels: { app: 'web-0' },
    annotations: { 'team.io/owner': 'ops' },
    pod: { ip: '10.0.0.1', owner: { kind: 'StatefulSet', name: 'db' } },
    images: { main: 'web-0:1' },
  });
  assert.equal(cache.byName('shop', 'web-0'), web);
  assert.equal(cache.byUid('uid-other'), undefined);

  await until('a watch', () => api.watching('pods') === 1);
  api.apply('pods', pod('web-1', 'node-a'));
  await until('web-1', () => cache.byUid('uid-web-1') !== undefined);
  const pods = api.requests.filter((r) => r.path === '/api/v1/pods');
  assert.ok(pods.every((r) => r.query.get('fieldSelector') === 'spec.nodeName=node-a'));
  assert.deepEqual(
    pods.map((r) => r.query.get('watch') ?? 'list'),
    ['list', '1'],
  );
});

test('the generation moves on changes records see, not on status-only updates', async (t) => {
  const api = await fakeApi(t);
  api.apply('pods', pod('web-0', 'node-a'));
  const cache = await start(t, api);
  await until('a watch', () => api.watching('pods') === 1);
  const g0 = cache.generation;
  const running = pod('web-0', 'node-a');
  (running.status as Record<string, unknown>).conditions = [{ type: 'Ready', status: 'True' }];
  api.apply('pods', running);
  api.apply('pods', pod('web-0', 'node-a', { labels: { app: 'web', tier: 'front' } }));
  await until('new labels', () => cache.byUid('uid-web-0')?.fields.labels?.tier === 'front');
  assert.equal(cache.generation, g0 + 1);
});

test('a deleted pod is kept for its grace period, then let go', async (t) => {
  const api = await fakeApi(t);
  api.apply('pods', pod('web-0', 'node-a'));
  const cache = await start(t, api, { deletedGraceMs: 1000 });
  await until('a watch', () => api.watching('pods') === 1);
  api.remove('pods', 'shop', 'web-0');
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(cache.byUid('uid-web-0')?.fields.labels?.app, 'web-0', 'kept after deletion');
  assert.equal(cache.byName('shop', 'web-0')?.metadata.uid, 'uid-web-0');
  await until('let go', () => cache.byUid('uid-web-0') === undefined, 4000);
  assert.equal(cache.byName('shop', 'web-0'), undefined);
});

test('410 Gone: lists again and catches up with what changed meanwhile', async (t) => {
  const api = await fakeApi(t);
  api.apply('pods', pod('web-0', 'node-a'));
  api.apply('pods', pod('web-1', 'node-a'));
  const cache = await start(t, api, { deletedGraceMs: 60_000 });
  await until('a watch', () => api.watching('pods') === 1);
  api.goneAs = 'event';
  api.breakWatches();
  // Changes while the agent relists: web-1 goes, web-2 comes, web-0 is relabelled.
  api.remove('pods', 'shop', 'web-1');
  api.apply('pods', pod('web-2', 'node-a'));
  api.apply('pods', pod('web-0', 'node-a', { labels: { app: 'web', v: '2' } }));
  await until('web-2', () => cache.byUid('uid-web-2') !== undefined);
  await until('web-0 relabelled', () => cache.byUid('uid-web-0')?.fields.labels?.v === '2');
  // A relist that no longer finds a pod treats it as deleted: kept for its grace period.
  assert.ok(cache.byUid('uid-web-1') !== undefined);
  const lists = api.requests.filter((r) => r.path === '/api/v1/pods' && !r.query.has('watch'));
  assert.equal(lists.length, 2);
});

test('bounded: over max_pods the least recently used deleted pods go first', async (t) => {
  const api = await fakeApi(t);
  for (const n of ['a', 'b', 'c']) api.apply('pods', pod(n, 'node-a'));
  let evicted = 0;
  const cache = await start(t, api, { maxPods: 3, onEvict: () => evicted++ });
  await until('a watch', () => api.watching('pods') === 1);
  api.remove('pods', 'shop', 'a');
  api.remove('pods', 'shop', 'b');
  await new Promise((r) => setTimeout(r, 200));
  cache.byUid('uid-a'); // a is now more recently used than b
  api.apply('pods', pod('d', 'node-a'));
  await until('d', () => cache.byUid('uid-d') !== undefined);
  assert.equal(cache.size, 3);
  assert.equal(evicted, 1);
  assert.equal(cache.byUid('uid-b'), undefined, 'the least recently used deleted pod went');
  assert.ok(cache.byUid('uid-a') !== undefined);
  assert.ok(cache.byUid('uid-c') !== undefined, 'live pods stay while deleted ones can go');
});

test('node labels come from a watch of the node itself', async (t) => {
  const api = await fakeApi(t);
  api.apply('nodes', {
    metadata: { name: 'node-a', labels: { 'topology.kubernetes.io/zone': 'z1' } },
  });
  api.apply('nodes', { metadata: { name: 'node-b', labels: { zone: 'z2' } } });
  const cache = await start(t, api, {
    nodeLabels: true,
    fields: { labels: true, annotations: [], dedot: true },
  });
  assert.deepEqual(cache.nodeLabels, { 'topology_kubernetes_io/zone': 'z1' });
  const nodes = api.requests.filter((r) => r.path === '/api/v1/nodes');
  assert.equal(nodes[0]?.query.get('fieldSelector'), 'metadata.name=node-a');
});

test('an unreachable API server: not synced, retried in the background', async (t) => {
  const api = await fakeApi(t);
  const url = api.url;
  await api.close();
  const client = new KubeClient({ baseUrl: url, options: { tls_config: {} } as never });
  const cache = new PodMetadataCache({
    client,
    node: 'node-a',
    fields: { labels: true, annotations: [], dedot: false },
    nodeLabels: false,
    namespaceLabels: false,
    maxPods: 10,
    deletedGraceMs: 1000,
    log: new Logger({ level: 'error' }),
  });
  cache.start();
  t.after(async () => {
    await cache.stop();
    client.close();
  });
  assert.equal(await cache.whenSynced(300), false);
  assert.equal(cache.synced, false);
});

test('namespace labels come from a watch of the namespaces', async (t) => {
  const api = await fakeApi(t);
  api.apply('namespaces', { metadata: { name: 'shop', labels: { team: 'storefront' } } });
  const cache = await start(t, api, { namespaceLabels: true });
  assert.deepEqual(cache.namespaceLabels('shop'), { team: 'storefront' });
  assert.equal(cache.namespaceLabels('other'), undefined);
  await until('a watch', () => api.watching('namespaces') === 1);
  const g = cache.generation;
  api.apply('namespaces', { metadata: { name: 'shop', labels: { team: 'checkout' } } });
  await until('relabelled', () => cache.namespaceLabels('shop')?.team === 'checkout');
  assert.equal(cache.generation, g + 1);
  api.remove('namespaces', undefined, 'shop');
  await until('gone', () => cache.namespaceLabels('shop') === undefined);
});
