/**
 * @module
 * The `endpointslice` role: one target per address of each endpoint and each port of a
 * discovery.k8s.io/v1 EndpointSlice, with the labels of the service the slice belongs to (its
 * `kubernetes.io/service-name` label) and of the backing pods. Optional fields (port, name,
 * conditions, hostname, zone) become labels only when the slice sets them.
 */

import type { EndpointSlice, SliceEndpoint, SlicePort } from './api-types.js';
import type { TargetGroup } from '../interface.js';
import type { LabelSet, Lookups } from './meta.js';
import {
  META,
  NAMESPACE,
  addObjectMeta,
  joinHostPort,
  nodeMetaLabels,
  sanitizeLabelName,
  serviceLabels,
} from './meta.js';
import { PodPorts } from './pod-ports.js';

const S = `${META}endpointslice_`;
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

/**
 * @example
 * buildEndpointSliceGroup(slice, lookups).source; // 'endpointslice/default/web-abc12'
 */
export function buildEndpointSliceGroup(slice: EndpointSlice, lookups: Lookups): TargetGroup {
  const ns = slice.metadata.namespace ?? '';
  const labels: LabelSet = { [NAMESPACE]: ns, [`${S}address_type`]: slice.addressType };
  addObjectMeta(labels, slice.metadata, 'endpointslice');
  const svcName = slice.metadata.labels?.[SERVICE_NAME_LABEL];
  const svc = svcName === undefined ? undefined : lookups.service(ns, svcName);
  if (svc !== undefined) Object.assign(labels, serviceLabels(svc));

  const pods = new PodPorts(lookups);
  const targets: LabelSet[] = [];
  const add = (addr: string, ep: SliceEndpoint, port: SlicePort) => {
    let target: LabelSet = {
      __address__: port.port === undefined ? addr : joinHostPort(addr, port.port),
    };
    if (port.name !== undefined) target[`${S}port_name`] = port.name;
    if (port.protocol !== undefined) target[`${S}port_protocol`] = port.protocol;
    if (port.port !== undefined) target[`${S}port`] = String(port.port);
    if (port.appProtocol !== undefined) target[`${S}port_app_protocol`] = port.appProtocol;
    const cond = ep.conditions ?? {};
    if (cond.ready !== undefined) target[`${S}endpoint_conditions_ready`] = String(cond.ready);
    if (cond.serving !== undefined) {
      target[`${S}endpoint_conditions_serving`] = String(cond.serving);
    }
    if (cond.terminating !== undefined) {
      target[`${S}endpoint_conditions_terminating`] = String(cond.terminating);
    }
    if (ep.hostname !== undefined) target[`${S}endpoint_hostname`] = ep.hostname;
    if (ep.targetRef !== undefined) {
      target[`${S}address_target_kind`] = ep.targetRef.kind ?? '';
      target[`${S}address_target_name`] = ep.targetRef.name ?? '';
    }
    if (ep.nodeName !== undefined) target[`${S}endpoint_node_name`] = ep.nodeName;
    if (ep.zone !== undefined) target[`${S}endpoint_zone`] = ep.zone;
    for (const [k, v] of Object.entries(ep.deprecatedTopology ?? {})) {
      const name = sanitizeLabelName(k);
      target[`${S}endpoint_topology_${name}`] = v;
      target[`${S}endpoint_topology_present_${name}`] = 'true';
    }
    const nodeName = ep.targetRef?.kind === 'Node' ? ep.targetRef.name : ep.nodeName;
    Object.assign(target, nodeMetaLabels(lookups, nodeName));
    const pod = pods.resolve(ep.targetRef);
    if (pod !== undefined) target = pods.enrich(target, pod, port.port);
    targets.push(target);
  };
  for (const ep of slice.endpoints ?? []) {
    for (const port of slice.ports ?? []) {
      for (const addr of ep.addresses) add(addr, ep, port);
    }
  }
  targets.push(...pods.uncovered());
  return { source: `endpointslice/${ns}/${slice.metadata.name}`, targets, labels };
}
