/**
 * @module
 * Prometheus' `alerting` section: the Alertmanagers alerts from rules are sent to
 * (`static_configs`, `file_sd_configs` or `kubernetes_sd_configs` targets, scheme, path prefix,
 * timeout, API v2, and Prometheus' HTTP client
 * settings: `basic_auth`, `authorization`, `tls_config`…) and the relabel rules applied to every
 * alert before it is sent.
 */

import { z } from 'zod';
import { discoveryShape } from '../metrics/discovery/index.js';
import { relabelConfigsSchema } from '../metrics/model/relabel/config.js';
import { checkOneAuth, httpClientShape } from './http-client.js';
import { duration, section } from './types.js';

const alertmanager = section({
  /** `static_configs`, `file_sd_configs`, `kubernetes_sd_configs`, as in scrape_configs. */
  ...discoveryShape,
  scheme: z.enum(['http', 'https']).default('http'),
  /** Prefix of the API path, for Alertmanagers behind a path (`/alertmanager`). */
  path_prefix: z.string().default('/'),
  /** Longest one request may take. */
  timeout: duration.prefault('10s').refine((ms) => ms > 0, 'must be greater than 0'),
  /** Only v2 exists in the Alertmanagers Vigil speaks to (v1 was removed in Alertmanager 0.27). */
  api_version: z.literal('v2').default('v2'),
  ...httpClientShape,
}).superRefine((v, ctx) => checkOneAuth(v, ctx));

export const alertingSection = section({
  /** Applied to every alert before it is sent; an alert relabelled to nothing is not sent. */
  alert_relabel_configs: relabelConfigsSchema,
  alertmanagers: z.array(alertmanager).default([]),
});
