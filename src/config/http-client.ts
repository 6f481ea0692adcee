/**
 * @module
 * Prometheus' HTTP client settings (`basic_auth`, `authorization`, `bearer_token`, `tls_config`,
 * `follow_redirects`), shared by every section that makes outgoing requests: remote write now,
 * scrape configs and Alertmanager clients later. Keys, defaults and the exclusivity rules are
 * Prometheus' (common/config/http_config.go's documented behaviour), so blocks copied from a
 * `prometheus.yml` mean the same here.
 */

import { z } from 'zod';
import { secret } from './types.js';

const basicAuth = z
  .strictObject({
    username: z.string().default(''),
    username_file: z.string().optional(),
    password: secret.optional(),
    password_file: z.string().optional(),
  })
  .superRefine((v, ctx) => {
    if (v.username !== '' && v.username_file !== undefined) {
      ctx.addIssue({ code: 'custom', message: 'at most one of username and username_file' });
    }
    if (v.password !== undefined && v.password_file !== undefined) {
      ctx.addIssue({ code: 'custom', message: 'at most one of password and password_file' });
    }
  });

const authorization = z
  .strictObject({
    type: z.string().default('Bearer'),
    credentials: secret.optional(),
    credentials_file: z.string().optional(),
  })
  .superRefine((v, ctx) => {
    if (v.type.toLowerCase() === 'basic') {
      ctx.addIssue({
        code: 'custom',
        path: ['type'],
        message: 'authorization type cannot be set to "basic", use "basic_auth" instead',
      });
    }
    if (v.credentials !== undefined && v.credentials_file !== undefined) {
      ctx.addIssue({ code: 'custom', message: 'at most one of credentials and credentials_file' });
    }
  });

const TLS_VERSIONS = ['TLS10', 'TLS11', 'TLS12', 'TLS13'] as const;

const tlsConfig = z
  .strictObject({
    ca: z.string().optional(),
    ca_file: z.string().optional(),
    cert: z.string().optional(),
    cert_file: z.string().optional(),
    key: secret.optional(),
    key_file: z.string().optional(),
    /** The name the server's certificate must carry; default the URL's host. */
    server_name: z.string().optional(),
    insecure_skip_verify: z.boolean().default(false),
    min_version: z.enum(TLS_VERSIONS).optional(),
    max_version: z.enum(TLS_VERSIONS).optional(),
  })
  .superRefine((v, ctx) => {
    for (const k of ['ca', 'cert', 'key'] as const) {
      if (v[k] !== undefined && v[`${k}_file`] !== undefined) {
        ctx.addIssue({ code: 'custom', message: `at most one of ${k} and ${k}_file` });
      }
    }
    const hasCert = v.cert !== undefined || v.cert_file !== undefined;
    const hasKey = v.key !== undefined || v.key_file !== undefined;
    if (hasCert !== hasKey) {
      ctx.addIssue({
        code: 'custom',
        message:
          'client certificate and key must be given together (cert/cert_file with key/key_file)',
      });
    }
  });

/** The keys of Prometheus' HTTP client configuration, to spread into a section's shape. */
export const httpClientShape = {
  basic_auth: basicAuth.optional(),
  authorization: authorization.optional(),
  /** Deprecated in Prometheus in favour of `authorization`; still read. */
  bearer_token: secret.optional(),
  bearer_token_file: z.string().optional(),
  tls_config: tlsConfig.prefault({}),
  follow_redirects: z.boolean().default(true),
};

/** Prometheus allows one way to authenticate per client. */
export function checkOneAuth(
  v: {
    basic_auth?: unknown;
    authorization?: unknown;
    bearer_token?: string;
    bearer_token_file?: string;
  },
  ctx: z.core.$RefinementCtx<unknown>,
): void {
  const given = [
    v.basic_auth !== undefined && 'basic_auth',
    v.authorization !== undefined && 'authorization',
    v.bearer_token !== undefined && 'bearer_token',
    v.bearer_token_file !== undefined && 'bearer_token_file',
  ].filter((x): x is string => x !== false);
  if (given.length > 1) {
    ctx.addIssue({
      code: 'custom',
      message: `at most one of basic_auth, authorization, bearer_token and bearer_token_file may be configured, got ${given.join(' and ')}`,
    });
  }
}

export type HttpClientConfig = z.output<z.ZodObject<typeof httpClientShape>>;
