/**
 * @module
 * What the agent keeps of a pod: the fields its records get (labels, selected annotations,
 * owner, IP, container images) already shaped as the record's `kubernetes` object, and the
 * `vigil.io/*` annotations that steer collection. Whole pod objects are a few kilobytes to tens
 * of kilobytes (status, managed fields, `last-applied-configuration`); this keeps a few hundred
 * bytes of each, built once per change of the pod rather than once per file or line.
 *
 * The owner is the controlling owner reference; a ReplicaSet made by a Deployment is reported as
 * that Deployment — the ReplicaSet is named `<deployment>-<pod-template-hash>` and the pod
 * carries the hash as its `pod-template-hash` label, so the name is cut exactly, not guessed.
 */

import type { KubeObject, Pod } from '../../../metrics/discovery/kubernetes/api-types.js';

/** Annotation that drops a pod's lines (value `"true"`); `vigil.io/exclude-<container>` for one container. */
export const EXCLUDE_ANNOTATION = 'vigil.io/exclude';
/** Annotation that names a pod's parser; `vigil.io/parser-<container>` for one container. */
export const PARSER_ANNOTATION = 'vigil.io/parser';

/** Which metadata goes into records. */
export interface PodFieldOptions {
  labels: boolean;
  /** Annotation keys to include; `*` matches any run of characters. */
  annotations: readonly RegExp[];
  /** Replace `.` in label and annotation keys by `_` (for Elasticsearch mappings). */
  dedot: boolean;
}

/** The compact pod, as the pod informer stores it. */
export interface PodMeta extends KubeObject {
  metadata: { name: string; namespace: string; uid: string; resourceVersion?: string };
  /** Fields under `kubernetes` every record of the pod gets (besides the path's). */
  readonly fields: PodFields;
  /** `fields` as JSON text: compared to tell a change records see from a status-only one. */
  readonly fingerprint: string;
  /** Containers whose lines are dropped; `*` for all. */
  readonly exclude: ReadonlySet<string>;
  /** Parser name per container; `*` for the pod's default. */
  readonly parsers: ReadonlyMap<string, string>;
}

export interface PodFields {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  pod: { ip?: string; owner?: { kind: string; name: string } };
  /** Image per container name. */
  images: Record<string, string>;
}

/**
 * Compacts a pod (a list item or watch event object) for the cache.
 *
 * @example
 * const meta = podMeta(pod, { labels: true, annotations: [], dedot: false });
 * meta.fields.pod.owner; // { kind: 'Deployment', name: 'web' }
 */
export function podMeta(obj: KubeObject, o: PodFieldOptions): PodMeta {
  const pod = obj as Pod;
  const m = pod.metadata;
  const annotations = m.annotations ?? {};
  const fields: PodFields = { pod: {}, images: {} };
  if (o.labels && m.labels !== undefined && Object.keys(m.labels).length > 0) {
    fields.labels = rekey(m.labels, o.dedot);
  }
  if (o.annotations.length > 0) {
    const picked: Record<string, string> = {};
    let any = false;
    for (const [k, v] of Object.entries(annotations)) {
      if (o.annotations.some((re) => re.test(k))) {
        picked[o.dedot ? k.replaceAll('.', '_') : k] = v;
        any = true;
      }
    }
    if (any) fields.annotations = picked;
  }
  const ip = pod.status?.podIP;
  if (ip !== undefined && ip !== '') fields.pod.ip = ip;
  const owner = ownerOf(pod);
  if (owner !== undefined) fields.pod.owner = owner;
  for (const c of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]) {
    if (c.image !== undefined) fields.images[c.name] = c.image;
  }
  const exclude = new Set<string>();
  const parsers = new Map<string, string>();
  for (const [k, v] of Object.entries(annotations)) {
    if (k === EXCLUDE_ANNOTATION || k.startsWith(`${EXCLUDE_ANNOTATION}-`)) {
      if (v.trim().toLowerCase() === 'true') exclude.add(containerOf(k, EXCLUDE_ANNOTATION));
    } else if (k === PARSER_ANNOTATION || k.startsWith(`${PARSER_ANNOTATION}-`)) {
      parsers.set(containerOf(k, PARSER_ANNOTATION), v.trim());
    }
  }
  return {
    metadata: {
      name: m.name,
      namespace: m.namespace ?? '',
      uid: m.uid ?? '',
      resourceVersion: m.resourceVersion,
    },
    fields,
    fingerprint: JSON.stringify(fields),
    exclude,
    parsers,
  };
}

/** `*` for the pod-wide annotation, else the container named after its `-`. */
function containerOf(key: string, base: string): string {
  return key === base ? '*' : key.slice(base.length + 1);
}

function rekey(map: Record<string, string>, dedot: boolean): Record<string, string> {
  if (!dedot) return { ...map };
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(map)) out[k.replaceAll('.', '_')] = v;
  return out;
}

/** The controlling owner, a ReplicaSet resolved to its Deployment through `pod-template-hash`. */
export function ownerOf(pod: Pod): { kind: string; name: string } | undefined {
  const refs = pod.metadata.ownerReferences ?? [];
  const ref = refs.find((r) => r.controller === true) ?? refs[0];
  if (ref === undefined) return undefined;
  const hash = pod.metadata.labels?.['pod-template-hash'];
  if (ref.kind === 'ReplicaSet' && hash !== undefined && ref.name.endsWith(`-${hash}`)) {
    return { kind: 'Deployment', name: ref.name.slice(0, -hash.length - 1) };
  }
  return { kind: ref.kind, name: ref.name };
}

/**
 * Compiles annotation include patterns (`*` any run of characters, everything else literal).
 *
 * @example
 * annotationPatterns(['prometheus.io/*']).some((re) => re.test('prometheus.io/port')); // true
 */
export function annotationPatterns(patterns: readonly string[]): RegExp[] {
  return patterns.map((p) => new RegExp(`^${p.split('*').map(escapeRegExp).join('.*')}$`, 'u'));
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
