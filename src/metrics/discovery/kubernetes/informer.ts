/**
 * @module
 * Keeps a local copy of one resource (pods, services, …) in sync with the API server, as
 * client-go's reflector does: list, then watch from the list's resource version; reconnect
 * from the last seen version when a watch ends; list again when the server says that version
 * is gone (410, as a status or as an ERROR event); back off on any other failure. Each change
 * to the copy is reported once, after the first list of every namespace has arrived.
 */

import type { Logger } from '../../../lib/log/logger.js';
import type { KubeObject } from './api-types.js';
import type { KubeClient } from './client.js';
import { KubeApiError } from './client.js';
import { objectKey } from './meta.js';

export interface InformerOptions {
  client: KubeClient;
  /** API group path without namespace, e.g. `/api/v1` or `/apis/discovery.k8s.io/v1`. */
  group: string;
  /** The resource's plural name, e.g. `pods`. */
  plural: string;
  /** Namespaces to watch, each with its own list and watch; undefined for all (or none). */
  namespaces: readonly string[] | undefined;
  labelSelector: string;
  fieldSelector: string;
  log: Logger;
  /**
   * Keeps only what the caller reads of each object (as client-go's transform does), so the
   * store does not hold whole objects; the result must keep `metadata.name`, `namespace` and
   * `resourceVersion`. Absent: objects are stored as the API sent them.
   */
  transform?: (obj: KubeObject) => KubeObject;
  /** Called for every object that appeared, changed or (with `deleted`) went away. */
  onChange: (obj: KubeObject, deleted: boolean) => void;
}

const MIN_BACKOFF_MS = 1_000;
const MAX_BACKOFF_MS = 30_000;

/** The local copy of one resource: `store` maps `namespace/name` (`name` if cluster-scoped). */
export class Informer<T extends KubeObject> {
  readonly store = new Map<string, T>();
  readonly #o: InformerOptions;

  constructor(options: InformerOptions) {
    this.#o = options;
  }

  /**
   * Runs until `signal` aborts; `synced` resolves once every namespace has been listed.
   * Never rejects: failures are logged and retried.
   */
  async run(signal: AbortSignal, synced: () => void): Promise<void> {
    const namespaces = this.#o.namespaces ?? [undefined];
    let waiting = namespaces.length;
    await Promise.all(
      namespaces.map((ns) =>
        this.#loop(ns, signal, () => {
          if (--waiting === 0) synced();
        }),
      ),
    );
  }

  #path(ns: string | undefined): string {
    const o = this.#o;
    return ns === undefined
      ? `${o.group}/${o.plural}`
      : `${o.group}/namespaces/${encodeURIComponent(ns)}/${o.plural}`;
  }

  #query(): URLSearchParams {
    const q = new URLSearchParams();
    if (this.#o.labelSelector !== '') q.set('labelSelector', this.#o.labelSelector);
    if (this.#o.fieldSelector !== '') q.set('fieldSelector', this.#o.fieldSelector);
    return q;
  }

  async #loop(ns: string | undefined, signal: AbortSignal, listed: () => void): Promise<void> {
    const path = this.#path(ns);
    const log = this.#o.log.child({ resource: this.#o.plural, namespace: ns ?? '' });
    const mine = new Set<string>();
    let firstList = true;
    let version: string | undefined;
    let backoff = MIN_BACKOFF_MS;
    while (!signal.aborted) {
      try {
        if (version === undefined) {
          version = await this.#list(path, mine, signal);
          if (firstList) listed();
          firstList = false;
        }
        const started = Date.now();
        const result = await this.#watch(path, version, mine, signal);
        version = result.version;
        if (result.events > 0 || Date.now() - started > MIN_BACKOFF_MS) {
          backoff = MIN_BACKOFF_MS;
          continue;
        }
        // A stream that ends at once with nothing in it would otherwise be reopened in a loop.
        log.debug('watch ended without events', { path });
      } catch (err) {
        if (signal.aborted) return;
        if (err instanceof KubeApiError && err.status === 410) {
          log.info('resource version too old, listing again', { path });
          version = undefined;
          continue;
        }
        log.warn('cannot list or watch', { path, err });
      }
      await sleep(jitter(backoff), signal);
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
    }
  }

  /** Replaces this namespace's objects with a fresh list; reports only real differences. */
  async #list(path: string, mine: Set<string>, signal: AbortSignal): Promise<string> {
    const { items, resourceVersion } = await this.#o.client.list(path, this.#query(), signal);
    const fresh = new Set<string>();
    const transform = this.#o.transform;
    for (const raw of items) {
      const item = (transform === undefined ? raw : transform(raw)) as T;
      const key = objectKey(item.metadata);
      fresh.add(key);
      this.#upsert(key, item);
    }
    for (const key of mine) {
      if (!fresh.has(key)) this.#delete(key);
    }
    mine.clear();
    for (const key of fresh) mine.add(key);
    return resourceVersion;
  }

  async #watch(
    path: string,
    version: string,
    mine: Set<string>,
    signal: AbortSignal,
  ): Promise<{ version: string; events: number }> {
    const q = this.#query();
    q.set('watch', '1');
    q.set('resourceVersion', version);
    q.set('allowWatchBookmarks', 'true');
    // The server ends each watch after this long; a random spread avoids reconnect storms.
    const timeoutSeconds = 300 + Math.floor(Math.random() * 300);
    q.set('timeoutSeconds', String(timeoutSeconds));
    let events = 0;
    const idleMs = (timeoutSeconds + 60) * 1000;
    for await (const ev of this.#o.client.watch(path, q, signal, idleMs)) {
      events++;
      if (ev.type === 'ERROR') {
        const status = ev.object.code ?? 0;
        throw new KubeApiError(status, path, ev.object.message ?? 'watch error');
      }
      version = ev.object.metadata?.resourceVersion ?? version;
      if (ev.type === 'BOOKMARK') continue;
      const transform = this.#o.transform;
      const obj = (transform === undefined ? ev.object : transform(ev.object)) as T;
      const key = objectKey(obj.metadata);
      if (ev.type === 'DELETED') {
        mine.delete(key);
        this.#delete(key);
      } else {
        mine.add(key);
        this.#upsert(key, obj);
      }
    }
    return { version, events };
  }

  #upsert(key: string, obj: T): void {
    const old = this.store.get(key);
    const v = obj.metadata.resourceVersion;
    if (old !== undefined && v !== undefined && old.metadata.resourceVersion === v) return;
    this.store.set(key, obj);
    this.#o.onChange(obj, false);
  }

  #delete(key: string): void {
    const old = this.store.get(key);
    if (old === undefined) return;
    this.store.delete(key);
    this.#o.onChange(old, true);
  }
}

function jitter(ms: number): number {
  return ms * (0.8 + Math.random() * 0.4);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done);
  });
}
