/**
 * @module
 * The agent's copy of the metadata of its node's pods, kept current by a watch: one list and
 * one long-lived watch of `pods?fieldSelector=spec.nodeName=<node>` (and, for node labels,
 * of the node itself; for namespace labels, of the namespaces), through the informer discovery uses — resumed from the last resource
 * version, listed again on 410 Gone, retried with backoff on any other failure. Records are
 * enriched from this copy only; no API call is ever made for a line or a file.
 *
 * - **Size.** At most `maxPods` pods, least recently used first out — deleted pods before live
 *   ones. A node runs at most the kubelet's `max-pods` (110 by default) at once, so the bound
 *   is for churn: deleted pods waiting out their grace period.
 * - **Deleted pods** stay for `deletedGraceMs`, so lines read after the pod was deleted (the
 *   agent behind, or finishing the pod's files) still get its labels.
 * - **Generation.** A number that changes whenever the metadata records would get changes (a
 *   pod added, relabelled, deleted past its grace; node labels changed); status-only updates
 *   do not move it. Inputs compare it once per batch to refresh a file's shared fields.
 */

import type { Logger } from '../../../lib/log/logger.js';
import type { KubeObject, Node } from '../../../metrics/discovery/kubernetes/api-types.js';
import type { KubeClient } from '../../../metrics/discovery/kubernetes/client.js';
import { Informer } from '../../../metrics/discovery/kubernetes/informer.js';
import { podMeta, type PodFieldOptions, type PodMeta } from './pod-metadata.js';

export interface PodCacheOptions {
  client: KubeClient;
  /** The node whose pods are watched (`spec.nodeName`). */
  node: string;
  fields: PodFieldOptions;
  /** Also watch the node for its labels. */
  nodeLabels: boolean;
  /** Also watch namespaces for their labels (all of them: a cluster has few). */
  namespaceLabels: boolean;
  maxPods: number;
  deletedGraceMs: number;
  log: Logger;
  /** Called when a pod is pushed out by `maxPods` (for the agent's metrics). */
  onEvict?: () => void;
}

interface Entry {
  readonly meta: PodMeta;
  /** When the pod was deleted (ms), or undefined while it exists. */
  deletedAt: number | undefined;
}

/** How often deleted pods past their grace period are let go. */
const SWEEP_INTERVAL_MS = 10_000;

export class PodMetadataCache {
  readonly #o: PodCacheOptions;
  /** By pod UID; Map order is recency (oldest first). */
  readonly #pods = new Map<string, Entry>();
  /** `namespace/name` → UID, for `/var/log/containers` paths, which carry no UID. */
  readonly #byName = new Map<string, string>();
  #nodeLabels: Record<string, string> | undefined;
  readonly #namespaceLabels = new Map<string, Record<string, string>>();
  #generation = 0;
  #synced = false;
  readonly #onSynced: (() => void)[] = [];
  readonly #abort = new AbortController();
  #running: Promise<unknown> | null = null;
  #sweep: NodeJS.Timeout | null = null;

  constructor(options: PodCacheOptions) {
    this.#o = options;
  }

  /** Changes whenever a lookup could answer differently for what records carry. */
  get generation(): number {
    return this.#generation;
  }

  /** Whether the first list of pods (and of the node) arrived. */
  get synced(): boolean {
    return this.#synced;
  }

  /** Pods held, deleted ones in their grace period included. */
  get size(): number {
    return this.#pods.size;
  }

  /** The node's labels; undefined unless node labels are watched and the node was listed. */
  get nodeLabels(): Readonly<Record<string, string>> | undefined {
    return this.#nodeLabels;
  }

  /** A namespace's labels; undefined unless namespace labels are watched and it was listed. */
  namespaceLabels(namespace: string): Readonly<Record<string, string>> | undefined {
    return this.#namespaceLabels.get(namespace);
  }

