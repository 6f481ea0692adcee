/**
 * @module
 * The `endpoints` role: one target per address and port of a core/v1 Endpoints object, ready
 * and not-ready addresses alike (`__meta_kubernetes_endpoint_ready` tells them apart), with the
 * labels of the service of the same name and of the backing pods.
 */

import type { EndpointAddress, EndpointPort, Endpoints } from './api-types.js';
import type { TargetGroup } from '../interface.js';
import type { LabelSet, Lookups } from './meta.js';
import {
  META,
  NAMESPACE,
  addObjectMeta,
  joinHostPort,
  nodeMetaLabels,
  serviceLabels,
} from './meta.js';
import { PodPorts } from './pod-ports.js';

const E = `${META}endpoint_`;

/**
 * @example
 * buildEndpointsGroup(eps, lookups).source; // 'endpoints/default/web'
 */
export function buildEndpointsGroup(eps: Endpoints, lookups: Lookups): TargetGroup {
  const ns = eps.metadata.namespace ?? '';
  const labels: LabelSet = { [NAMESPACE]: ns };
  addObjectMeta(labels, eps.metadata, 'endpoints');
  const svc = lookups.service(ns, eps.metadata.name);
  if (svc !== undefined) Object.assign(labels, serviceLabels(svc));

  const pods = new PodPorts(lookups);
  const targets: LabelSet[] = [];
  const add = (addr: EndpointAddress, port: EndpointPort, ready: boolean) => {
    let target: LabelSet = {
      __address__: joinHostPort(addr.ip, port.port),
      [`${E}port_name`]: port.name ?? '',
      [`${E}port_protocol`]: port.protocol ?? '',
      [`${E}ready`]: String(ready),
    };
    if (addr.targetRef !== undefined) {
      target[`${E}address_target_kind`] = addr.targetRef.kind ?? '';
      target[`${E}address_target_name`] = addr.targetRef.name ?? '';
    }
    if (addr.nodeName !== undefined) target[`${E}node_name`] = addr.nodeName;
    if (addr.hostname !== undefined && addr.hostname !== '') target[`${E}hostname`] = addr.hostname;
    Object.assign(target, nodeMetaLabels(lookups, addr.nodeName));
    const pod = pods.resolve(addr.targetRef);
    if (pod !== undefined) target = pods.enrich(target, pod, port.port);
    targets.push(target);
  };
  for (const subset of eps.subsets ?? []) {
    for (const port of subset.ports ?? []) {
      for (const addr of subset.addresses ?? []) add(addr, port, true);
      for (const addr of subset.notReadyAddresses ?? []) add(addr, port, false);
    }
  }
  targets.push(...pods.uncovered());
  return { source: `endpoints/${ns}/${eps.metadata.name}`, targets, labels };
}
