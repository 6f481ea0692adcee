/**
 * @module
 * The discoverer against a fake API server over real HTTP: the first update carries every
 * group, watch events become updates, a 410 (as a status or as an ERROR event) makes it list
 * again and report what changed meanwhile, namespaces and selectors reach the server as paths
 * and query parameters with the configured credentials, and the endpoints role follows changes
 * of the services and pods it is enriched from.
 */

import { test } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Logger } from '../../../lib/log/logger.js';
import { FakeKubeApi } from '../../../../test/harness/fake-kube-api.js';
import type { FakeObject } from '../../../../test/harness/fake-kube-api.js';
import { tempDir } from '../../../../test/harness/temp.js';
import type { TargetGroup } from '../interface.js';
import { resolveApiEndpoint } from './client.js';
import { kubernetesSdConfigSchema } from './config.js';
import { kubernetesDiscoverer } from './discoverer.js';

const log = new Logger({ level: 'error', write: () => {} });

function pod(name: string, ip: string, extra: Partial<FakeObject> = {}): FakeObject {
  return {
    metadata: { name, namespace: 'default', labels: { app: 'web' } },
    spec: { nodeName: 'n1', containers: [{ name: 'c', ports: [{ containerPort: 80 }] }] },
    status: { podIP: ip, phase: 'Running' },
    ...extra,
  };
}

