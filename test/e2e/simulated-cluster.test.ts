/**
 * @module
 * The simulated cluster of issue 11: a fake Kubernetes API server (pods, nodes, namespaces,
 * services, endpoints), a fake kubelet on each of two nodes that starts and deletes pods and
 * writes their CRI logs with kubelet-style rotation, one `vigil agent` per node, and one
 * `vigil server` that discovers targets with `kubernetes_sd_configs` and alerts through its
 * built-in Alertmanager. Shown:
 *
 * - a deleted pod's logs are searchable by namespace, pod name and pod label, with its owner
 *   and its node's labels — the agents enriched them from the API, with a handful of API
 *   requests for hundreds of lines (none per line);
 * - a pod that opted out (`vigil.io/exclude`) ships nothing, and the agent counts it;
 * - a pod annotated `prometheus.io/scrape` is discovered and scraped, and so is the service
 *   annotated for it through its endpoints (its exporter runs in the
 *   test on 127.0.0.1, the pod's IP in the API), pods without the annotation are not;
 * - an alert on that pod's metric fires and reaches a webhook.
 */

import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startAgent, type AgentProcess } from '../harness/agent.js';
import { FakeKubeApi } from '../harness/fake-kube-api.js';
import { FakeKubelet } from '../harness/fake-kubelet.js';
import { startVigil, tempDir, type VigilServer } from '../harness/vigil.js';
import { startWebhook, webhookAlertmanagerConfig } from '../harness/webhook.js';

const INDEX = 'logs-k8s';

async function until<T>(
  what: string,
  fn: () => Promise<T | undefined>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    assert.ok(Date.now() < deadline, `timed out waiting for ${what}`);
    await sleep(200);
  }
}

interface Hit {
  source: {
    message: string;
    host: { name: string };
    kubernetes: {
      namespace: string;
      pod: { name: string; uid: string; owner?: { kind: string; name: string } };
      container: { name: string; image?: string };
      node: { name: string; labels?: Record<string, string> };
      labels?: Record<string, string>;
    };
  };
}

async function search(v: VigilServer, q: string): Promise<{ hits: Hit[]; total: number }> {
  const params = new URLSearchParams({ index: INDEX, q, limit: '10000', order: 'asc' });
  const res = await fetch(`${v.url}/api/v1/logs/search?${params}`);
  assert.equal(res.status, 200, await res.clone().text());
  const body = (await res.json()) as { data: { hits: Hit[]; total: { value: number } } };
  return { hits: body.data.hits, total: body.data.total.value };
}

