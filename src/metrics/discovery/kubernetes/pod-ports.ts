/**
 * @module
 * What the `endpoints` and `endpointslice` roles add for endpoints backed by pods: the pod's
 * labels and, when a container declares the endpoint's port, that container's labels; then a
 * target for every container port of those pods that no endpoint covered, so a pod's other
 * ports (a metrics port beside the served one) can be scraped through the same service.
 */

import type { Container, ObjectReference, Pod } from './api-types.js';
import type { LabelSet, Lookups } from './meta.js';
import { META, joinHostPort, podLabels } from './meta.js';

const C = `${META}pod_container_`;

/** Collects the pods seen while building one endpoints object's targets. */
export class PodPorts {
  readonly #seen = new Map<string, { pod: Pod; ports: number[] }>();
  readonly #lookups: Lookups;

  constructor(lookups: Lookups) {
    this.#lookups = lookups;
  }

  /** The pod an endpoint's target reference names, if it is a pod we know. */
  resolve(ref: ObjectReference | undefined): Pod | undefined {
    if (ref?.kind !== 'Pod') return undefined;
    return this.#lookups.pod(ref.namespace ?? '', ref.name ?? '');
  }

  /**
   * Returns `target` with the pod's labels (and the matching container's) and remembers that
   * `port` of the pod is covered; `port` undefined covers nothing.
   */
  enrich(target: LabelSet, pod: Pod, port: number | undefined): LabelSet {
    const key = `${pod.metadata.namespace ?? ''}/${pod.metadata.name}`;
    let entry = this.#seen.get(key);
    if (entry === undefined) {
      entry = { pod, ports: [] };
      this.#seen.set(key, entry);
    }
    const out = { ...target, ...podLabels(pod) };
    if (port !== undefined) {
      entry.ports.push(port);
      const match = findPort(pod, port);
      if (match !== undefined) Object.assign(out, containerLabels(match.c, match.init, port));
    }
    return out;
  }

  /** Targets for the container ports of every seen pod that no endpoint port covered. */
  uncovered(): LabelSet[] {
    const out: LabelSet[] = [];
    for (const { pod, ports } of this.#seen.values()) {
      const ip = pod.status?.podIP ?? '';
      if (ip === '') continue;
      for (const { c, init } of containers(pod)) {
        for (const cport of c.ports ?? []) {
          if (ports.includes(cport.containerPort)) continue;
          out.push({
            __address__: joinHostPort(ip, cport.containerPort),
            ...containerLabels(c, init, cport.containerPort),
            ...podLabels(pod),
          });
        }
      }
    }
    return out;
  }
}

function containers(pod: Pod): { c: Container; init: boolean }[] {
  return [
    ...(pod.spec?.containers ?? []).map((c) => ({ c, init: false })),
    ...(pod.spec?.initContainers ?? []).map((c) => ({ c, init: true })),
  ];
}

function findPort(pod: Pod, port: number): { c: Container; init: boolean } | undefined {
  return containers(pod).find(({ c }) => c.ports?.some((p) => p.containerPort === port));
}

function containerLabels(c: Container, init: boolean, port: number): LabelSet {
  const cport = c.ports?.find((p) => p.containerPort === port);
  return {
    [`${C}name`]: c.name,
    [`${C}image`]: c.image ?? '',
    [`${C}port_name`]: cport?.name ?? '',
    [`${C}port_number`]: String(port),
    [`${C}port_protocol`]: cport?.protocol ?? '',
    [`${C}init`]: String(init),
  };
}