/** Runs a discoverer; `updates` holds every update, `groups` the latest group per source. */
function start(
  t: TestContext,
  config: Record<string, unknown>,
  saDir?: string,
  env?: NodeJS.ProcessEnv,
) {
  const updates: TargetGroup[][] = [];
  const groups = new Map<string, TargetGroup>();
  const abort = new AbortController();
  const d = kubernetesDiscoverer(kubernetesSdConfigSchema.parse(config), {
    log,
    serviceAccountDir: saDir,
    env,
  });
  const done = d.run((u) => {
    updates.push(u);
    for (const g of u) groups.set(g.source, g);
  }, abort.signal);
  t.after(async () => {
    abort.abort();
    await done;
  });
  const until = async (what: string, ok: () => boolean) => {
    const deadline = Date.now() + 30_000;
    while (!ok()) {
      if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  return { updates, groups, until, abort, done };
}

const addrs = (g: TargetGroup | undefined) => (g?.targets ?? []).map((t) => t.__address__);

test('pod role: first update has every group; watch events update, replace and delete', async (t) => {
  const api = await FakeKubeApi.start();
  t.after(() => api.close());
  api.apply('pods', pod('a', '10.0.0.1'));
  api.apply('pods', pod('b', '10.0.0.2'));
  const d = start(t, { role: 'pod', api_server: api.url });
  await d.until('first update', () => d.updates.length > 0);
  assert.deepEqual(d.updates[0]!.map((g) => g.source).sort(), ['pod/default/a', 'pod/default/b']);
  await d.until('a watch', () => api.watching('pods') > 0);

  api.apply('pods', pod('c', '10.0.0.3'));
  await d.until('c', () => addrs(d.groups.get('pod/default/c')).includes('10.0.0.3:80'));
  api.apply('pods', pod('a', '10.0.0.9'));
  await d.until('a moved', () => addrs(d.groups.get('pod/default/a')).includes('10.0.0.9:80'));
  const before = d.updates.length;
  api.bookmark();
  api.remove('pods', 'default', 'b');
  await d.until('b gone', () => d.groups.get('pod/default/b')?.targets.length === 0);
  assert.equal(d.updates.length, before + 1, 'a bookmark is no update');
  assert.deepEqual(d.groups.get('pod/default/b'), {
    source: 'pod/default/b',
    targets: [],
    labels: {},
  });
});

for (const goneAs of ['status', 'event'] as const) {
  test(`a 410 ${goneAs} makes it list again and report what changed meanwhile`, async (t) => {
    const api = await FakeKubeApi.start();
    t.after(() => api.close());
    api.goneAs = goneAs;
    api.apply('pods', pod('a', '10.0.0.1'));
    api.apply('pods', pod('b', '10.0.0.2'));
    const d = start(t, { role: 'pod', api_server: api.url });
    await d.until('a watch', () => api.watching('pods') > 0);
    const lists = () => api.requests.filter((r) => !r.query.has('watch')).length;
    const listed = lists();
    // Changes the client cannot replay: history expired and the watch ended.
    api.remove('pods', 'default', 'a');
    api.apply('pods', pod('c', '10.0.0.3'));
    api.endWatches();
    api.expire();
    await d.until('a relist', () => lists() > listed);
    await d.until('a gone and c there', () => {
      return (
        d.groups.get('pod/default/a')?.targets.length === 0 &&
        addrs(d.groups.get('pod/default/c')).length === 1
      );
    });
    assert.deepEqual(addrs(d.groups.get('pod/default/b')), ['10.0.0.2:80']);
  });
}

test('an ERROR 410 event on an open watch makes it list again', async (t) => {
  const api = await FakeKubeApi.start();
  t.after(() => api.close());
  api.apply('pods', pod('a', '10.0.0.1'));
  const d = start(t, { role: 'pod', api_server: api.url });
  await d.until('a watch', () => api.watching('pods') > 0);
  const lists = () => api.requests.filter((r) => !r.query.has('watch')).length;
  const listed = lists();
  api.breakWatches();
  await d.until('a relist', () => lists() > listed);
  await d.until('a new watch', () => api.watching('pods') > 0);
  api.apply('pods', pod('z', '10.0.0.26'));
  await d.until('z', () => addrs(d.groups.get('pod/default/z')).length === 1);
});

test('namespaces, own namespace, selectors and credentials reach the server', async (t) => {
  const api = await FakeKubeApi.start();
  t.after(() => api.close());
  const sa = tempDir(t, 'vigil-k8s-sa-');
  writeFileSync(join(sa, 'namespace'), 'mine\n');
  api.apply('pods', pod('in-default', '10.0.0.1'));
  api.apply('pods', {
    ...pod('in-mine', '10.0.0.2'),
    metadata: { name: 'in-mine', namespace: 'mine', labels: { app: 'web' } },
  });
  api.apply('pods', {
    ...pod('in-other', '10.0.0.3'),
    metadata: { name: 'in-other', namespace: 'other', labels: { app: 'web' } },
  });
  api.apply('pods', {
    ...pod('unlabelled', '10.0.0.4'),
    metadata: { name: 'unlabelled', namespace: 'default' },
  });
  const d = start(
    t,
    {
      role: 'pod',
      api_server: api.url,
      authorization: { credentials: 's3cret' },
      namespaces: { own_namespace: true, names: ['default'] },
      selectors: [{ role: 'pod', label: 'app=web', field: 'spec.nodeName=n1' }],
    },
    sa,
  );
  await d.until('first update', () => d.updates.length > 0);
  assert.deepEqual(d.updates[0]!.map((g) => g.source).sort(), [
    'pod/default/in-default',
    'pod/mine/in-mine',
  ]);
  await d.until('two watches', () => api.watching('pods') === 2);
  const paths = new Set(api.requests.map((r) => r.path));
  assert.deepEqual([...paths].sort(), [
    '/api/v1/namespaces/default/pods',
    '/api/v1/namespaces/mine/pods',
  ]);
  for (const r of api.requests) {
    assert.equal(r.authorization, 'Bearer s3cret');
    assert.equal(r.query.get('labelSelector'), 'app=web');
    assert.equal(r.query.get('fieldSelector'), 'spec.nodeName=n1');
  }
  const watch = api.requests.find((r) => r.query.get('watch') === '1')!;
  assert.equal(watch.query.get('allowWatchBookmarks'), 'true');
  assert.ok(watch.query.get('resourceVersion'));
});

test('endpoints role follows the services and pods it is enriched from', async (t) => {
  const api = await FakeKubeApi.start();
  t.after(() => api.close());
  api.apply('pods', pod('a', '10.0.0.1'));
  api.apply('services', { metadata: { name: 'web', namespace: 'default' }, spec: { ports: [] } });
  api.apply('endpoints', {
    metadata: { name: 'web', namespace: 'default' },
    subsets: [
      {
        addresses: [
          { ip: '10.0.0.1', targetRef: { kind: 'Pod', namespace: 'default', name: 'a' } },
        ],
        ports: [{ port: 80, protocol: 'TCP' }],
      },
    ],
  });
  const d = start(t, { role: 'endpoints', api_server: api.url });
  const g = () => d.groups.get('endpoints/default/web');
  await d.until('first update', () => g() !== undefined);
  assert.equal(g()!.labels.__meta_kubernetes_service_name, 'web');
  assert.equal(g()!.targets[0]!.__meta_kubernetes_pod_name, 'a');
  await d.until(
    'three watches',
    () => api.watching('pods') + api.watching('services') + api.watching('endpoints') === 3,
  );

  api.apply('services', {
    metadata: { name: 'web', namespace: 'default', labels: { tier: 'x' } },
    spec: { ports: [] },
  });
  await d.until('service label', () => g()!.labels.__meta_kubernetes_service_label_tier === 'x');
  api.apply('pods', pod('a', '10.0.0.1', { status: { podIP: '10.0.0.1', phase: 'Failed' } }));
  await d.until('pod phase', () => g()!.targets[0]!.__meta_kubernetes_pod_phase === 'Failed');
  api.remove('services', 'default', 'web');
  await d.until('service gone', () => g()!.labels.__meta_kubernetes_service_name === undefined);
});

test('in-cluster over HTTPS: service account CA, namespace and a token re-read after rotation', async (t) => {
  const sa = tempDir(t, 'vigil-k8s-sa-');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=kubernetes',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      'server.key',
      '-out',
      'ca.crt',
    ],
    { cwd: sa, stdio: 'pipe' },
  );
  writeFileSync(join(sa, 'token'), 'first\n');
  writeFileSync(join(sa, 'namespace'), 'default');
  const api = await FakeKubeApi.start({
    tls: { cert: readFileSync(join(sa, 'ca.crt')), key: readFileSync(join(sa, 'server.key')) },
  });
  t.after(() => api.close());
  api.apply('pods', pod('a', '10.0.0.1'));
  const env = { KUBERNETES_SERVICE_HOST: '127.0.0.1', KUBERNETES_SERVICE_PORT: String(api.port) };
  const d = start(t, { role: 'pod', namespaces: { own_namespace: true } }, sa, env);
  await d.until('a watch', () => api.watching('pods') > 0);
  assert.deepEqual(addrs(d.groups.get('pod/default/a')), ['10.0.0.1:80']);
  assert.ok(api.requests.every((r) => r.authorization === 'Bearer first'));
  assert.ok(api.requests.every((r) => r.path === '/api/v1/namespaces/default/pods'));

  writeFileSync(join(sa, 'token'), 'second\n');
  api.endWatches();
  await d.until('a watch with the new token', () =>
    api.requests.some((r) => r.authorization === 'Bearer second'),
  );
});

test('in-cluster: the service account token and CA, the API server from the environment', () => {
  const config = kubernetesSdConfigSchema.parse({ role: 'node' });
  const api = resolveApiEndpoint(
    config,
    { KUBERNETES_SERVICE_HOST: 'fd00::1', KUBERNETES_SERVICE_PORT: '443' },
    '/sa',
  );
  assert.equal(api.baseUrl, 'https://[fd00::1]:443');
  assert.equal(api.options.bearer_token_file, '/sa/token');
  assert.equal(api.options.tls_config.ca_file, '/sa/ca.crt');
  assert.throws(() => resolveApiEndpoint(config, {}, '/sa'), /not running in a cluster/);
});

test('without a reachable configuration it reports no groups and waits', async (t) => {
  const sa = tempDir(t, 'vigil-k8s-sa-');
  const d = start(t, { role: 'node', namespaces: { own_namespace: true } }, sa, {});
  await d.until('the empty first update', () => d.updates.length === 1);
  assert.deepEqual(d.updates[0], []);
});
