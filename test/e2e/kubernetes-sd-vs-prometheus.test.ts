/**
 * @module
 * Runs Debian's Prometheus 2.42 with a `kubernetes_sd_configs` job per role (plus node
 * metadata, a namespace list and selectors) against a fake Kubernetes API server, and requires
 * our discoverer, given the same entries and the same fake cluster, to produce exactly the
 * label sets Prometheus discovered for every target: at start, after the server breaks every
 * watch with 410 (both sides relist), after a pod is added and after it is removed.
 *
 * Prometheus gets every target dropped by relabeling, so that it lists each one under
 * `droppedTargets` with its discovered labels (active targets with equal addresses would be
 * merged, and nothing needs to be scraped). vmagent keeps dropped targets listed for minutes
 * after they are gone, so it keeps its targets active instead, made distinct by path.
 *
 * Debian's Prometheus is built without Kubernetes discovery, so that comparison skips there
 * (set VIGIL_PROMETHEUS to an upstream build to run it). VictoriaMetrics' vmagent, which
 * implements the same documented behaviour independently, is the second peer; where the two
 * peers are known to differ, each peer's `comparable` removes from both sides what that peer
 * does not do as Prometheus does, and says why.
 */

import { test } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';
import { Logger } from '../../src/lib/log/logger.js';
import type { TargetGroup } from '../../src/metrics/discovery/interface.js';
import {
  kubernetesDiscoverer,
  kubernetesSdConfigSchema,
} from '../../src/metrics/discovery/kubernetes/index.js';
import { FakeKubeApi } from '../harness/fake-kube-api.js';
import type { FakeObject } from '../harness/fake-kube-api.js';
import { freePort } from '../harness/ports.js';
import { tempDir } from '../harness/temp.js';

const PROMETHEUS = process.env.VIGIL_PROMETHEUS ?? '/usr/bin/prometheus';
const PROMTOOL = join(dirname(PROMETHEUS), 'promtool');
const VMAGENT = '/usr/bin/vmagent';

const CLUSTER = JSON.parse(
  readFileSync(
    new URL('../../src/metrics/discovery/kubernetes/testdata/cluster.json', import.meta.url),
    'utf8',
  ),
) as Record<string, FakeObject[]>;

/**
 * Labels Vigil sets as Prometheus 3.x documents them that Prometheus 2.42 does not set yet
 * (added to Prometheus' Kubernetes discovery after 2.42).
 */
const NEWER_THAN_2_42 =
  /^__meta_kubernetes_(endpointslice_endpoint_(node_name|zone)|(endpoints|endpointslice)_(annotation|annotationpresent)_.*|endpointslice_(label|labelpresent)_.*|node_provider_id|service_port_number|service_loadbalancer_ip)$/;

/**
 * Where vmagent labels differently from Prometheus, so neither side's value is compared:
 * it lacks the container ID and image, the service port number and the endpoint slice's own
 * metadata and newer endpoint fields; it adds the service type and cluster IP to endpoints
 * targets and node annotations with `attach_metadata`; it does not mark init containers in the
 * endpoints roles; it leaves the endpoints object's labels off targets for uncovered pod ports
 * (those without an endpoint port label); and it attaches node metadata from the pod when the
 * endpoint names no node, where Prometheus attaches none.
 */
const VMAGENT_DIFFERS =
  /^__meta_kubernetes_(pod_container_(id|image)|service_port_number|service_(type|cluster_ip)|node_annotation(present)?_.*|node_provider_id|endpointslice_(name|(label|labelpresent|annotation|annotationpresent)_.*|endpoint_(node_name|zone|conditions_serving|conditions_terminating)))$/;
const VMAGENT_DIFFERS_ENDPOINTS = /^__meta_kubernetes_pod_container_init$/;
const VMAGENT_DIFFERS_UNCOVERED =
  /^__meta_kubernetes_(endpoints_.*|endpointslice_address_type|node_.*|pod_container_init)$/;

