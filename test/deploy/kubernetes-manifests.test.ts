// The manifests under deploy/kubernetes, checked without a cluster: each object against the
// Kubernetes OpenAPI schema of its kind, the kustomizations against the files, the references
// between objects, least-privilege RBAC, the agent's mounts and every container's security
// context, and the Dockerfile the image comes from.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import {
  DEPLOY_DIR,
  find,
  loadKustomizations,
  flagValue,
  grants,
  loadManifests,
  validateManifest,
  type Manifest,
} from './manifests.js';

const all = loadManifests();
const ROOT = join(DEPLOY_DIR, '..', '..');
const VERSION = (
  JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }
).version;
const NAMESPACE = 'vigil';
const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding']);
const WORKLOADS = new Set(['DaemonSet', 'StatefulSet', 'Deployment']);

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;
const workloads = () => all.filter((m) => WORKLOADS.has(m.kind));
const podSpec = (m: Manifest): Any => m.doc.spec.template.spec;
const containers = (m: Manifest): Any[] => [
  ...((podSpec(m).initContainers as Any[] | undefined) ?? []),
  ...(podSpec(m).containers as Any[]),
];

test('every object is valid against the Kubernetes schema of its kind', () => {
  assert.ok(all.length >= 10, `only ${all.length} objects found under ${DEPLOY_DIR}`);
  for (const m of all) validateManifest(m);
});

test('an unknown kind or a schema violation is reported with its file', () => {
  const typo = { ...all[0]!, kind: 'Namespce' };
  assert.throws(() => validateManifest(typo), /unknown kind v1\/Namespce/);
  const sts = find(all, 'StatefulSet', 'vigil');
  const broken = structuredClone(sts);
  broken.doc.spec.replicas = 'one';
  assert.throws(() => validateManifest(broken), /server-statefulset\.yaml.*replicas/);
});

test('each kustomization lists exactly the manifest files beside it', () => {
  const ks = loadKustomizations();
  assert.ok(
    ks.some((k) => k.dir === ''),
    'deploy/kubernetes/kustomization.yaml is missing',
  );
  for (const k of ks) {
    const dir = join(DEPLOY_DIR, k.dir);
    const beside = readdirSync(dir)
      .filter((f) => /\.ya?ml$/.test(f) && f !== 'kustomization.yaml')
      .sort();
    const files = k.resources.filter((r) => /\.ya?ml$/.test(r)).sort();
    assert.deepEqual(files, beside, `${k.dir || '.'}/kustomization.yaml resources`);
    for (const r of k.resources.filter((r) => !/\.ya?ml$/.test(r))) {
      assert.ok(
        existsSync(join(dir, r, 'kustomization.yaml')),
        `${k.dir || '.'}/kustomization.yaml: resource ${r} is no kustomization`,
      );
    }
  }
  // Every manifest is reached by some kustomization.
  const dirs = new Set(ks.map((k) => k.dir));
  for (const m of all) {
    const d = posix.dirname(m.file);
    assert.ok(dirs.has(d === '.' ? '' : d), `${m.file} is in no kustomization's directory`);
  }
});

test('objects live in the vigil namespace and refer to objects that exist', () => {
  for (const m of all) {
    if (CLUSTER_SCOPED.has(m.kind)) {
      assert.equal(m.doc.metadata.namespace, undefined, `${m.file}: ${m.kind} ${m.name}`);
    } else {
      assert.equal(m.doc.metadata.namespace, NAMESPACE, `${m.file}: ${m.kind} ${m.name}`);
    }
  }
  find(all, 'Namespace', NAMESPACE);
  const docs = readFileSync(join(ROOT, 'docs', 'kubernetes.md'), 'utf8');
  for (const w of workloads()) {
    const spec = podSpec(w);
    find(all, 'ServiceAccount', spec.serviceAccountName as string);
    for (const v of spec.volumes as Any[]) {
      if (v.configMap) find(all, 'ConfigMap', v.configMap.name as string);
      // Secrets hold credentials, so they are not in the repository: the docs say how to
      // create each one.
      if (v.secret) {
        assert.ok(
          docs.includes(`create secret generic ${v.secret.secretName as string}`),
          `docs/kubernetes.md does not say how to create Secret ${v.secret.secretName as string}`,
        );
      }
    }
  }
  for (const b of all.filter((m) => m.kind === 'ClusterRoleBinding')) {
    find(all, b.doc.roleRef.kind as string, b.doc.roleRef.name as string);
    for (const s of b.doc.subjects as Any[]) {
      assert.equal(s.namespace, NAMESPACE);
      find(all, s.kind as string, s.name as string);
    }
  }
  for (const svc of all.filter((m) => m.kind === 'Service')) {
    const selector = svc.doc.spec.selector as Record<string, string>;
    const targets = workloads().filter((w) =>
      Object.entries(selector).every(([k, v]) => w.doc.spec.template.metadata.labels[k] === v),
    );
    assert.equal(targets.length, 1, `Service ${svc.name} selects ${targets.length} workloads`);
    const ports = containers(targets[0]!).flatMap((c: Any) => (c.ports as Any[]) ?? []);
    for (const p of svc.doc.spec.ports as Any[]) {
      assert.ok(
        ports.some((cp: Any) => cp.name === p.targetPort || cp.containerPort === p.targetPort),
        `Service ${svc.name}: no container port ${String(p.targetPort)}`,
      );
    }
  }
  const sts = find(all, 'StatefulSet', 'vigil');
  find(all, 'Service', sts.doc.spec.serviceName as string);
  for (const ing of all.filter((m) => m.kind === 'Ingress')) {
    for (const rule of ing.doc.spec.rules as Any[]) {
      for (const p of rule.http.paths as Any[]) {
        const svc = find(all, 'Service', p.backend.service.name as string);
        assert.ok(
          (svc.doc.spec.ports as Any[]).some((sp) => sp.name === p.backend.service.port.name),
        );
      }
    }
    assert.ok((ing.doc.spec.tls as Any[]).length > 0, 'the Ingress serves TLS');
  }
});

