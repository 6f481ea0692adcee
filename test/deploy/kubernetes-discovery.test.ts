// The server as the StatefulSet runs it — the ConfigMap's vigil.yml, auth on, the admin password
// from a file — against a fake Kubernetes API server. Its scrape jobs find the pods annotated
// prometheus.io/scrape (at the annotated port and path, once per pod) and the nodes' kubelets;
// and the ClusterRole grants exactly the resources Vigil's discovery reads: those the shipped
// jobs read, and those a job of every role (with attach_metadata.node) reads. Needs `npm run build`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { FakeKubeApi, type RequestRecord } from '../harness/fake-kube-api.js';
import { selfSignedCert } from '../harness/tls.js';
import { startVigil, tempDir } from '../harness/vigil.js';
import { find, grants, loadManifests } from './manifests.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

const all = loadManifests();
const SA_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';
const ROLES = ['node', 'pod', 'service', 'endpoints', 'endpointslice', 'ingress'];

/** `group/resource` of every list and watch the fake API server was asked for. */
function resourcesRead(requests: readonly RequestRecord[]): Set<string> {
  const out = new Set<string>();
  for (const r of requests) {
    const m = /^\/(?:api\/v1|apis\/([^/]+)\/[^/]+)(?:\/namespaces\/[^/]+)?\/([^/]+)$/.exec(r.path);
    if (m) out.add(`${m[1] ?? ''}/${m[2]!}`);
  }
  return out;
}

