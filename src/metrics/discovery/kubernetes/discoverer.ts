/**
 * @module
 * Runs one `kubernetes_sd_configs` entry: an informer for the role's resource and for every
 * resource its targets are enriched from (services and pods for the endpoints roles, nodes
 * with `attach_metadata.node`), and turns changes of any of them into target groups of the
 * role's objects. After every informer has listed once, the first update carries all groups;
 * later ones carry the groups whose object, or an object it was enriched from, changed.
 */

import { setMaxListeners } from 'node:events';
import { readFileSync } from 'node:fs';
import type { Logger } from '../../../lib/log/logger.js';
import type { Discoverer, TargetGroup } from '../interface.js';
import type { EndpointSlice, Endpoints, KubeObject, Node, Pod, Service } from './api-types.js';
import { KubeClient, SERVICE_ACCOUNT_DIR, resolveApiEndpoint } from './client.js';
import type { KubernetesSdConfig, Role } from './config.js';
import { WATCHED } from './config.js';
import { buildEndpointSliceGroup, SERVICE_NAME_LABEL } from './endpointslice.js';
import { buildEndpointsGroup } from './endpoints.js';
import { buildIngressGroup } from './ingress.js';
import { Informer } from './informer.js';
import type { Lookups } from './meta.js';
import { objectKey } from './meta.js';
import { buildNodeGroup } from './node.js';
import { buildPodGroup } from './pod.js';
import { buildServiceGroup } from './service.js';

const RESOURCES: Readonly<Record<Role, { group: string; plural: string; source: string }>> = {
  node: { group: '/api/v1', plural: 'nodes', source: 'node' },
  pod: { group: '/api/v1', plural: 'pods', source: 'pod' },
  service: { group: '/api/v1', plural: 'services', source: 'svc' },
  endpoints: { group: '/api/v1', plural: 'endpoints', source: 'endpoints' },
  endpointslice: {
    group: '/apis/discovery.k8s.io/v1',
    plural: 'endpointslices',
    source: 'endpointslice',
  },
  ingress: { group: '/apis/networking.k8s.io/v1', plural: 'ingresses', source: 'ingress' },
};

export interface DiscovererContext {
  log: Logger;
  /** Environment and service account directory for in-cluster mode; tests replace them. */
  env?: NodeJS.ProcessEnv;
  serviceAccountDir?: string;
}

/**
 * @example
 * const d = kubernetesDiscoverer(kubernetesSdConfigSchema.parse({ role: 'pod', api_server: 'http://127.0.0.1:8001' }), { log });
 * await d.run((groups) => console.log(groups), signal);
 */
export function kubernetesDiscoverer(
  config: KubernetesSdConfig,
  ctx: DiscovererContext,
): Discoverer {
  return { run: (update, signal) => run(config, ctx, update, signal) };
}