/** An exporter for the pod that is scraped: its queue is too deep. */
async function startExporter(t: TestContext): Promise<number> {
  const server = createServer((req, res) => {
    if (req.url !== '/metrics') return void res.writeHead(404).end();
    res
      .writeHead(200, { 'content-type': 'text/plain; version=0.0.4' })
      .end('# TYPE app_queue_depth gauge\napp_queue_depth 42\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return (server.address() as AddressInfo).port;
}

function agentConfig(dir: string, node: string, root: string, api: string, server: string) {
  const file = join(dir, `${node}.yml`);
  writeFileSync(
    file,
    `node_name: ${node}
kubernetes:
  api_server: ${api}
  node_labels: true
  namespace_labels: true
  annotations: ['team/*']
inputs:
  - name: pods
    include: ['${root}/*/*/*.log']
    scan_interval: 500ms
    poll_interval: 100ms
    rotate_wait: 1s
outputs:
  - name: vigil
    type: vigil
    url: ${server}
    index: ${INDEX}
    batch: { wait: 200ms }
    retry: { min_backoff: 100ms, max_backoff: 1s }
`,
  );
  return file;
}

test(
  'simulated cluster: logs of deleted pods searchable by Kubernetes metadata, annotated pods scraped, an alert reaches a webhook',
  { timeout: 90_000 },
  async (t) => {
    const dir = tempDir(t, 'vigil-cluster-');
    const api = await FakeKubeApi.start();
    t.after(() => api.close());
    for (const ns of ['shop', 'billing', 'batch']) {
      api.apply('namespaces', {
        metadata: {
          name: ns,
          uid: `ns-${ns}`,
          labels: { 'kubernetes.io/metadata.name': ns, team: `${ns}-team` },
        },
        status: { phase: 'Active' },
      });
    }
    const kubelets = ['node-a', 'node-b'].map(
      (node, i) =>
        new FakeKubelet({
          api,
          node,
          root: join(dir, node, 'var/log/pods'),
          podCidrIndex: i + 1,
          labels: { 'kubernetes.io/hostname': node, zone: `z${i + 1}` },
          // Small, so the test sees several rotations; the pods write slowly enough that,
          // as with the kubelet's 10 MiB, the agent has each file open before it is rotated.
          rotateBytes: 12 * 1024,
          removeLogsAfterMs: 2_000,
        }),
    );
    t.after(() => kubelets.forEach((k) => k.stop()));
    const [nodeA, nodeB] = kubelets as [FakeKubelet, FakeKubelet];

    const exporterPort = await startExporter(t);
    const hook = await startWebhook(t);
    writeFileSync(
      join(dir, 'rules.yml'),
      `groups:
  - name: queues
    interval: 1s
    rules:
      - alert: QueueTooDeep
        expr: app_queue_depth > 10
        labels: { severity: page }
        annotations: { summary: 'queue of {{ $labels.namespace }}/{{ $labels.pod }} is {{ $value }} deep' }
`,
    );
    writeFileSync(join(dir, 'alertmanager.yml'), webhookAlertmanagerConfig(hook.url));
    const server = await startVigil(t, {
      config: `server:
  builtin_scrape_jobs: false
global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files: ['${join(dir, 'rules.yml')}']
alertmanager:
  config_file: ${join(dir, 'alertmanager.yml')}
scrape_configs:
  - job_name: kubernetes-pods
    kubernetes_sd_configs:
      - role: pod
        api_server: ${api.url}
    relabel_configs:
      - source_labels: [__meta_kubernetes_pod_annotation_prometheus_io_scrape]
        action: keep
        regex: 'true'
      - source_labels: [__address__, __meta_kubernetes_pod_annotation_prometheus_io_port]
        regex: '([^:]+)(?::\\d+)?;(\\d+)'
        replacement: '$1:$2'
        target_label: __address__
      - { source_labels: [__meta_kubernetes_namespace], target_label: namespace }
      - { source_labels: [__meta_kubernetes_pod_name], target_label: pod }
      - { source_labels: [__meta_kubernetes_pod_node_name], target_label: node }
      - { source_labels: [__meta_kubernetes_pod_label_app], target_label: app }
  - job_name: kubernetes-service-endpoints
    kubernetes_sd_configs:
      - role: endpoints
        api_server: ${api.url}
    relabel_configs:
      - source_labels: [__meta_kubernetes_service_annotation_prometheus_io_scrape]
        action: keep
        regex: 'true'
      - { source_labels: [__meta_kubernetes_namespace], target_label: namespace }
      - { source_labels: [__meta_kubernetes_service_name], target_label: service }
      - { source_labels: [__meta_kubernetes_pod_name], target_label: pod }
`,
    });

    const agents: AgentProcess[] = kubelets.map((k) =>
      startAgent(t, [
        '--config',
        agentConfig(dir, k.node, k.root, api.url, server.url),
        '--data-dir',
        join(dir, k.node, 'agent'),
      ]),
    );
    const agentUrls = await Promise.all(agents.map((a) => a.url));

    // node-a: a Deployment's pod that logs, rotates, and is deleted.
    const web = nodeA.startPod({
      namespace: 'shop',
      name: 'web-7d9f8-x2x4q',
      labels: { app: 'web', 'pod-template-hash': '7d9f8' },
      annotations: { 'team/owner': 'storefront' },
      owner: { kind: 'ReplicaSet', name: 'web-7d9f8' },
      containers: [{ name: 'app', image: 'shop/web:2.1' }],
    });
    // node-b: the worker with an exporter, annotated for scraping; a pod that opted out of
    // logging; and a pod with a metrics port but no scrape annotation.
    const worker = nodeB.startPod({
      namespace: 'billing',
      name: 'worker-0',
      labels: { app: 'worker' },
      annotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': String(exporterPort) },
      owner: { kind: 'StatefulSet', name: 'worker' },
      containers: [{ name: 'worker', ports: [{ name: 'metrics', containerPort: exporterPort }] }],
      ip: '127.0.0.1',
    });
    const noisy = nodeB.startPod({
      namespace: 'batch',
      name: 'noisy-28512345-abcde',
      labels: { app: 'noisy' },
      annotations: { 'vigil.io/exclude': 'true' },
      owner: { kind: 'Job', name: 'noisy-28512345' },
      containers: [{ name: 'job' }],
    });
    nodeB.startPod({
      namespace: 'billing',
      name: 'unscraped-0',
      labels: { app: 'unscraped' },
      containers: [{ name: 'main', ports: [{ name: 'metrics', containerPort: 9100 }] }],
    });
    api.apply('services', {
      metadata: {
        name: 'worker',
        namespace: 'billing',
        labels: { app: 'worker' },
        annotations: { 'prometheus.io/scrape': 'true' },
      },
      spec: {
        type: 'ClusterIP',
        clusterIP: '10.96.0.20',
        ports: [{ name: 'metrics', port: exporterPort }],
      },
    });
    api.apply('endpoints', {
      metadata: { name: 'worker', namespace: 'billing' },
      subsets: [
        {
          addresses: [
            {
              ip: '127.0.0.1',
              nodeName: 'node-b',
              targetRef: { kind: 'Pod', name: 'worker-0', namespace: 'billing' },
            },
          ],
          ports: [{ name: 'metrics', port: exporterPort, protocol: 'TCP' }],
        },
      ],
    });

    const WEB_LINES = 600;
    for (let i = 0; i < WEB_LINES; i += 50) {
      nodeA.write(
        web,
        'app',
        Array.from({ length: 50 }, (_, j) => `GET /cart/${i + j} 200 ${'x'.repeat(40)}`),
      );
      await sleep(100);
    }
    nodeA.write(web, 'app', ['shutting down on SIGTERM']);
    nodeB.write(worker, 'worker', ['{"level":"info","message":"worker ready","queue":"billing"}']);
    nodeB.write(
      noisy,
      'job',
      Array.from({ length: 20 }, (_, i) => `noise ${i}`),
    );
    nodeA.deletePod(web);
    // A line the agent reads only after the deletion reached it, as when it runs behind: the
    // deleted pod's metadata is kept for a grace period, so this line is enriched too.
    await sleep(300);
    nodeA.write(web, 'app', ['read after the pod was deleted']);
    assert.ok(nodeA.rotations >= 3, `web's log rotated ${nodeA.rotations} times`);

    // --- Logs: the deleted pod's lines, found by namespace, pod name and pod label.
    const webQuery =
      'kubernetes.namespace: shop and kubernetes.pod.name: "web-7d9f8-x2x4q" and kubernetes.labels.app: web';
    await until('all of web-7d9f8-x2x4q’s lines', async () =>
      (await search(server, webQuery)).total === WEB_LINES + 2 ? true : undefined,
    );
    await sleep(2_500); // the kubelet has removed the pod's logs by now
    const { hits } = await search(server, webQuery);
    assert.equal(hits.length, WEB_LINES + 2);
    assert.deepEqual(
      hits.slice(-2).map((h) => h.source.message),
      ['shutting down on SIGTERM', 'read after the pod was deleted'],
    );
    const k = hits.at(-1)!.source.kubernetes;
    assert.deepEqual(k.pod, {
      name: 'web-7d9f8-x2x4q',
      uid: web.uid,
      ip: web.ip,
      owner: { kind: 'Deployment', name: 'web' },
    });
    assert.deepEqual(k.labels, { app: 'web', 'pod-template-hash': '7d9f8' });
    assert.deepEqual((k as Record<string, unknown>).annotations, { 'team/owner': 'storefront' });
    assert.deepEqual(k.node, {
      name: 'node-a',
      labels: { 'kubernetes.io/hostname': 'node-a', zone: 'z1' },
    });
    assert.equal(k.container.image, 'shop/web:2.1');
    const messages = new Set(hits.map((h) => h.source.message));
    assert.equal(messages.size, WEB_LINES + 2, 'each line stored once');
    assert.equal((await search(server, 'kubernetes.labels.app: web')).total, WEB_LINES + 2);
    assert.equal((await search(server, 'kubernetes.node.labels.zone: z1')).total, WEB_LINES + 2);
    assert.equal(
      (await search(server, 'kubernetes.namespace_labels.team: shop-team')).total,
      WEB_LINES + 2,
    );

    const workerLog = await until('the worker line', async () => {
      const r = await search(server, 'kubernetes.pod.name: "worker-0" and queue: billing');
      return r.hits[0];
    });
    assert.equal(workerLog.source.host.name, 'node-b');
    assert.deepEqual(workerLog.source.kubernetes.pod.owner, {
      kind: 'StatefulSet',
      name: 'worker',
    });

    // The opted-out pod: read, counted, not shipped.
    await until('the excluded lines counted', async () => {
      const m = await (await fetch(`${agentUrls[1]}/metrics`)).text();
      return /^vigil_agent_records_excluded_total\{input="pods"\} 20$/m.test(m) ? true : undefined;
    });
    assert.equal((await search(server, 'kubernetes.namespace: batch')).total, 0);

    // No API call per line: each agent listed and watched pods and its node a few times.
    for (const node of ['node-a', 'node-b']) {
      const calls = api.requests.filter(
        (r) =>
          r.query.get('fieldSelector') === `spec.nodeName=${node}` ||
          r.query.get('fieldSelector') === `metadata.name=${node}`,
      ).length;
      assert.ok(calls >= 2 && calls <= 8, `${node}'s agent made ${calls} API requests`);
    }

    // --- Metrics: the annotated pod is discovered and scraped, the others are not; the
    // annotated service's endpoints lead to the same pod.
    interface Target {
      labels: Record<string, string>;
      health: string;
      scrapeUrl: string;
    }
    const targets = await until('the worker target up', async () => {
      const res = await fetch(`${server.url}/api/v1/targets`);
      const body = (await res.json()) as { data: { activeTargets: Target[] } };
      const list = body.data.activeTargets;
      return list.length === 2 && list.every((x) => x.health === 'up') ? list : undefined;
    });
    const byJob = new Map(targets.map((x) => [x.labels.job, x.labels]));
    assert.deepEqual(byJob.get('kubernetes-service-endpoints'), {
      instance: `127.0.0.1:${exporterPort}`,
      job: 'kubernetes-service-endpoints',
      namespace: 'billing',
      pod: 'worker-0',
      service: 'worker',
    });
    assert.deepEqual(byJob.get('kubernetes-pods'), {
      app: 'worker',
      instance: `127.0.0.1:${exporterPort}`,
      job: 'kubernetes-pods',
      namespace: 'billing',
      node: 'node-b',
      pod: 'worker-0',
    });

    // --- Alerting: the rule on the pod's metric fires and reaches the webhook.
    const [body] = await hook.waitFor(1, 30_000);
    assert.equal(body!.status, 'firing');
    const [alert] = body!.alerts as {
      labels: Record<string, string>;
      annotations: Record<string, string>;
    }[];
    assert.equal(alert!.labels.alertname, 'QueueTooDeep');
    assert.equal(alert!.labels.pod, 'worker-0');
    assert.equal(alert!.labels.namespace, 'billing');
    assert.equal(alert!.annotations.summary, 'queue of billing/worker-0 is 42 deep');

    for (const a of agents) {
      await a.kill('SIGTERM');
      assert.deepEqual(await a.exited, { code: 0, signal: null });
    }
    assert.equal((await server.stop()).code, 0);
  },
);