type Sd = Record<string, unknown>;
const JOBS: Record<string, (api: string) => Sd> = {
  node: (api) => ({ role: 'node', api_server: api }),
  pod: (api) => ({ role: 'pod', api_server: api }),
  'pod-meta': (api) => ({
    role: 'pod',
    api_server: api,
    attach_metadata: { node: true },
    namespaces: { names: ['default'] },
  }),
  'pod-selected': (api) => ({
    role: 'pod',
    api_server: api,
    selectors: [{ role: 'pod', label: 'app=web', field: 'spec.nodeName=node-a' }],
  }),
  service: (api) => ({ role: 'service', api_server: api }),
  endpoints: (api) => ({ role: 'endpoints', api_server: api }),
  'endpoints-meta': (api) => ({
    role: 'endpoints',
    api_server: api,
    attach_metadata: { node: true },
  }),
  endpointslice: (api) => ({ role: 'endpointslice', api_server: api }),
  ingress: (api) => ({ role: 'ingress', api_server: api }),
};

const SCRAPE_DEFAULTS = {
  __scheme__: 'http',
  __metrics_path__: '/metrics',
  __scrape_interval__: '1h',
  __scrape_timeout__: '10s',
};

/** One target's labels as Prometheus builds them from a group: target over group, no empties. */
function merge(job: string, g: TargetGroup): Record<string, string>[] {
  return g.targets.map((t) => {
    const all: Record<string, string> = { ...g.labels, ...t, job, ...SCRAPE_DEFAULTS };
    return Object.fromEntries(Object.entries(all).filter(([, v]) => v !== ''));
  });
}

function omit(labels: Record<string, string>, re: RegExp): Record<string, string> {
  return Object.fromEntries(Object.entries(labels).filter(([k]) => !re.test(k)));
}

function canon(labels: Record<string, string>): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1)));
}

interface Dropped {
  discoveredLabels: Record<string, string>;
}

async function peerTargets(port: number, peer: Peer): Promise<Map<string, string[]> | undefined> {
  const res = await fetch(`http://127.0.0.1:${port}/api/v1/targets?state=any`).catch(
    () => undefined,
  );
  if (res?.status !== 200) return undefined;
  const body = (await res.json()) as {
    data: { droppedTargets: Dropped[]; activeTargets: Dropped[] };
  };
  const byJob = new Map<string, string[]>();
  for (const d of body.data[peer.listed]) {
    const job = d.discoveredLabels.job!;
    if (!byJob.has(job)) byJob.set(job, []);
    const labels = peer.comparable(d.discoveredLabels);
    if (labels !== undefined) byJob.get(job)!.push(canon(labels));
  }
  for (const list of byJob.values()) list.sort();
  return byJob;
}

interface Peer {
  name: string;
  /** Each job's relabeling, and the list of the targets API that then holds every target. */
  relabel: object[];
  listed: 'droppedTargets' | 'activeTargets';
  /** Why the peer cannot run here, or false. */
  skip: () => string | false;
  /** Starts it with `config` (a scrape config file); returns its HTTP port. */
  start: (t: TestContext, dir: string, config: object, log: (s: string) => void) => Promise<number>;
  /**
   * A target's labels with what this peer is known to do differently removed (applied to both
   * sides); undefined leaves the target out.
   */
  comparable: (labels: Record<string, string>) => Record<string, string> | undefined;
}

function spawnPeer(t: TestContext, bin: string, args: string[], log: (s: string) => void) {
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (c: Buffer) => log(c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => log(c.toString('utf8')));
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
}

/** Whether this Prometheus build has Kubernetes discovery (Debian's 2.42 is built without). */
function prometheusLacksKubernetes(): string | false {
  if (!existsSync(PROMETHEUS)) return `${PROMETHEUS} is not installed`;
  const file = join(mkdtempSync(join(tmpdir(), 'vigil-promtool-')), 'k8s.yml');
  writeFileSync(
    file,
    stringify({
      scrape_configs: [
        { job_name: 'x', kubernetes_sd_configs: [{ role: 'pod', api_server: 'http://h' }] },
      ],
    }),
  );
  const r = spawnSync(PROMTOOL, ['check', 'config', file], { encoding: 'utf8' });
  rmSync(dirname(file), { recursive: true, force: true });
  return /kubernetes_sd_configs not found/.test(`${r.stdout}${r.stderr}`)
    ? `${PROMETHEUS} is built without kubernetes_sd_configs (Debian drops it)`
    : false;
}

