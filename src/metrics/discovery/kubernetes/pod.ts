/**
 * @module
 * The `pod` role: one target per declared container port, and one port-less target (the pod
 * IP) per container that declares none, so relabeling can add a port. Init containers count as
 * containers, marked by `__meta_kubernetes_pod_container_init`. A pod without an IP (pending,
 * evicted) has no targets yet. A port-less target's address is the bare pod IP, IPv6 too, as
 * in Prometheus 2.x (recent 3.x releases bracket IPv6 there).
 */

import type { Container, ContainerStatus, Pod } from './api-types.js';
import type { TargetGroup } from '../interface.js';
import type { LabelSet, Lookups } from './meta.js';
import { META, NAMESPACE, joinHostPort, nodeMetaLabels, podLabels } from './meta.js';

const C = `${META}pod_container_`;

/**
 * @example
 * buildPodGroup(pod, lookups).source; // 'pod/default/web-0'
 */
export function buildPodGroup(pod: Pod, lookups: Lookups): TargetGroup {
  const source = `pod/${pod.metadata.namespace ?? ''}/${pod.metadata.name}`;
  const ip = pod.status?.podIP ?? '';
  if (ip === '') return { source, targets: [], labels: {} };
  const labels: LabelSet = {
    ...podLabels(pod),
    [NAMESPACE]: pod.metadata.namespace ?? '',
    ...nodeMetaLabels(lookups, pod.spec?.nodeName),
  };
  const targets: LabelSet[] = [];
  const add = (c: Container, statuses: ContainerStatus[] | undefined, init: boolean) => {
    const common: LabelSet = {
      [`${C}name`]: c.name,
      [`${C}id`]: statuses?.find((s) => s.name === c.name)?.containerID ?? '',
      [`${C}image`]: c.image ?? '',
      [`${C}init`]: String(init),
    };
    if (c.ports === undefined || c.ports.length === 0) {
      targets.push({ __address__: ip, ...common });
      return;
    }
    for (const port of c.ports) {
      targets.push({
        __address__: joinHostPort(ip, port.containerPort),
        ...common,
        [`${C}port_number`]: String(port.containerPort),
        [`${C}port_name`]: port.name ?? '',
        [`${C}port_protocol`]: port.protocol ?? '',
      });
    }
  };
  for (const c of pod.spec?.containers ?? []) add(c, pod.status?.containerStatuses, false);
  for (const c of pod.spec?.initContainers ?? []) add(c, pod.status?.initContainerStatuses, true);
  return { source, targets, labels };
}
