/**
 * @module
 * Kubernetes metadata from a log file's path, which the kubelet names after the pod:
 *
 * - `/var/log/pods/<namespace>_<pod>_<pod uid>/<container>/<restart>.log`
 * - `/var/log/containers/<pod>_<namespace>_<container>-<container id>.log` (links into the above)
 *
 * Names cannot contain `_` (DNS labels and subdomains), so `_` separates them unambiguously; a
 * container id is 64 hex digits. Paths of neither shape get no fields. Adds `kubernetes.*`,
 * with `kubernetes.node.name` from the agent's node name, and `container.id` when the path has it.
 */

import type { Filter, RecordSource } from './filter.js';

/** The metadata one path gives. */
export interface PathMetadata {
  namespace: string;
  pod: string;
  podUid?: string;
  container: string;
  containerId?: string;
}

/**
 * @example
 * kubernetesFromPath('/var/log/pods/default_web-0_1d2c…/nginx/0.log');
 * // { namespace: 'default', pod: 'web-0', podUid: '1d2c…', container: 'nginx' }
 */
export function kubernetesFromPath(path: string): PathMetadata | undefined {
  const parts = path.split('/');
  const n = parts.length;
  if (n >= 4 && parts[n - 4] === 'pods' && parts[n - 1]!.endsWith('.log')) {
    const dir = parts[n - 3]!.split('_');
    if (dir.length !== 3 || dir.some((s) => s === '')) return undefined;
    return { namespace: dir[0]!, pod: dir[1]!, podUid: dir[2]!, container: parts[n - 2]! };
  }
  if (n >= 2 && parts[n - 2] === 'containers' && parts[n - 1]!.endsWith('.log')) {
    const name = parts[n - 1]!.slice(0, -'.log'.length);
    const m = /^([^_]+)_([^_]+)_(.+)-([0-9a-f]{64})$/.exec(name);
    if (m === null) return undefined;
    return { pod: m[1]!, namespace: m[2]!, container: m[3]!, containerId: m[4]! };
  }
  return undefined;
}

/**
 * The record fields of path metadata: `kubernetes.{namespace, pod, container, node}` and
 * `container.id`. The objects are fresh, so callers may add to them.
 *
 * @example
 * pathFields(kubernetesFromPath('/var/log/pods/ns_p_u/c/0.log')!, 'node-a');
 * // { kubernetes: { namespace: 'ns', pod: { name: 'p', uid: 'u' }, container: { name: 'c' }, node: { name: 'node-a' } } }
 */
export function pathFields(m: PathMetadata, node: string): PathFields {
  const pod: Record<string, unknown> = { name: m.pod };
  if (m.podUid !== undefined) pod.uid = m.podUid;
  const fields: PathFields = {
    kubernetes: {
      namespace: m.namespace,
      pod,
      container: { name: m.container },
      node: { name: node },
    },
  };
  if (m.containerId !== undefined) fields.container = { id: m.containerId };
  return fields;
}

/** What {@link pathFields} gives, open for the API metadata to add to. */
export interface PathFields {
  kubernetes: {
    namespace: string;
    pod: Record<string, unknown>;
    container: Record<string, unknown>;
    node: Record<string, unknown>;
    [k: string]: unknown;
  };
  container?: { id: string };
  [k: string]: unknown;
}

/** The path's Kubernetes fields. */
export class KubernetesPathFilter implements Filter {
  readonly #node: string;

  constructor(node: string) {
    this.#node = node;
  }

  sourceFields(source: RecordSource): Record<string, unknown> | undefined {
    const m = kubernetesFromPath(source.path);
    return m === undefined ? undefined : pathFields(m, this.#node);
  }
}