test('RBAC only reads: get, list and watch, no wildcards, no Secrets', () => {
  const roles = all.filter((m) => m.kind === 'ClusterRole' || m.kind === 'Role');
  assert.ok(roles.length >= 2);
  for (const r of roles) {
    for (const rule of r.doc.rules as Any[]) {
      for (const verb of rule.verbs as string[]) {
        assert.ok(['get', 'list', 'watch'].includes(verb), `${r.name}: verb ${verb}`);
      }
      for (const res of rule.resources as string[]) {
        assert.notEqual(res, '*', `${r.name}: every resource`);
        assert.notEqual(res, 'secrets', `${r.name}: secrets`);
        // nodes/proxy would let the holder run commands in any pod through the kubelet.
        assert.notEqual(res, 'nodes/proxy', `${r.name}: nodes/proxy`);
      }
      for (const g of rule.apiGroups as string[]) assert.notEqual(g, '*', `${r.name}: all groups`);
    }
  }
  // The agent reads pods and namespaces, for their labels and annotations, and nothing else.
  assert.deepEqual(grants(find(all, 'ClusterRole', 'vigil-agent')), [
    '/namespaces get,list,watch',
    '/pods get,list,watch',
  ]);
});

test('the agent runs on every node, mounts the logs read-only and only its state writable', () => {
  const ds = find(all, 'DaemonSet', 'vigil-agent');
  const spec = podSpec(ds);
  assert.ok(
    (spec.tolerations as Any[]).some((t) => t.operator === 'Exists' && t.key === undefined),
    'a toleration without key and operator Exists tolerates every taint',
  );
  const volumes = new Map((spec.volumes as Any[]).map((v) => [v.name as string, v]));
  const [agent] = spec.containers as Any[];
  const mounts = agent.volumeMounts as Any[];
  const byPath = new Map(mounts.map((m) => [m.mountPath as string, m]));
  for (const path of [
    '/var/log',
    '/var/log/pods',
    '/var/lib/docker/containers',
    '/run/log/journal',
  ]) {
    const m = byPath.get(path);
    assert.ok(m, `${path} is not mounted`);
    assert.equal(volumes.get(m.name)?.hostPath?.path, path, `${path} is not the node's ${path}`);
  }
  const dataDir = flagValue(agent.args as string[], '--data-dir');
  const writable = mounts.filter((m) => m.readOnly !== true).map((m) => m.mountPath as string);
  assert.deepEqual(writable.sort(), [dataDir, '/tmp'].sort(), 'writable mounts');
  assert.ok(volumes.get(byPath.get(dataDir).name).hostPath, 'the state survives the pod');
  assert.ok(volumes.get(byPath.get('/tmp').name).emptyDir, '/tmp is an emptyDir');
  for (const m of mounts) {
    const v = volumes.get(m.name);
    if (v.hostPath && m.mountPath !== dataDir) assert.equal(m.readOnly, true, m.mountPath);
  }
  const env = new Map((agent.env as Any[]).map((e) => [e.name as string, e]));
  assert.equal(env.get('NODE_NAME')?.valueFrom?.fieldRef?.fieldPath, 'spec.nodeName');
  assert.ok(
    mounts.some((m) => volumes.get(m.name).secret?.secretName === 'vigil-agent-token'),
    'the server token comes from a Secret',
  );
});