test(
  'the shipped configuration scrapes annotated pods and kubelets with the RBAC it is granted',
  { timeout: 120_000 },
  async (t) => {
    const target = createServer((req, res) => {
      res
        .writeHead(req.url === '/custom-metrics' ? 200 : 404, {
          'content-type': 'text/plain; version=0.0.4',
        })
        .end('shop_orders_total 3\n');
    });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    t.after(() => new Promise<void>((resolve) => target.close(() => resolve())));
    const port = (target.address() as AddressInfo).port;

    // A kubelet on HTTPS that wants the service account's token, as a real one asks the API
    // server whether the token may get nodes/metrics.
    const cert = selfSignedCert(t);
    const saDir = tempDir(t);
    writeFileSync(join(saDir, 'token'), 'sa-token-1');
    writeFileSync(join(saDir, 'ca.crt'), cert.cert);
    const kubelet = https.createServer({ cert: cert.cert, key: cert.key }, (req, res) => {
      if (req.headers.authorization !== 'Bearer sa-token-1') return res.writeHead(401).end();
      const body =
        req.url === '/metrics/cadvisor'
          ? 'container_cpu_usage_seconds_total 1\n'
          : 'kubelet_running_pods 2\n';
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(body);
    });
    await new Promise<void>((resolve) => kubelet.listen(0, '127.0.0.1', resolve));
    t.after(() => new Promise<void>((resolve) => kubelet.close(() => resolve())));
    const kubeletPort = (kubelet.address() as AddressInfo).port;

    const shipped = await FakeKubeApi.start();
    const everyRole = await FakeKubeApi.start();
    t.after(() => shipped.close());
    t.after(() => everyRole.close());
    const pod = (name: string, annotations: Record<string, string>) => ({
      metadata: { name, namespace: 'shop', uid: `uid-${name}`, labels: { app: name }, annotations },
      spec: {
        nodeName: 'node-a',
        // Two ports: with a port annotation both name the same target, scraped once.
        containers: [
          {
            name: 'app',
            ports: [
              { name: 'http', containerPort: 8080, protocol: 'TCP' },
              { name: 'admin', containerPort: 8081, protocol: 'TCP' },
            ],
          },
        ],
      },
      status: {
        phase: 'Running',
        podIP: '127.0.0.1',
        hostIP: '127.0.0.1',
        conditions: [{ type: 'Ready', status: 'True' }],
      },
    });
    for (const api of [shipped, everyRole]) {
      api.apply(
        'pods',
        pod('orders', {
          'prometheus.io/scrape': 'true',
          'prometheus.io/port': String(port),
          'prometheus.io/path': '/custom-metrics',
        }),
      );
      api.apply('pods', pod('quiet', {}));
      api.apply('nodes', {
        metadata: { name: 'node-a', labels: { 'kubernetes.io/os': 'linux' } },
        status: {
          addresses: [{ type: 'InternalIP', address: '127.0.0.1' }],
          daemonEndpoints: { kubeletEndpoint: { Port: kubeletPort } },
        },
      });
    }

    // The ConfigMap's vigil.yml, pointed at the fake API server (in a pod it is found
    // in-cluster), with a short interval, plus one job per role against the second fake.
    const cm = find(all, 'ConfigMap', 'vigil-config');
    // The service account's token and CA, which a pod finds at this path, are in saDir here.
    const text = (cm.doc.data['vigil.yml'] as string).replaceAll(SA_DIR, saDir);
    assert.notEqual(text, cm.doc.data['vigil.yml'], `the kubelet jobs use ${SA_DIR}`);
    const config = parse(text) as Any;
    for (const job of config.scrape_configs as Any[]) {
      for (const sd of job.kubernetes_sd_configs as Any[]) sd.api_server = shipped.url;
    }
    config.global.scrape_interval = '1s';
    config.global.scrape_timeout = '1s';
    for (const role of ROLES) {
      config.scrape_configs.push({
        job_name: `every-role-${role}`,
        kubernetes_sd_configs: [
          {
            role,
            api_server: everyRole.url,
            ...(['pod', 'endpoints', 'endpointslice'].includes(role)
              ? { attach_metadata: { node: true } }
              : {}),
          },
        ],
        relabel_configs: [{ action: 'drop', regex: '.*', source_labels: ['__address__'] }],
      });
    }
    const dir = tempDir(t);
    const passwordFile = join(dir, 'password');
    writeFileSync(passwordFile, 'correct horse battery\n');
    const sts = find(all, 'StatefulSet', 'vigil');
    const args = [...(sts.doc.spec.template.spec.containers[0].args as string[])];
    const flag = (name: string, value: string) => (args[args.indexOf(name) + 1] = value);
    flag('--admin-password-file', passwordFile);
    flag('--config', join(dir, 'vigil.yml'));
    writeFileSync(join(dir, 'vigil.yml'), stringify(config));
    // startVigil passes server, --listen 127.0.0.1:0 and its own --data-dir; the manifest's
    // other flags follow, and the later --data-dir wins.
    flag('--data-dir', join(dir, 'data'));
    const vigil = await startVigil(t, { args: args.slice(1), timeoutMs: 30_000 });
    const auth = { authorization: `Basic ${btoa('admin:correct horse battery')}` };

    // Auth is on: nothing but the public routes without credentials.
    assert.equal((await fetch(`${vigil.url}/api/v1/targets`)).status, 401);

    const targets = async (): Promise<Any[]> =>
      ((await (await fetch(`${vigil.url}/api/v1/targets`, { headers: auth })).json()) as Any).data
        .activeTargets as Any[];
    const job = (ts: Any[], name: string) => ts.filter((x) => x.labels.job === name);
    const deadline = Date.now() + 60_000;
    let active: Any[] = [];
    for (;;) {
      active = await targets();
      const up = ['kubernetes-pods', 'kubernetes-nodes', 'kubernetes-cadvisor'].every(
        (name) => job(active, name)[0]?.health === 'up',
      );
      if (up) break;
      assert.ok(Date.now() < deadline, `targets not up: ${JSON.stringify(active, null, 1)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    const pods = job(active, 'kubernetes-pods');
    assert.equal(pods.length, 1, JSON.stringify(pods));
    assert.equal(pods[0].scrapeUrl, `http://127.0.0.1:${port}/custom-metrics`);
    assert.deepEqual(pods[0].labels, {
      app: 'orders',
      instance: `127.0.0.1:${port}`,
      job: 'kubernetes-pods',
      namespace: 'shop',
      node: 'node-a',
      pod: 'orders',
    });
    const nodes = job(active, 'kubernetes-nodes');
    assert.equal(nodes.length, 1);
    assert.equal(nodes[0].scrapeUrl, `https://127.0.0.1:${kubeletPort}/metrics`);
    assert.equal(nodes[0].labels.node, 'node-a');
    assert.equal(
      job(active, 'kubernetes-cadvisor')[0]?.scrapeUrl,
      `https://127.0.0.1:${kubeletPort}/metrics/cadvisor`,
    );

    // What was read, against what is granted.
    const granted = grants(find(all, 'ClusterRole', 'vigil-server'));
    const listWatch = granted
      .filter((g) => g.endsWith(' get,list,watch'))
      .map((g) => g.slice(0, -' get,list,watch'.length));
    const readByShipped = resourcesRead(shipped.requests);
    for (const r of readByShipped) assert.ok(listWatch.includes(r), `${r} is read but not granted`);
    assert.deepEqual([...resourcesRead(everyRole.requests)].sort(), listWatch.sort());
    // Besides: the kubelets authorize the nodes and cadvisor jobs' scrapes as get nodes/metrics.
    assert.deepEqual(
      granted.filter((g) => !g.endsWith(' get,list,watch')),
      ['/nodes/metrics get'],
    );
  },
);
