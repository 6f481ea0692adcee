/**
 * @module
 * Labels every role shares: an object's name, labels and annotations under the role's prefix,
 * the pod labels that the endpoints roles attach too, the node labels of `attach_metadata`,
 * and the lookups that enrich one object with others of the same cluster. Names follow
 * Prometheus' `__meta_kubernetes_*` scheme so relabel rules written for it work unchanged.
 */

import type { Node, ObjectMeta, Pod, Service } from './api-types.js';

export type LabelSet = Record<string, string>;

export const META = '__meta_kubernetes_';
export const NAMESPACE = `${META}namespace`;

/** Objects of the same cluster a builder may read to enrich its own. */
export interface Lookups {
  pod(namespace: string, name: string): Pod | undefined;
  service(namespace: string, name: string): Service | undefined;
  /** Undefined unless `attach_metadata.node` is on, so node labels are attached only then. */
  node?: (name: string) => Node | undefined;
}

/** Every character outside `[a-zA-Z0-9_]` (each code point, not each UTF-16 unit) becomes `_`. */
export function sanitizeLabelName(name: string): string {
  return name.replace(/[^a-zA-Z0-9_]/gu, '_');
}

/** Sets `<prefix>_name`, `_label_*`, `_labelpresent_*`, `_annotation_*`, `_annotationpresent_*`. */
export function addObjectMeta(out: LabelSet, meta: ObjectMeta, role: string): void {
  const prefix = META + role;
  out[`${prefix}_name`] = meta.name;
  addMap(out, meta.labels, `${prefix}_label_`, `${prefix}_labelpresent_`);
  addMap(out, meta.annotations, `${prefix}_annotation_`, `${prefix}_annotationpresent_`);
}

function addMap(
  out: LabelSet,
  map: Record<string, string> | undefined,
  valuePrefix: string,
  presentPrefix: string,
): void {
  if (map === undefined) return;
  for (const [k, v] of Object.entries(map)) {
    const name = sanitizeLabelName(k);
    out[valuePrefix + name] = v;
    out[presentPrefix + name] = 'true';
  }
}

/** `namespace/name`, the key objects are stored and looked up by (`name` for nodes). */
export function objectKey(meta: ObjectMeta): string {
  return meta.namespace === undefined || meta.namespace === ''
    ? meta.name
    : `${meta.namespace}/${meta.name}`;
}

/** The pod's own labels (not its containers'), shared by the pod and endpoints roles. */
export function podLabels(pod: Pod): LabelSet {
  const p = `${META}pod_`;
  const out: LabelSet = {
    [`${p}ip`]: pod.status?.podIP ?? '',
    [`${p}ready`]: podReady(pod),
    [`${p}phase`]: pod.status?.phase ?? '',
    [`${p}node_name`]: pod.spec?.nodeName ?? '',
    [`${p}host_ip`]: pod.status?.hostIP ?? '',
    [`${p}uid`]: pod.metadata.uid ?? '',
  };
  addObjectMeta(out, pod.metadata, 'pod');
  const controller = pod.metadata.ownerReferences?.find((o) => o.controller === true);
  if (controller !== undefined) {
    if (controller.kind !== '') out[`${p}controller_kind`] = controller.kind;
    if (controller.name !== '') out[`${p}controller_name`] = controller.name;
  }
  return out;
}

/** The Ready condition's status in lower case; `unknown` when the pod reports none. */
function podReady(pod: Pod): string {
  const ready = pod.status?.conditions?.find((c) => c.type === 'Ready');
  return (ready?.status ?? 'Unknown').toLowerCase();
}

/**
 * With `attach_metadata.node`, the named node's name and labels; nothing when the option is
 * off, no node is named or the node is not (yet) known.
 */
export function nodeMetaLabels(lookups: Lookups, nodeName: string | undefined): LabelSet {
  if (lookups.node === undefined || nodeName === undefined) return {};
  const node = lookups.node(nodeName);
  if (node === undefined) return {};
  const out: LabelSet = { [`${META}node_name`]: nodeName };
  addMap(out, node.metadata.labels, `${META}node_label_`, `${META}node_labelpresent_`);
  return out;
}

/** The service's labels, which the endpoints roles attach to every target of its endpoints. */
export function serviceLabels(svc: Service): LabelSet {
  const out: LabelSet = { [NAMESPACE]: svc.metadata.namespace ?? '' };
  addObjectMeta(out, svc.metadata, 'service');
  return out;
}

/** `host:port`, bracketing IPv6 hosts as Go's net.JoinHostPort does. */
export function joinHostPort(host: string, port: number | string): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