const PEERS: Peer[] = [
  {
    name: 'Prometheus',
    relabel: [{ action: 'drop', source_labels: ['__address__'], regex: '.*' }],
    listed: 'droppedTargets',
    skip: prometheusLacksKubernetes,
    start: async (t, dir, config, log) => {
      writeFileSync(join(dir, 'prometheus.yml'), stringify(config));
      const port = await freePort();
      spawnPeer(
        t,
        PROMETHEUS,
        [
          `--storage.tsdb.path=${join(dir, 'data')}`,
          `--config.file=${join(dir, 'prometheus.yml')}`,
          `--web.listen-address=127.0.0.1:${port}`,
        ],
        log,
      );
      return port;
    },
    comparable: (labels) => omit(labels, NEWER_THAN_2_42),
  },
  {
    // VictoriaMetrics' agent implements kubernetes_sd_configs after Prometheus' documentation,
    // independently of Prometheus' code: a second opinion where Prometheus cannot run.
    name: 'vmagent',
    relabel: [
      {
        source_labels: ['__meta_kubernetes_ingress_path'],
        regex: '(.+)',
        target_label: '__metrics_path__',
      },
    ],
    listed: 'activeTargets',
    skip: () => (existsSync(VMAGENT) ? false : `${VMAGENT} is not installed`),
    start: async (t, dir, config, log) => {
      writeFileSync(join(dir, 'vmagent.yml'), stringify(config));
      const port = await freePort();
      spawnPeer(
        t,
        VMAGENT,
        [
          `-promscrape.config=${join(dir, 'vmagent.yml')}`,
          `-httpListenAddr=127.0.0.1:${port}`,
          '-remoteWrite.url=http://127.0.0.1:1/api/v1/write',
          `-remoteWrite.tmpDataPath=${join(dir, 'vmagent-data')}`,
          '-promscrape.kubernetesSDCheckInterval=1s',
          '-promscrape.dropOriginalLabels=false',
          '-loggerLevel=WARN',
        ],
        log,
      );
      return port;
    },
    comparable: (labels) => {
      // Prometheus leaves `http: {paths: []}` rules without targets; vmagent makes one for `/`.
      if (labels.__address__ === 'plain.example.com') return undefined;
      // A slice port without a number: Prometheus targets the bare address, vmagent port 0.
      if (labels.__address__?.startsWith('10.2.0.')) return undefined;
      const fromEndpoints = /^endpoint/.test(labels.job ?? '');
      const uncovered =
        fromEndpoints &&
        labels.__meta_kubernetes_endpoint_ready === undefined &&
        labels.__meta_kubernetes_endpointslice_port === undefined;
      // Init containers' uncovered ports: Prometheus 3.x adds them, vmagent does not.
      if (uncovered && labels.__meta_kubernetes_pod_container_init === 'true') return undefined;
      // vmagent keeps empty values, which Prometheus removes from a target's labels.
      const out = Object.fromEntries(Object.entries(labels).filter(([, v]) => v !== ''));
      // vmagent prints durations the long way (1h0m0s).
      out.__scrape_interval__ = '1h';
      let kept = omit(out, VMAGENT_DIFFERS);
      if (uncovered) kept = omit(kept, VMAGENT_DIFFERS_UNCOVERED);
      if (fromEndpoints) kept = omit(kept, VMAGENT_DIFFERS_ENDPOINTS);
      if (fromEndpoints && labels.__meta_kubernetes_endpoint_node_name === undefined) {
        kept = omit(kept, /^__meta_kubernetes_node_/);
      }
      return kept;
    },
  },
];

for (const peer of PEERS) {
  test(
    `Kubernetes discovery labels every target as ${peer.name} does, across watches and relists`,
    { skip: peer.skip(), timeout: 300_000 },
    (t) => compareWith(t, peer),
  );
}

