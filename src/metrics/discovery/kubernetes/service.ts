/**
 * @module
 * The `service` role: one target per service port at the service's cluster DNS name
 * (`<name>.<namespace>.svc:<port>`), for probing services from outside (blackbox). The
 * cluster IP, external name or load balancer IP go with it as the service's type has them.
 */

import type { Service } from './api-types.js';
import type { TargetGroup } from '../interface.js';
import type { LabelSet } from './meta.js';
import { META, joinHostPort, serviceLabels } from './meta.js';

const S = `${META}service_`;

/**
 * @example
 * buildServiceGroup(svc).targets[0]?.__address__; // 'web.default.svc:80'
 */
export function buildServiceGroup(svc: Service): TargetGroup {
  const ns = svc.metadata.namespace ?? '';
  const type = svc.spec?.type ?? '';
  const targets = (svc.spec?.ports ?? []).map((port): LabelSet => {
    const target: LabelSet = {
      __address__: joinHostPort(`${svc.metadata.name}.${ns}.svc`, port.port),
      [`${S}port_name`]: port.name ?? '',
      [`${S}port_number`]: String(port.port),
      [`${S}port_protocol`]: port.protocol ?? '',
      [`${S}type`]: type,
    };
    if (type === 'ExternalName') target[`${S}external_name`] = svc.spec?.externalName ?? '';
    else target[`${S}cluster_ip`] = svc.spec?.clusterIP ?? '';
    if (type === 'LoadBalancer') target[`${S}loadbalancer_ip`] = svc.spec?.loadBalancerIP ?? '';
    return target;
  });
  return { source: `svc/${ns}/${svc.metadata.name}`, targets, labels: serviceLabels(svc) };
}
