/**
 * @module
 * The `remote_write:` section: a list of remote endpoints in Prometheus' format, each with its
 * URL, HTTP client settings, `write_relabel_configs` and `queue_config`. Defaults are
 * Prometheus 3.x's, except that a 429 is retried by default (Prometheus needs
 * `retry_on_http_429: true` for that): dropping data a remote asked us to slow down for is
 * the wrong default for a system whose promise is to lose nothing.
 */

import { z } from 'zod';
import { relabelConfigsSchema } from '../metrics/model/relabel/config.js';
import { checkOneAuth, httpClientShape } from './http-client.js';
import { duration, httpUrl } from './types.js';

const positive = (what: string) => z.number().int().positive(`${what} must be at least 1`);

const queueConfig = z
  .strictObject({
    /** Samples each shard buffers before reading from the WAL waits. */
    capacity: positive('capacity').default(10_000),
    max_shards: positive('max_shards').default(50),
    min_shards: positive('min_shards').default(1),
    max_samples_per_send: positive('max_samples_per_send').default(2000),
    /** How long a shard waits to fill a request before it sends what it has. */
    batch_send_deadline: duration.prefault('5s').refine((ms) => ms > 0, 'must be greater than 0'),
    min_backoff: duration.prefault('30ms').refine((ms) => ms > 0, 'must be greater than 0'),
    max_backoff: duration.prefault('5s').refine((ms) => ms > 0, 'must be greater than 0'),
    retry_on_http_429: z.boolean().default(true),
    /** Samples older than this are dropped instead of sent; 0 sends everything. */
    sample_age_limit: duration.prefault('0'),
  })
  .superRefine((v, ctx) => {
    if (v.min_shards > v.max_shards) {
      ctx.addIssue({
        code: 'custom',
        path: ['min_shards'],
        message: `min_shards (${v.min_shards}) must not exceed max_shards (${v.max_shards})`,
      });
    }
    if (v.min_backoff > v.max_backoff) {
      ctx.addIssue({
        code: 'custom',
        path: ['min_backoff'],
        message: 'min_backoff must not exceed max_backoff',
      });
    }
  });

const url = httpUrl;

/** Headers Prometheus sets itself and refuses to let a configuration override. */
const RESERVED_HEADERS = [
  'authorization',
  'host',
  'content-encoding',
  'content-length',
  'content-type',
  'user-agent',
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'www-authenticate',
  'accept-encoding',
  'x-prometheus-remote-write-version',
  'x-prometheus-remote-read-version',
];

export const remoteWriteEntry = z
  .strictObject({
    url,
    /** Names the queue in metrics and logs, and keys its saved position; default from the URL. */
    name: z.string().optional(),
    remote_timeout: duration.prefault('30s').refine((ms) => ms > 0, 'must be greater than 0'),
    headers: z.record(z.string(), z.string()).default({}),
    write_relabel_configs: relabelConfigsSchema,
    queue_config: queueConfig.prefault({}),
    ...httpClientShape,
  })
  .superRefine((v, ctx) => {
    checkOneAuth(v, ctx);
    for (const name of Object.keys(v.headers)) {
      if (RESERVED_HEADERS.includes(name.toLowerCase())) {
        ctx.addIssue({
          code: 'custom',
          path: ['headers', name],
          message: `${name} is a reserved header and cannot be set`,
        });
      }
    }
  });

export type RemoteWriteConfig = z.output<typeof remoteWriteEntry>;

/** The list; names (given or derived) must be unique, as they key each queue's saved position. */
export const remoteWriteSection = z
  .preprocess((v) => (v === null ? undefined : v), z.array(remoteWriteEntry).default([]))
  .superRefine((list, ctx) => {
    const seen = new Map<string, number>();
    list.forEach((entry, i) => {
      const id = remoteWriteName(entry);
      const before = seen.get(id);
      if (before !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [i, entry.name === undefined ? 'url' : 'name'],
          message: `remote write ${JSON.stringify(id)} is configured twice (entries ${before} and ${i}); give them different names`,
        });
      }
      seen.set(id, i);
    });
  });

/** The queue's name: `name`, or the URL (Prometheus derives a hash; a URL reads better). */
export function remoteWriteName(entry: { name?: string; url: string }): string {
  return entry.name ?? entry.url;
}