async function compareWith(t: TestContext, peer: Peer): Promise<void> {
  const api = await FakeKubeApi.start();
  t.after(() => api.close());
  for (const [plural, objects] of Object.entries(CLUSTER)) {
    for (const o of objects) api.apply(plural, o);
  }

  const dir = tempDir(t, 'vigil-k8s-sd-');
  let log = '';
  const config = {
    scrape_configs: Object.entries(JOBS).map(([job, sd]) => ({
      job_name: job,
      scrape_interval: '1h',
      scrape_timeout: '10s',
      kubernetes_sd_configs: [sd(api.url)],
      relabel_configs: peer.relabel,
    })),
  };
  const port = await peer.start(t, dir, config, (s) => (log += s));

  const ours = new Map<string, Map<string, TargetGroup>>();
  const abort = new AbortController();
  t.after(() => abort.abort());
  const logger = new Logger({ level: 'warn', write: (l) => void (log += `vigil: ${l}`) });
  const runs = Object.entries(JOBS).map(([job, sd]) => {
    const groups = new Map<string, TargetGroup>();
    ours.set(job, groups);
    const d = kubernetesDiscoverer(kubernetesSdConfigSchema.parse(sd(api.url)), { log: logger });
    return d.run((update) => {
      for (const g of update) groups.set(g.source, g);
    }, abort.signal);
  });

  const oursByJob = () => {
    const out = new Map<string, string[]>();
    for (const [job, groups] of ours) {
      const list = [...groups.values()]
        .flatMap((g) => merge(job, g))
        .map((l) => peer.comparable(l))
        .filter((l) => l !== undefined)
        .map(canon)
        .sort();
      if (list.length > 0) out.set(job, list);
    }
    return out;
  };

  /** Waits until both sides agree and `check` holds for ours; fails with the last difference. */
  const agree = async (what: string, check: (o: Map<string, string[]>) => boolean) => {
    const deadline = Date.now() + 90_000;
    let theirs: Map<string, string[]> | undefined;
    let mine: Map<string, string[]>;
    for (;;) {
      theirs = await peerTargets(port, peer);
      mine = oursByJob();
      if (theirs !== undefined && check(mine) && isDeepStrictEqual(theirs, mine)) return;
      if (Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    assert.fail(
      `${what}: ${peer.name} and Vigil differ:\n${describeDiff(theirs ?? new Map(), mine)}\nlog:\n${log.slice(-4000)}`,
    );
  };

  const podJob = (o: Map<string, string[]>) => o.get('pod') ?? [];
  await agree('initial cluster', (o) => o.size === Object.keys(JOBS).length);

  api.breakWatches();
  const added: FakeObject = {
    metadata: { name: 'late', namespace: 'default', uid: 'late-1', labels: { app: 'web' } },
    spec: {
      nodeName: 'node-a',
      containers: [
        { name: 'app', image: 'app:2', ports: [{ containerPort: 8081, protocol: 'TCP' }] },
      ],
    },
    status: { phase: 'Running', podIP: '10.1.0.9', hostIP: '10.0.0.1' },
  };
  api.apply('pods', added);
  await agree('after a relist and an added pod', (o) =>
    podJob(o).some((l) => l.includes('10.1.0.9:8081')),
  );

  api.remove('pods', 'default', 'late');
  await agree('after the pod is removed', (o) => podJob(o).every((l) => !l.includes('10.1.0.9')));

  abort.abort();
  await Promise.all(runs);
}

/** Per job, the targets only one side has, paired by address, label by label. */
function describeDiff(theirs: Map<string, string[]>, mine: Map<string, string[]>): string {
  const lines: string[] = [];
  for (const job of new Set([...theirs.keys(), ...mine.keys()])) {
    const a = theirs.get(job) ?? [];
    const b = mine.get(job) ?? [];
    const onlyA = a.filter((x) => !b.includes(x)).map(parse);
    const onlyB = b.filter((x) => !a.includes(x)).map(parse);
    for (const t of onlyA) {
      const peerOf = onlyB.find((o) => o.__address__ === t.__address__);
      if (peerOf === undefined) {
        lines.push(`${job}: only theirs ${JSON.stringify(t)}`);
        continue;
      }
      onlyB.splice(onlyB.indexOf(peerOf), 1);
      for (const k of new Set([...Object.keys(t), ...Object.keys(peerOf)])) {
        if (t[k] !== peerOf[k]) {
          lines.push(`${job} ${t.__address__}: ${k} theirs=${t[k]} ours=${peerOf[k]}`);
        }
      }
    }
    for (const t of onlyB) lines.push(`${job}: only ours ${JSON.stringify(t)}`);
  }
  return lines.join('\n');
}

function parse(canonical: string): Record<string, string> {
  return Object.fromEntries(JSON.parse(canonical) as [string, string][]);
}

function isDeepStrictEqual(a: Map<string, string[]>, b: Map<string, string[]>): boolean {
  try {
    assert.deepStrictEqual(a, b);
    return true;
  } catch {
    return false;
  }
}
