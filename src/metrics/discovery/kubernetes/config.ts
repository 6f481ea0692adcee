/**
 * @module
 * One `kubernetes_sd_configs` entry in Prometheus' format: the role, where the API server is
 * (in-cluster credentials when `api_server` is absent), which namespaces to watch, label and
 * field selectors per watched resource, node metadata for pod-backed targets, and the usual
 * HTTP client settings. Validation follows Prometheus: selectors only for the resources the
 * role watches, one selector per resource, and no custom HTTP settings without `api_server`.
 */

import { z } from 'zod';
import { checkOneAuth, httpClientShape } from '../../../config/http-client.js';
import { httpUrl } from '../../../config/types.js';

export const ROLES = ['node', 'pod', 'service', 'endpoints', 'endpointslice', 'ingress'] as const;
export type Role = (typeof ROLES)[number];

/** Resources each role watches, hence the selector roles it accepts (node only with metadata). */
export const WATCHED: Readonly<Record<Role, readonly Role[]>> = {
  node: ['node'],
  pod: ['pod'],
  service: ['service'],
  endpoints: ['pod', 'service', 'endpoints'],
  endpointslice: ['pod', 'service', 'endpointslice'],
  ingress: ['ingress'],
};

const roleEnum = z.enum(ROLES, {
  error: (issue) =>
    issue.input === undefined
      ? `role missing (one of: ${ROLES.join(', ')})`
      : `invalid role ${JSON.stringify(issue.input)}, want one of: ${ROLES.join(', ')}`,
});

const selector = z.strictObject({
  role: roleEnum,
  /** A label selector as `kubectl -l` takes it, sent as `labelSelector`. */
  label: z.string().default(''),
  /** A field selector as `kubectl --field-selector` takes it, sent as `fieldSelector`. */
  field: z.string().default(''),
});

const apiServer = httpUrl;

export const kubernetesSdConfigSchema = z
  .strictObject({
    role: roleEnum,
    /** Absent: run in-cluster, with the pod's service account token and CA. */
    api_server: apiServer.optional(),
    namespaces: z
      .strictObject({
        /** Adds the namespace Vigil's own pod runs in. */
        own_namespace: z.boolean().default(false),
        names: z.array(z.string()).default([]),
      })
      .prefault({}),
    selectors: z.array(selector).default([]),
    attach_metadata: z.strictObject({ node: z.boolean().default(false) }).prefault({}),
    ...httpClientShape,
  })
  .superRefine((v, ctx) => {
    checkOneAuth(v, ctx);
    const allowed: readonly Role[] = v.attach_metadata.node
      ? [...WATCHED[v.role], 'node']
      : WATCHED[v.role];
    const seen = new Set<Role>();
    v.selectors.forEach((s, i) => {
      if (!allowed.includes(s.role)) {
        ctx.addIssue({
          code: 'custom',
          path: ['selectors', i, 'role'],
          message: `${s.role} is not a valid selector role for role ${v.role}, want one of: ${allowed.join(', ')}`,
        });
      }
      if (seen.has(s.role)) {
        ctx.addIssue({
          code: 'custom',
          path: ['selectors', i, 'role'],
          message: `duplicated selector role: ${s.role}`,
        });
      }
      seen.add(s.role);
    });
    const tls = v.tls_config;
    const customHttp =
      v.basic_auth !== undefined ||
      v.authorization !== undefined ||
      v.bearer_token !== undefined ||
      v.bearer_token_file !== undefined ||
      tls.insecure_skip_verify ||
      Object.entries(tls).some(([k, x]) => k !== 'insecure_skip_verify' && x !== undefined) ||
      !v.follow_redirects;
    if (v.api_server === undefined && customHttp) {
      ctx.addIssue({
        code: 'custom',
        message:
          "to use custom HTTP client configuration please provide the 'api_server' URL explicitly",
      });
    }
  });

export type KubernetesSdConfig = z.output<typeof kubernetesSdConfigSchema>;