async function run(
  config: KubernetesSdConfig,
  ctx: DiscovererContext,
  update: (groups: TargetGroup[]) => void,
  outer: AbortSignal,
): Promise<void> {
  // Every list, watch and backoff listens for the abort; one listener on the caller's signal
  // (shared with other discoverers) and a signal of our own keep Node's leak warning quiet.
  const own = new AbortController();
  setMaxListeners(0, own.signal);
  const stop = () => own.abort(outer.reason);
  if (outer.aborted) stop();
  else outer.addEventListener('abort', stop, { once: true });
  const signal = own.signal;
  const log = ctx.log.child({ discovery: 'kubernetes', role: config.role });
  const saDir = ctx.serviceAccountDir ?? SERVICE_ACCOUNT_DIR;
  let client: KubeClient;
  let namespaces: string[] | undefined;
  try {
    client = new KubeClient(resolveApiEndpoint(config, ctx.env, saDir));
    namespaces = watchedNamespaces(config, saDir);
  } catch (err) {
    // Nothing here changes without a new configuration, so retrying would not help.
    log.error('cannot start Kubernetes discovery', { err });
    update([]);
    await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
    return;
  }

  const role = config.role;
  const dirty = new Set<string>();
  let ready = false;
  let scheduled = false;
  const informers = new Map<Role, Informer<KubeObject>>();
  const store = <T extends KubeObject>(r: Role) =>
    (informers.get(r) as Informer<T> | undefined)?.store ?? new Map<string, T>();
  const lookups: Lookups = {
    pod: (ns, name) => store<Pod>('pod').get(`${ns}/${name}`),
    service: (ns, name) => store<Service>('service').get(`${ns}/${name}`),
    node: config.attach_metadata.node ? (name) => store<Node>('node').get(name) : undefined,
  };

  const flush = () => {
    scheduled = false;
    if (dirty.size === 0 || signal.aborted) return;
    const primary = store(role);
    const groups = [...dirty].map((key) => {
      const obj = primary.get(key);
      return obj === undefined
        ? { source: `${RESOURCES[role].source}/${key}`, targets: [], labels: {} }
        : buildGroup(role, obj, lookups);
    });
    dirty.clear();
    update(groups);
  };
  const markDirty = (keys: Iterable<string>) => {
    for (const k of keys) dirty.add(k);
    if (ready && !scheduled && dirty.size > 0) {
      scheduled = true;
      setImmediate(flush);
    }
  };

  const selectors = new Map(config.selectors.map((s) => [s.role, s]));
  const watched: Role[] = [...WATCHED[role]];
  if (config.attach_metadata.node && ['pod', 'endpoints', 'endpointslice'].includes(role)) {
    watched.push('node');
  }
  for (const r of watched) {
    informers.set(
      r,
      new Informer({
        client,
        ...RESOURCES[r],
        namespaces: r === 'node' ? undefined : namespaces,
        labelSelector: selectors.get(r)?.label ?? '',
        fieldSelector: selectors.get(r)?.field ?? '',
        log,
        onChange: (obj) => {
          markDirty(
            r === role ? [objectKey(obj.metadata)] : affected(role, r, obj, store(role).values()),
          );
        },
      }),
    );
  }

  let pending = informers.size;
  const runs = [...informers.values()].map((inf) =>
    inf.run(signal, () => {
      if (--pending > 0) return;
      ready = true;
      dirty.clear();
      update([...store(role).values()].map((obj) => buildGroup(role, obj, lookups)));
    }),
  );
  await Promise.all(runs);
  outer.removeEventListener('abort', stop);
  client.close();
}

function buildGroup(role: Role, obj: KubeObject, lookups: Lookups): TargetGroup {
  switch (role) {
    case 'node':
      return buildNodeGroup(obj);
    case 'pod':
      return buildPodGroup(obj, lookups);
    case 'service':
      return buildServiceGroup(obj);
    case 'endpoints':
      return buildEndpointsGroup(obj, lookups);
    case 'endpointslice':
      return buildEndpointSliceGroup(obj as EndpointSlice, lookups);
    case 'ingress':
      return buildIngressGroup(obj);
  }
}

/** Keys of the role's objects whose targets carry labels of `obj`, a `kind` object. */
function affected(
  role: Role,
  kind: Role,
  obj: KubeObject,
  objects: Iterable<KubeObject>,
): string[] {
  const ns = obj.metadata.namespace ?? '';
  const name = obj.metadata.name;
  const keys: string[] = [];
  for (const o of objects) {
    if (refersTo(role, kind, o, ns, name)) keys.push(objectKey(o.metadata));
  }
  return keys;
}

function refersTo(role: Role, kind: Role, o: KubeObject, ns: string, name: string): boolean {
  if (kind !== 'node' && (o.metadata.namespace ?? '') !== ns) return false;
  if (role === 'pod') return (o as Pod).spec?.nodeName === name;
  if (role === 'endpoints') {
    if (kind === 'service') return o.metadata.name === name;
    return ((o as Endpoints).subsets ?? []).some((s) =>
      [...(s.addresses ?? []), ...(s.notReadyAddresses ?? [])].some((a) =>
        kind === 'node'
          ? a.nodeName === name
          : a.targetRef?.kind === 'Pod' && a.targetRef.name === name,
      ),
    );
  }
  if (role === 'endpointslice') {
    const slice = o as EndpointSlice;
    if (kind === 'service') return slice.metadata.labels?.[SERVICE_NAME_LABEL] === name;
    return (slice.endpoints ?? []).some((e) =>
      kind === 'node'
        ? e.nodeName === name || (e.targetRef?.kind === 'Node' && e.targetRef.name === name)
        : e.targetRef?.kind === 'Pod' && e.targetRef.name === name,
    );
  }
  return false;
}

/** The configured namespaces plus our own; undefined means all namespaces. */
function watchedNamespaces(config: KubernetesSdConfig, saDir: string): string[] | undefined {
  const names = [...config.namespaces.names];
  if (config.namespaces.own_namespace) {
    const file = `${saDir}/namespace`;
    try {
      names.push(readFileSync(file, 'utf8').trim());
    } catch (err) {
      throw new Error(`cannot read own namespace from ${file}: ${(err as Error).message}`, {
        cause: err,
      });
    }
  }
  return names.length === 0 ? undefined : [...new Set(names)];
}