test('containers run without privileges, capabilities or a writable root filesystem', () => {
  for (const w of workloads()) {
    const spec = podSpec(w);
    for (const key of ['hostNetwork', 'hostPID', 'hostIPC']) {
      assert.notEqual(spec[key], true, `${w.name}: ${key}`);
    }
    for (const c of containers(w)) {
      const where = `${w.kind} ${w.name} container ${c.name as string}`;
      const sc = c.securityContext as Any;
      assert.ok(sc, `${where}: no securityContext`);
      assert.equal(sc.allowPrivilegeEscalation, false, `${where}: allowPrivilegeEscalation`);
      assert.equal(sc.readOnlyRootFilesystem, true, `${where}: readOnlyRootFilesystem`);
      assert.notEqual(sc.privileged, true, `${where}: privileged`);
      assert.deepEqual(sc.capabilities, { drop: ['ALL'] }, `${where}: capabilities`);
      const seccomp = sc.seccompProfile?.type ?? spec.securityContext?.seccompProfile?.type;
      assert.equal(seccomp, 'RuntimeDefault', `${where}: seccomp`);
      // A read-only root: what the program writes must be on a mounted volume.
      const tmp = (c.volumeMounts as Any[]).find((m) => m.mountPath === '/tmp');
      assert.ok(tmp && tmp.readOnly !== true, `${where}: /tmp is not a writable volume`);
      const dataDir = flagValue(c.args as string[], '--data-dir');
      assert.ok(
        (c.volumeMounts as Any[]).some((m) => m.mountPath === dataDir && m.readOnly !== true),
        `${where}: --data-dir ${dataDir} is not a writable volume`,
      );
      assert.equal(c.image, `vigil:${VERSION}`, `${where}: image`);
    }
  }
  // The server, which everyone's browser talks to, is not root either. (The agent is root so
  // that it can read the root-owned 0640 log files, as their owner, with no capability.)
  const server = podSpec(find(all, 'StatefulSet', 'vigil'));
  const user = server.containers[0].securityContext.runAsUser ?? server.securityContext.runAsUser;
  assert.ok(Number.isInteger(user) && user > 0, `server runs as uid ${String(user)}`);
  assert.equal(server.containers[0].securityContext.runAsNonRoot, true);
  const k = loadKustomizations().find((x) => x.dir === 'base')!;
  assert.deepEqual(k.doc.images, [{ name: 'vigil', newTag: VERSION }]);
});

test('the server keeps its data on a claim and is probed on /-/healthy and /-/ready', () => {
  const sts = find(all, 'StatefulSet', 'vigil');
  const [c] = podSpec(sts).containers as Any[];
  const dataDir = flagValue(c.args as string[], '--data-dir');
  const mount = (c.volumeMounts as Any[]).find((m) => m.mountPath === dataDir);
  const claims = (sts.doc.spec.volumeClaimTemplates as Any[]).map((t) => t.metadata.name);
  assert.ok(claims.includes(mount.name), `--data-dir ${dataDir} is not on a volume claim`);
  assert.equal(c.livenessProbe.httpGet.path, '/-/healthy');
  assert.equal(c.readinessProbe.httpGet.path, '/-/ready');
  const port = (c.ports as Any[]).find((p) => p.name === c.livenessProbe.httpGet.port);
  assert.equal(port.containerPort, 9700);
  const svc = find(all, 'Service', 'vigil');
  assert.equal(svc.doc.spec.ports[0].port, 9700);
});

test('the Dockerfile builds in node:20 and runs dist/ as a numeric non-root user', () => {
  const text = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
  const stages = text.split(/^FROM /m).slice(1);
  assert.ok(stages.length >= 2, 'multi-stage');
  assert.match(stages[0]!, /^node:20[-\w.]*/);
  assert.match(stages[0]!, /npm ci/);
  assert.match(stages[0]!, /npm run build/);
  const runtime = stages.at(-1)!;
  assert.match(runtime, /^node:20[-\w.]*-slim/);
  assert.match(runtime, /npm ci --omit=dev/);
  assert.match(runtime, /COPY --from=\w+ \S*dist \S*dist/);
  const user = /^USER (\S+)/m.exec(runtime)?.[1];
  assert.match(
    user ?? '',
    /^[1-9]\d*(:\d+)?$/,
    `USER ${String(user)} is not a numeric non-root user`,
  );
  assert.match(runtime, /ENTRYPOINT \["node", "\/app\/dist\/cli\/vigil\.js"\]/);
  // The paths the build needs are in the build context.
  const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  for (const copied of text.matchAll(/^COPY (?!--from)(.+) \S+$/gm)) {
    for (const src of copied[1]!.split(/\s+/)) {
      assert.ok(!ignored.includes(src), `${src} is copied but .dockerignore leaves it out`);
      assert.ok(existsSync(join(ROOT, src)), `${src} is copied but does not exist`);
    }
  }
  assert.equal(dirname('/var/lib/vigil/x'), '/var/lib/vigil');
});
