/**
 * @module
 * Runs Debian's Prometheus 2.42 with a `kubernetes_sd_configs` job per role (plus node
 * metadata, a namespace list and selectors) against a fake Kubernetes API server, and requires
 * our discoverer, given the same entries and the same fake cluster, to produce exactly the
 * label sets Prometheus discovered for every target: at start, after the server breaks every
 * watch with 410 (both sides relist), after a pod is added and after it is removed.
 *
 * Every target is dropped by relabeling so that Prometheus lists each one under
 * `droppedTargets` with its discovered labels (active targets with equal addresses would be
 * merged, and nothing needs to be scraped). Labels Prometheus 2.42 does not yet set but later
 * versions do are in NEWER_LABELS and removed from our side before comparing.
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

const PROMETHEUS = '/usr/bin/prometheus';
const PROMTOOL = '/usr/bin/promtool';
const VMAGENT = '/usr/bin/vmagent';

/** Labels vmagent sets that Prometheus does not (it sets the node's provider ID). */
const VMAGENT_ONLY: string[] = [];
const CLUSTER = JSON.parse(
  readFileSync(
    new URL('../../src/metrics/discovery/kubernetes/testdata/cluster.json', import.meta.url),
    'utf8',
  ),
) as Record<string, FakeObject[]>;

/** Labels Vigil sets (as Prometheus 3.x does) that Prometheus 2.42 does not. */
const NEWER_LABELS: RegExp[] = [];

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
function merge(job: string, g: TargetGroup): string[] {
  return g.targets.map((t) => {
    const all: Record<string, string> = { ...g.labels, ...t, job, ...SCRAPE_DEFAULTS };
    const kept = Object.entries(all).filter(
      ([k, v]) => v !== '' && !NEWER_LABELS.some((re) => re.test(k)),
    );
    return canon(Object.fromEntries(kept));
  });
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
  const body = (await res.json()) as { data: { droppedTargets: Dropped[] } };
  const byJob = new Map<string, string[]>();
  for (const d of body.data.droppedTargets) {
    const job = d.discoveredLabels.job!;
    if (!byJob.has(job)) byJob.set(job, []);
    byJob.get(job)!.push(canon(peer.normalize(d.discoveredLabels)));
  }
  for (const list of byJob.values()) list.sort();
  return byJob;
}

interface Peer {
  name: string;
  /** Why the peer cannot run here, or false. */
  skip: () => string | false;
  /** Starts it with `config` (a scrape config file); returns its HTTP port. */
  start: (t: TestContext, dir: string, config: object, log: (s: string) => void) => Promise<number>;
  /** Its discovered labels as Prometheus would show them (see the notes at each peer). */
  normalize: (labels: Record<string, string>) => Record<string, string>;
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
    normalize: (labels) => labels,
  },
  {
    // VictoriaMetrics' agent implements kubernetes_sd_configs after Prometheus' documentation,
    // independently of Prometheus' code: a second opinion where Prometheus cannot run.
    name: 'vmagent',
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
          '-promscrape.maxDroppedTargets=100000',
          '-loggerLevel=WARN',
        ],
        log,
      );
      return port;
    },
    normalize: (labels) => {
      const out: Record<string, string> = {};
      for (const [k, v] of Object.entries(labels)) {
        // vmagent keeps empty values, which Prometheus removes from a target's labels.
        if (v === '' || VMAGENT_ONLY.includes(k)) continue;
        out[k] = v;
      }
      // vmagent prints durations the long way (1h0m0s).
      out.__scrape_interval__ = '1h';
      return out;
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
      relabel_configs: [{ action: 'drop', source_labels: ['__address__'], regex: '.*' }],
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
      const list = [...groups.values()].flatMap((g) => merge(job, g)).sort();
      if (list.length > 0) out.set(job, list);
    }
    return out;
  };

  /** Waits until both sides agree and `check` holds for ours; fails with the last difference. */
  const agree = async (what: string, check: (o: Map<string, string[]>) => boolean) => {
    const deadline = Date.now() + 90_000;
    let theirs: Map<string, string[]> | undefined;
    let mine = oursByJob();
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
