/**
 * @module
 * The `ingress` role: one target per rule host and path, for probing what an ingress exposes.
 * The scheme is https when a TLS entry covers the host (exactly or by a `*.` wildcard that
 * replaces the first label). A rule without `http` stands for `/`; an empty path too.
 */

import type { Ingress } from './api-types.js';
import type { TargetGroup } from '../interface.js';
import type { LabelSet } from './meta.js';
import { META, NAMESPACE, addObjectMeta } from './meta.js';

const I = `${META}ingress_`;

/**
 * @example
 * buildIngressGroup(ing).targets[0]?.__meta_kubernetes_ingress_scheme; // 'https'
 */
export function buildIngressGroup(ing: Ingress): TargetGroup {
  const ns = ing.metadata.namespace ?? '';
  const labels: LabelSet = { [NAMESPACE]: ns };
  addObjectMeta(labels, ing.metadata, 'ingress');
  const cls = ing.spec?.ingressClassName;
  if (cls !== undefined) labels[`${I}class_name`] = cls;
  const tlsHosts = (ing.spec?.tls ?? []).flatMap((t) => t.hosts ?? []);
  const targets: LabelSet[] = [];
  for (const rule of ing.spec?.rules ?? []) {
    const host = rule.host ?? '';
    const scheme = tlsHosts.some((p) => hostMatches(p, host)) ? 'https' : 'http';
    // An `http` block with an empty path list yields no target, as in Prometheus.
    const paths =
      rule.http === undefined ? ['/'] : (rule.http.paths ?? []).map((p) => p.path || '/');
    for (const path of paths) {
      targets.push({
        __address__: host,
        [`${I}scheme`]: scheme,
        [`${I}host`]: host,
        [`${I}path`]: path,
      });
    }
  }
  return { source: `ingress/${ns}/${ing.metadata.name}`, targets, labels };
}

function hostMatches(pattern: string, host: string): boolean {
  if (pattern === host) return true;
  const p = pattern.split('.');
  const h = host.split('.');
  if (p[0] !== '*' || p.length !== h.length) return false;
  return p.every((part, i) => i === 0 || part === h[i]);
}
