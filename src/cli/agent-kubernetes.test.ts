import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeKubeApi } from '../../test/harness/fake-kube-api.js';
import { agentConfigSchema } from '../config/agent.js';
import { parseWithSchema } from '../config/parse.js';
import { Registry } from '../lib/instrument/index.js';
import { Logger } from '../lib/log/logger.js';
import { registerAgentMetrics } from '../logs/agent/metrics.js';
import { SharedKubernetesMetadata } from './agent-kubernetes.js';

const config = (api: string, kubernetesInput: boolean, extra = '') =>
  parseWithSchema(
    `kubernetes: { api_server: "${api}", wait_for_metadata: 1s${extra} }
inputs:
  - { name: pods, include: ["/x/*.log"], kubernetes: ${kubernetesInput} }
outputs:
  - { name: v, type: vigil, url: "http://a:1" }
`,
    'agent.yml',
    agentConfigSchema,
  );

async function until(what: string, ok: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

test('a reload keeps the watch while the section and node stay; a change replaces it, retired after', async (t) => {
  const api = await FakeKubeApi.start();
  t.after(() => api.close());
  const registry = new Registry();
  const shared = new SharedKubernetesMetadata(
    registerAgentMetrics(registry),
    new Logger({ level: 'error' }),
  );
  t.after(() => shared.stop());

  const first = await shared.use(config(api.url, true), 'node-a');
  assert.ok(first.filter !== undefined);
  await until('a watch', () => api.watching('pods') === 1);
  const lists = () => api.lists('pods');
  const listed = lists();

  const same = await shared.use(config(api.url, true), 'node-a');
  await same.retire();
  assert.equal(same.filter, first.filter, 'unchanged settings: the same filter');
  assert.equal(lists(), listed, 'and no new list');
  assert.equal(api.watching('pods'), 1);

  const changed = await shared.use(config(api.url, true, ', dedot: true'), 'node-a');
  assert.notEqual(changed.filter, first.filter, 'a changed section: a new filter');
  await until('both watch until the old one is retired', () => api.watching('pods') === 2);
  await changed.retire();
  await until('the old watch closed', () => api.watching('pods') === 1);

  const renamed = await shared.use(config(api.url, true, ', dedot: true'), 'node-b');
  assert.notEqual(renamed.filter, changed.filter, 'a new node name: a new filter');
  await renamed.retire();

  const none = await shared.use(config(api.url, false), 'node-b');
  assert.equal(none.filter, undefined, 'no input with kubernetes: true');
  await none.retire();
  await until('no watch left', () => api.watching('pods') === 0);
  assert.match(registry.expose('text'), /^vigil_agent_kubernetes_pods 0$/m);
});
