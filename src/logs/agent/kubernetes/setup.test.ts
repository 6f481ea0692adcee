import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { tempDir } from '../../../../test/harness/temp.js';
import { agentConfigSchema } from '../../../config/agent.js';
import { parseWithSchema } from '../../../config/parse.js';
import { Registry } from '../../../lib/instrument/index.js';
import { Logger } from '../../../lib/log/logger.js';
import { KubernetesApiFilter } from '../filters/kubernetes-api.js';
import { KubernetesPathFilter } from '../filters/kubernetes-path.js';
import { registerAgentMetrics } from '../metrics.js';
import { kubernetesMetadata } from './setup.js';

const config = (k: string) =>
  parseWithSchema(
    `${k}outputs:\n  - { name: v, type: vigil, url: "http://a:1" }\n`,
    'agent.yml',
    agentConfigSchema,
  ).kubernetes;

function logger(): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  return { log: new Logger({ level: 'info', write: (l) => void lines.push(l) }), lines };
}

test('without a cluster or api_server: path metadata only, said once', () => {
  const { log, lines } = logger();
  const metrics = registerAgentMetrics(new Registry());
  const k = kubernetesMetadata(config(''), 'node-a', metrics, log, {}, '/nonexistent');
  assert.ok(k.filter instanceof KubernetesPathFilter);
  assert.equal(k.cache, undefined);
  assert.equal(lines.length, 1);
  assert.match(lines[0]!, /no Kubernetes API: not in a cluster/);
  const off = kubernetesMetadata(config('kubernetes: { api: false }\n'), 'n', metrics, log, {
    KUBERNETES_SERVICE_HOST: '10.96.0.1',
    KUBERNETES_SERVICE_PORT: '443',
  });
  assert.ok(off.filter instanceof KubernetesPathFilter);
});

test('in a cluster: the service account; with api_server: its own settings', (t) => {
  const sa = tempDir(t);
  writeFileSync(join(sa, 'token'), 'tok');
  writeFileSync(join(sa, 'ca.crt'), 'not parsed until a connection');
  const { log } = logger();
  const metrics = registerAgentMetrics(new Registry());
  const env = { KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443' };
  const k = kubernetesMetadata(config(''), 'node-a', metrics, log, env, sa);
  assert.ok(k.filter instanceof KubernetesApiFilter);
  assert.ok(k.cache !== undefined);
  k.client?.close();
  const missingCa = kubernetesMetadata(
    config('kubernetes: { api_server: "https://k:6443", tls_config: { ca_file: /no/ca } }\n'),
    'node-a',
    metrics,
    log,
  );
  assert.ok(missingCa.filter instanceof KubernetesPathFilter, 'an unreadable CA: path only');
});
