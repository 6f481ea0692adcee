/**
 * @module
 * A fake kubelet for simulated-cluster tests: it runs "pods" on one simulated node by doing what
 * the real kubelet's visible effects are — the pod object in the (fake) API server bound to the
 * node, Running and Ready with an IP; its containers' CRI logs under a per-node
 * /var/log/pods-like tree (`<ns>_<pod>_<uid>/<container>/0.log`), rotated kubelet-style when a
 * file passes `rotateBytes`; and on deletion the pod gone from the API and, `removeLogsAfterMs`
 * later, its log directory removed, as the kubelet's garbage collection does.
 */

import { randomUUID } from 'node:crypto';
import { appendFileSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { FakeKubeApi } from './fake-kube-api.js';
import { rotateContainerLog } from './pod-logs.js';

export interface PodSpec {
  namespace: string;
  name: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  /** Containers and the ports they declare. */
  containers: {
    name: string;
    image?: string;
    ports?: { name?: string; containerPort: number }[];
  }[];
  /** The controlling owner, e.g. `{ kind: 'ReplicaSet', name: 'web-7d9f8' }`. */
  owner?: { kind: string; name: string };
  /** Default: the next address of the node's pod range. */
  ip?: string;
}

/** A pod the kubelet runs. */
export interface RunningPod {
  readonly spec: PodSpec;
  readonly uid: string;
  readonly ip: string;
  /** The pod's log directory (`<root>/<ns>_<name>_<uid>`). */
  readonly dir: string;
}

export interface FakeKubeletOptions {
  api: FakeKubeApi;
  node: string;
  /** The node's /var/log/pods. */
  root: string;
  /** The third octet of the node's pod range, 10.244.<n>.0/24. */
  podCidrIndex: number;
  labels?: Record<string, string>;
  rotateBytes?: number;
  /** Files kept per container, the live one included (containerLogMaxFiles). */
  keep?: number;
  removeLogsAfterMs?: number;
}

export class FakeKubelet {
  readonly node: string;
  readonly root: string;
  readonly #o: FakeKubeletOptions;
  #nextIp = 2;
  #lastNs = 0n;
  readonly #timers = new Set<NodeJS.Timeout>();
  rotations = 0;

  /** Registers the node in the API server. */
  constructor(options: FakeKubeletOptions) {
    this.#o = options;
    this.node = options.node;
    this.root = options.root;
    mkdirSync(options.root, { recursive: true });
    options.api.apply('nodes', {
      metadata: { name: options.node, uid: randomUUID(), labels: options.labels ?? {} },
      spec: { podCIDR: `10.244.${options.podCidrIndex}.0/24` },
      status: {
        addresses: [
          { type: 'InternalIP', address: '127.0.0.1' },
          { type: 'Hostname', address: options.node },
        ],
        conditions: [{ type: 'Ready', status: 'True' }],
        daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      },
    });
  }

  /** Binds the pod to this node in the API server, then creates its containers' log files. */
  startPod(spec: PodSpec): RunningPod {
    const uid = randomUUID();
    const ip = spec.ip ?? `10.244.${this.#o.podCidrIndex}.${this.#nextIp++}`;
    const now = new Date().toISOString();
    this.#o.api.apply('pods', {
      metadata: {
        name: spec.name,
        namespace: spec.namespace,
        uid,
        labels: spec.labels ?? {},
        annotations: spec.annotations ?? {},
        creationTimestamp: now,
        ownerReferences:
          spec.owner === undefined
            ? []
            : [
                {
                  apiVersion: 'apps/v1',
                  kind: spec.owner.kind,
                  name: spec.owner.name,
                  uid: randomUUID(),
                  controller: true,
                },
              ],
      },
      spec: {
        nodeName: this.node,
        containers: spec.containers.map((c) => ({
          name: c.name,
          image: c.image ?? `example/${c.name}:1.0`,
          ports: (c.ports ?? []).map((p) => ({ ...p, protocol: 'TCP' })),
        })),
      },
      status: {
        phase: 'Running',
        podIP: ip,
        podIPs: [{ ip }],
        hostIP: '127.0.0.1',
        startTime: now,
        conditions: [
          { type: 'Initialized', status: 'True' },
          { type: 'Ready', status: 'True' },
          { type: 'ContainersReady', status: 'True' },
          { type: 'PodScheduled', status: 'True' },
        ],
        containerStatuses: spec.containers.map((c) => ({
          name: c.name,
          ready: true,
          restartCount: 0,
          containerID: `containerd://${randomUUID().replaceAll('-', '')}`,
          state: { running: { startedAt: now } },
        })),
      },
    });
    const dir = join(this.root, `${spec.namespace}_${spec.name}_${uid}`);
    for (const c of spec.containers) {
      mkdirSync(join(dir, c.name), { recursive: true });
      appendFileSync(join(dir, c.name, '0.log'), '');
    }
    return { spec, uid, ip, dir };
  }

  /** Appends CRI lines to a container's log, rotating it kubelet-style past `rotateBytes`. */
  write(pod: RunningPod, container: string, lines: readonly string[], stream = 'stdout'): void {
    const dir = join(pod.dir, container);
    const file = join(dir, '0.log');
    const text = lines.map((l) => `${this.#ts()} ${stream} F ${l}\n`).join('');
    appendFileSync(file, text);
    if (statSync(file).size >= (this.#o.rotateBytes ?? 64 * 1024)) {
      rotateContainerLog(dir, this.#o.keep ?? 5);
      appendFileSync(file, '');
      this.rotations++;
    }
  }

  /** Removes the pod from the API server; its logs go `removeLogsAfterMs` later. */
  deletePod(pod: RunningPod): void {
    this.#o.api.remove('pods', pod.spec.namespace, pod.spec.name);
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      rmSync(pod.dir, { recursive: true, force: true });
    }, this.#o.removeLogsAfterMs ?? 10_000);
    this.#timers.add(timer);
  }

  stop(): void {
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
  }

  /** A strictly increasing RFC 3339 time with nanoseconds. */
  #ts(): string {
    let ns = BigInt(Date.now()) * 1_000_000n;
    if (ns <= this.#lastNs) ns = this.#lastNs + 1n;
    this.#lastNs = ns;
    const iso = new Date(Number(ns / 1_000_000n)).toISOString();
    return `${iso.slice(0, 23)}${String(ns % 1_000_000n).padStart(6, '0')}Z`;
  }
}
