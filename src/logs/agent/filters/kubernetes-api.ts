/**
 * @module
 * Kubernetes metadata from the API server on top of the path's: the pod's labels, selected
 * annotations, owner, IP, the container's image and the node's labels, read from the watch-backed
 * {@link PodMetadataCache} — never one API call per line or per file. Field names extend the path
 * filter's one scheme: `kubernetes.labels.*`, `kubernetes.annotations.*`,
 * `kubernetes.pod.{ip, owner.kind, owner.name}`, `kubernetes.container.image`,
 * `kubernetes.node.labels.*`, `kubernetes.namespace_labels.*`.
 *
 * A file whose pod is not in the cache yet is held back, unread, for at most `waitMs` from
 * the first time it was asked about — the kubelet creates the pod object before it starts the
 * containers, so its metadata is normally there first and a wait covers only watch lag; holding
 * the file (not lines) costs no memory and keeps its first lines from going out without labels
 * or past an exclude annotation. After the wait the file is read with the path's metadata, and
 * its records get the API's as soon as the pod arrives (the cache's generation moves).
 *
 * Annotations steer collection: `vigil.io/exclude: "true"` drops the pod's lines (or one
 * container's with `vigil.io/exclude-<container>`), and `vigil.io/parser` (or
 * `vigil.io/parser-<container>`) picks how its messages are read: `json`, `text`, a
 * multiline rule (`java`, `python`, `go`, `node`, `ruby`, each with JSON lifting), or a named
 * message parser (`logfmt`, or one of agent.yml's `parsers:`), which the input resolves.
 */

import type { Logger } from '../../../lib/log/logger.js';
import type { PodMetadataCache } from '../kubernetes/metadata-cache.js';
import type { PodMeta } from '../kubernetes/pod-metadata.js';
import { MULTILINE_RULE_NAMES, type MultilineRule } from '../parsers/multiline.js';
import type { Filter, ParserChoice, RecordSource } from './filter.js';
import { kubernetesFromPath, pathFields, type PathMetadata } from './kubernetes-path.js';

export interface KubernetesApiFilterOptions {
  cache: PodMetadataCache;
  node: string;
  /** Longest a file waits for its pod's metadata before it is read without it. */
  waitMs: number;
  log: Logger;
  /** Called once per file read without API metadata after its wait (for metrics). */
  onMissing?: () => void;
  now?: () => number;
}

/** Sources asked about and not found, remembered at most this many (oldest forgotten). */
const MAX_WAITING = 4096;

export class KubernetesApiFilter implements Filter {
  readonly #o: KubernetesApiFilterOptions;
  readonly #now: () => number;
  /** Pod key (UID or namespace/name) → when a file of it was first held back, ms. */
  readonly #waiting = new Map<string, number>();

  constructor(options: KubernetesApiFilterOptions) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
  }

  generation(): number {
    return this.#o.cache.generation;
  }

  sourceFields(source: RecordSource): Record<string, unknown> | undefined {
    const m = kubernetesFromPath(source.path);
    if (m === undefined) return undefined;
    const fields = pathFields(m, this.#o.node);
    const k = fields.kubernetes;
    const nodeLabels = this.#o.cache.nodeLabels;
    if (nodeLabels !== undefined) k.node.labels = nodeLabels;
    const nsLabels = this.#o.cache.namespaceLabels(m.namespace);
    if (nsLabels !== undefined && Object.keys(nsLabels).length > 0) k.namespace_labels = nsLabels;
    const pod = this.#lookup(m);
    if (pod === undefined) return fields;
    const f = pod.fields;
    k.pod.uid ??= pod.metadata.uid;
    if (f.pod.ip !== undefined) k.pod.ip = f.pod.ip;
    if (f.pod.owner !== undefined) k.pod.owner = f.pod.owner;
    const image = f.images[m.container];
    if (image !== undefined) k.container.image = image;
    if (f.labels !== undefined) k.labels = f.labels;
    if (f.annotations !== undefined) k.annotations = f.annotations;
    return fields;
  }

  pending(source: RecordSource): boolean {
    const m = kubernetesFromPath(source.path);
    if (m === undefined) return false;
    const key = m.podUid ?? `${m.namespace}/${m.pod}`;
    if (this.#lookup(m) !== undefined) {
      this.#waiting.delete(key);
      return false;
    }
    const now = this.#now();
    const first = this.#waiting.get(key);
    if (first === undefined) {
      if (this.#waiting.size >= MAX_WAITING) {
        this.#waiting.delete(this.#waiting.keys().next().value as string);
      }
      this.#waiting.set(key, now);
      return this.#o.waitMs > 0;
    }
    if (now - first < this.#o.waitMs) return true;
    if (first >= 0) {
      // Once per pod: later files of it are not held again.
      this.#waiting.set(key, -1);
      this.#o.onMissing?.();
      this.#o.log.debug('no API metadata for the pod yet; reading its logs with path metadata', {
        namespace: m.namespace,
        pod: m.pod,
      });
    }
    return false;
  }

  excluded(source: RecordSource): boolean {
    const m = kubernetesFromPath(source.path);
    const pod = m === undefined ? undefined : this.#lookup(m);
    return pod !== undefined && (pod.exclude.has('*') || pod.exclude.has(m!.container));
  }

  parser(source: RecordSource): ParserChoice | undefined {
    const m = kubernetesFromPath(source.path);
    const pod = m === undefined ? undefined : this.#lookup(m);
    if (pod === undefined) return undefined;
    const name = pod.parsers.get(m!.container) ?? pod.parsers.get('*');
    if (name === undefined) return undefined;
    if (name === 'json') return { json: true, multiline: undefined };
    if (name === 'text') return { json: false, multiline: undefined };
    if ((MULTILINE_RULE_NAMES as readonly string[]).includes(name)) {
      return { json: true, multiline: name as MultilineRule };
    }
    // A named message parser: only the input knows its parsers (and warns about a name it lacks).
    return { json: false, named: name, multiline: undefined };
  }

  #lookup(m: PathMetadata): PodMeta | undefined {
    const c = this.#o.cache;
    return m.podUid !== undefined ? c.byUid(m.podUid) : c.byName(m.namespace, m.pod);
  }
}
