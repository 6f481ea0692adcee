// The install steps of docs/kubernetes.md, with the manifests' own files and arguments, on this
// machine instead of a cluster: the server starts from the StatefulSet's arguments and the
// ConfigMap's vigil.yml with the admin password from its file; `vigil token create` makes the
// agents' logs:write token while the server runs; an agent started from the DaemonSet's
// arguments and agent.yml ships a pod's log file with that token; the admin finds the line by
// namespace and pod. Needs `npm run build`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { startAgent } from '../harness/agent.js';
import { FakeKubeApi } from '../harness/fake-kube-api.js';
import { selfSignedCert } from '../harness/tls.js';
import { runVigil, startVigil, tempDir } from '../harness/vigil.js';
import { find, loadManifests } from './manifests.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

const all = loadManifests();
const SA_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** `args` with the value after `name` replaced; the flag must be there. */
function withFlag(args: string[], name: string, value: string): string[] {
  const i = args.indexOf(name);
  assert.ok(i > 0, `no ${name} in ${args.join(' ')}`);
  return args.with(i + 1, value);
}

test(
  'installed as documented, an agent ships a pod log to the server with its token',
  { timeout: 120_000 },
  async (t) => {
    const dir = tempDir(t);
    const api = await FakeKubeApi.start();
    t.after(() => api.close());
    const cert = selfSignedCert(t);
    mkdirSync(join(dir, 'sa'));
    writeFileSync(join(dir, 'sa', 'token'), 'sa-token');
    writeFileSync(join(dir, 'sa', 'ca.crt'), cert.cert);

    // 1. The admin password Secret, as a file; 2. the server as the StatefulSet runs it.
    const password = 'install-test-password';
    writeFileSync(join(dir, 'password'), `${password}\n`);
    const cm = find(all, 'ConfigMap', 'vigil-config');
    const config = parse((cm.doc.data['vigil.yml'] as string).replaceAll(SA_DIR, join(dir, 'sa')));
    for (const job of config.scrape_configs as Any[]) {
      for (const sd of job.kubernetes_sd_configs as Any[]) sd.api_server = api.url;
    }
    writeFileSync(join(dir, 'vigil.yml'), stringify(config));
    const sts = find(all, 'StatefulSet', 'vigil');
    let serverArgs = sts.doc.spec.template.spec.containers[0].args as string[];
    serverArgs = withFlag(serverArgs, '--config', join(dir, 'vigil.yml'));
    serverArgs = withFlag(serverArgs, '--admin-password-file', join(dir, 'password'));
    const dataDir = join(dir, 'data');
    serverArgs = withFlag(serverArgs, '--data-dir', dataDir);
    const vigil = await startVigil(t, { args: serverArgs.slice(1), timeoutMs: 30_000 });

    // 3. The agents' token, made in the running server's data directory.
    const created = await runVigil([
      'token',
      'create',
      '--name',
      'agents',
      '--scopes',
      'logs:write',
      '--data-dir',
      dataDir,
    ]);
    assert.equal(created.code, 0, created.stderr);
    const token = created.stdout.trim();
    assert.match(token, /^vgl_\S+$/, 'stdout holds the token alone, for $(…) in the docs');

    // The node: a pod's CRI log under what the DaemonSet mounts as /var/log.
    const node = join(dir, 'node');
    const podDir = join(node, 'var/log/pods/shop_web-0_0c1d/nginx');
    mkdirSync(podDir, { recursive: true });
    writeFileSync(
      join(podDir, '0.log'),
      '2026-11-30T10:00:00.123456789Z stdout F GET /checkout 200 installed-as-documented\n',
    );
    mkdirSync(join(dir, 'token'));
    writeFileSync(join(dir, 'token', 'token'), token);
    const acm = find(all, 'ConfigMap', 'vigil-agent-config');
    const agentYml = (acm.doc.data['agent.yml'] as string)
      .replaceAll("'/var/log/", `'${node}/var/log/`)
      .replace('http://vigil:9700', vigil.url)
      .replace('/etc/vigil-agent-token/token', join(dir, 'token', 'token'));
    writeFileSync(join(dir, 'agent.yml'), agentYml);
    const ds = find(all, 'DaemonSet', 'vigil-agent');
    let agentArgs = ds.doc.spec.template.spec.containers[0].args as string[];
    agentArgs = withFlag(agentArgs, '--config', join(dir, 'agent.yml'));
    agentArgs = withFlag(agentArgs, '--data-dir', join(dir, 'agent-state'));
    agentArgs = withFlag(agentArgs, '--listen', '127.0.0.1:0');
    const agent = startAgent(t, agentArgs.slice(1));
    await agent.url;

    // The admin finds the line by namespace, pod and container.
    const auth = { authorization: `Basic ${btoa(`admin:${password}`)}` };
    const q = encodeURIComponent(
      'kubernetes.namespace:shop and kubernetes.pod.name:web-0 and kubernetes.container.name:nginx',
    );
    const deadline = Date.now() + 60_000;
    for (;;) {
      const res = await fetch(`${vigil.url}/api/v1/logs/search?q=${q}`, { headers: auth });
      assert.equal(res.status, 200, await res.clone().text());
      const hits = ((await res.json()) as Any).data.hits as Any[];
      if (hits.length > 0) {
        assert.equal(hits.length, 1);
        assert.equal(hits[0].source.message, 'GET /checkout 200 installed-as-documented');
        break;
      }
      const refused = agent.logs.find((l) => l.level === 'error' || l.level === 'warn');
      assert.ok(Date.now() < deadline, `no hit; agent: ${JSON.stringify(refused ?? agent.logs)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    // The token writes logs and reads nothing.
    const read = await fetch(`${vigil.url}/api/v1/logs/search?q=${q}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(read.status, 403);
  },
);
