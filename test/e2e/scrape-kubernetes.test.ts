// The server scrapes what kubernetes_sd_configs finds: a pod served by a fake API server is
// scraped at its IP and container port with labels from relabeling its __meta_kubernetes_*
// labels, and when a watch event deletes the pod its target goes and its series turn stale.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeKubeApi } from '../harness/fake-kube-api.js';
import { startVigil } from '../harness/vigil.js';

interface Targets {
  activeTargets: { labels: Record<string, string>; health: string; scrapeUrl: string }[];
}

test(
  'pods found through the Kubernetes API are scraped, and dropped when deleted',
  { timeout: 60_000 },
  async (t) => {
    const target = createServer((_req, res) => {
      res
        .writeHead(200, { 'content-type': 'text/plain; version=0.0.4' })
        .end('app_requests_total 7\n');
    });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    t.after(() => new Promise<void>((resolve) => target.close(() => resolve())));
    const port = (target.address() as AddressInfo).port;

    const api = await FakeKubeApi.start();
    t.after(() => api.close());
    api.apply('pods', {
      metadata: { name: 'web-0', namespace: 'shop', uid: 'u-1', labels: { app: 'web' } },
      spec: {
        nodeName: 'node-a',
        containers: [
          { name: 'app', ports: [{ name: 'metrics', containerPort: port, protocol: 'TCP' }] },
        ],
      },
      status: {
        phase: 'Running',
        podIP: '127.0.0.1',
        hostIP: '127.0.0.1',
        conditions: [{ type: 'Ready', status: 'True' }],
      },
    });

    const vigil = await startVigil(t, {
      config: `
server:
  builtin_scrape_jobs: false
global:
  scrape_interval: 1s
scrape_configs:
  - job_name: pods
    kubernetes_sd_configs:
      - role: pod
        api_server: ${api.url}
    relabel_configs:
      - { source_labels: [__meta_kubernetes_namespace], target_label: namespace }
      - { source_labels: [__meta_kubernetes_pod_name], target_label: pod }
      - { source_labels: [__meta_kubernetes_pod_label_app], target_label: app }
`,
    });
    const targets = async () =>
      ((await (await fetch(`${vigil.url}/api/v1/targets`)).json()) as { data: Targets }).data
        .activeTargets;
    const until = async (what: string, ok: () => Promise<boolean>) => {
      const deadline = Date.now() + 30_000;
      while (!(await ok())) {
        assert.ok(Date.now() < deadline, `timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 250));
      }
    };
    await until('the pod target to be up', async () => (await targets())[0]?.health === 'up');
    const [active] = await targets();
    assert.deepEqual(active!.labels, {
      app: 'web',
      instance: `127.0.0.1:${port}`,
      job: 'pods',
      namespace: 'shop',
      pod: 'web-0',
    });
    assert.equal(active!.scrapeUrl, `http://127.0.0.1:${port}/metrics`);

    api.remove('pods', 'shop', 'web-0');
    await until('the target to go', async () => (await targets()).length === 0);
    // Stale: the instant query right after no longer finds the series.
    await until('the series to turn stale', async () => {
      const res = await fetch(`${vigil.url}/api/v1/query?query=app_requests_total`);
      return ((await res.json()) as { data: { result: unknown[] } }).data.result.length === 0;
    });
  },
);