  /** Starts listing and watching; never rejects (failures are logged and retried). */
  start(): void {
    const o = this.#o;
    const signal = this.#abort.signal;
    const pods = new Informer<PodMeta>({
      client: o.client,
      group: '/api/v1',
      plural: 'pods',
      namespaces: undefined,
      labelSelector: '',
      fieldSelector: `spec.nodeName=${o.node}`,
      log: o.log,
      transform: (obj) => podMeta(obj, o.fields),
      onChange: (obj, deleted) => this.#onPod(obj as PodMeta, deleted),
    });
    let waiting = 1 + (o.nodeLabels ? 1 : 0) + (o.namespaceLabels ? 1 : 0);
    const listed = () => {
      if (--waiting > 0) return;
      this.#synced = true;
      for (const f of this.#onSynced.splice(0)) f();
    };
    const runs: Promise<void>[] = [pods.run(signal, listed)];
    if (o.nodeLabels) {
      const nodes = new Informer<KubeObject>({
        client: o.client,
        group: '/api/v1',
        plural: 'nodes',
        namespaces: undefined,
        labelSelector: '',
        fieldSelector: `metadata.name=${o.node}`,
        log: o.log,
        transform: (obj) => ({
          metadata: { ...obj.metadata, annotations: undefined, ownerReferences: undefined },
        }),
        onChange: (obj, deleted) => this.#onNode(obj as Node, deleted),
      });
      runs.push(nodes.run(signal, listed));
    }
    if (o.namespaceLabels) {
      const namespaces = new Informer<KubeObject>({
        client: o.client,
        group: '/api/v1',
        plural: 'namespaces',
        namespaces: undefined,
        labelSelector: '',
        fieldSelector: '',
        log: o.log,
        transform: (obj) => ({
          metadata: {
            name: obj.metadata.name,
            resourceVersion: obj.metadata.resourceVersion,
            labels: this.#rekey(obj.metadata.labels ?? {}),
          },
        }),
        onChange: (obj, deleted) => {
          if (deleted) this.#namespaceLabels.delete(obj.metadata.name);
          else this.#namespaceLabels.set(obj.metadata.name, obj.metadata.labels ?? {});
          this.#generation++;
        },
      });
      runs.push(namespaces.run(signal, listed));
    }
    this.#running = Promise.all(runs);
    this.#sweep = setInterval(
      () => this.#expire(Date.now()),
      Math.min(SWEEP_INTERVAL_MS, Math.max(1000, this.#o.deletedGraceMs / 2)),
    );
    this.#sweep.unref();
  }

  /**
   * Resolves true once synced, or false after `timeoutMs` (the API is slow or unreachable;
   * the informer keeps trying in the background).
   */
  whenSynced(timeoutMs: number): Promise<boolean> {
    if (this.#synced) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.#onSynced.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  /** A pod by UID, live or deleted within its grace period; marks it recently used. */
  byUid(uid: string): PodMeta | undefined {
    const e = this.#pods.get(uid);
    if (e === undefined) return undefined;
    this.#pods.delete(uid);
    this.#pods.set(uid, e);
    return e.meta;
  }

  /** A pod by namespace and name: the live one, else the last deleted one in its grace period. */
  byName(namespace: string, name: string): PodMeta | undefined {
    const uid = this.#byName.get(`${namespace}/${name}`);
    return uid === undefined ? undefined : this.byUid(uid);
  }

  async stop(): Promise<void> {
    this.#abort.abort();
    if (this.#sweep !== null) clearInterval(this.#sweep);
    await this.#running;
  }

  #onPod(meta: PodMeta, deleted: boolean): void {
    const uid = meta.metadata.uid;
    if (uid === '') return;
    const nameKey = `${meta.metadata.namespace}/${meta.metadata.name}`;
    const old = this.#pods.get(uid);
    if (deleted) {
      if (old !== undefined && old.deletedAt === undefined) old.deletedAt = Date.now();
      // Not a change records see: the metadata stays until its grace period ends.
      return;
    }
    if (old !== undefined) this.#pods.delete(uid);
    this.#pods.set(uid, { meta, deletedAt: undefined });
    this.#byName.set(nameKey, uid);
    if (
      old === undefined ||
      old.meta.fingerprint !== meta.fingerprint ||
      !sameSteering(old.meta, meta)
    ) {
      this.#generation++;
    }
    this.#evict();
  }

  #onNode(node: Node, deleted: boolean): void {
    this.#nodeLabels = deleted ? undefined : this.#rekey(node.metadata.labels ?? {});
    this.#generation++;
  }

  /** A copy of `labels`, dedotted if configured. */
  #rekey(labels: Record<string, string>): Record<string, string> {
    if (!this.#o.fields.dedot) return { ...labels };
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(labels)) out[k.replaceAll('.', '_')] = v;
    return out;
  }

  /** Pushes out the least recently used pods over `maxPods`, deleted ones first. */
  #evict(): void {
    while (this.#pods.size > this.#o.maxPods) {
      let victim: string | undefined;
      for (const [uid, e] of this.#pods) {
        if (e.deletedAt !== undefined) {
          victim = uid;
          break;
        }
      }
      victim ??= this.#pods.keys().next().value as string;
      this.#forget(victim);
      this.#o.onEvict?.();
    }
  }

  #expire(now: number): void {
    for (const [uid, e] of [...this.#pods]) {
      if (e.deletedAt !== undefined && now - e.deletedAt >= this.#o.deletedGraceMs) {
        this.#forget(uid);
      }
    }
  }

  #forget(uid: string): void {
    const e = this.#pods.get(uid);
    if (e === undefined) return;
    this.#pods.delete(uid);
    const nameKey = `${e.meta.metadata.namespace}/${e.meta.metadata.name}`;
    if (this.#byName.get(nameKey) === uid) this.#byName.delete(nameKey);
    this.#generation++;
  }
}

function sameSteering(a: PodMeta, b: PodMeta): boolean {
  if (a.exclude.size !== b.exclude.size || a.parsers.size !== b.parsers.size) return false;
  for (const c of a.exclude) if (!b.exclude.has(c)) return false;
  for (const [c, p] of a.parsers) if (b.parsers.get(c) !== p) return false;
  return true;
}
