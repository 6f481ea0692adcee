/**
 * @module
 * The `node` role: one target per node, the kubelet's address. The host is the node's first
 * address of the first type present in Prometheus' order of preference; `instance` is the node
 * name, because the address alone does not say which node it is.
 */

import type { Node } from './api-types.js';
import type { TargetGroup } from '../interface.js';
import type { LabelSet } from './meta.js';
import { META, addObjectMeta, joinHostPort, sanitizeLabelName } from './meta.js';

const PREFERENCE = [
  'InternalIP',
  'InternalDNS',
  'ExternalIP',
  'ExternalDNS',
  'LegacyHostIP',
  'Hostname',
];

/**
 * A node with no address of a known type has no target (Prometheus keeps the node's previous
 * targets then; an empty group says the node cannot be scraped).
 *
 * @example
 * buildNodeGroup(node).targets[0]?.__address__; // '10.0.0.1:10250'
 */
export function buildNodeGroup(node: Node): TargetGroup {
  const source = `node/${node.metadata.name}`;
  const labels: LabelSet = {};
  addObjectMeta(labels, node.metadata, 'node');
  labels[`${META}node_provider_id`] = node.spec?.providerID ?? '';
  const first = new Map<string, string>();
  for (const a of node.status?.addresses ?? []) {
    if (!first.has(a.type)) first.set(a.type, a.address);
  }
  const type = PREFERENCE.find((t) => first.has(t));
  if (type === undefined) return { source, targets: [], labels };
  const port = node.status?.daemonEndpoints?.kubeletEndpoint?.Port ?? 0;
  const target: LabelSet = {
    __address__: joinHostPort(first.get(type)!, port),
    instance: node.metadata.name,
  };
  for (const [t, address] of first) {
    target[sanitizeLabelName(`${META}node_address_${t}`)] = address;
  }
  return { source, targets: [target], labels };
}
