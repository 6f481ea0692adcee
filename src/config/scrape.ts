/**
 * @module
 * `global` and `scrape_configs`, in Prometheus' format, so that the same sections of a
 * `prometheus.yml` work unchanged. Per-job settings default to the global ones, which is
 * resolved here: the parsed job carries its effective interval, timeout and limits.
 */

import { z } from 'zod';
import { discoveryShape } from '../metrics/discovery/index.js';
import { relabelConfigsSchema } from '../metrics/model/relabel/config.js';
import { checkOneAuth, httpClientShape } from './http-client.js';
import { duration, size } from './types.js';

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

const labelSet = z.record(z.string(), z.string()).superRefine((labels, ctx) => {
  for (const name of Object.keys(labels)) {
    if (!LABEL_NAME.test(name) || name.startsWith('__')) {
      ctx.addIssue({
        code: 'custom',
        path: [name],
        message: `${JSON.stringify(name)} is not a valid label name`,
      });
    }
  }
});

const nonNegative = z.number().int().nonnegative();

/**
 * Exposition formats by Prometheus' names. The protobuf format is not among them: Vigil reads
 * the text formats only, so a configuration asking for it is refused rather than ignored.
 */
export const SCRAPE_PROTOCOLS = [
  'OpenMetricsText1.0.0',
  'OpenMetricsText0.0.1',
  'PrometheusText1.0.0',
  'PrometheusText0.0.4',
] as const;
export type ScrapeProtocol = (typeof SCRAPE_PROTOCOLS)[number];
const DEFAULT_SCRAPE_PROTOCOLS = SCRAPE_PROTOCOLS;

/** Limits that a job inherits from `global` when it sets none (0: no limit). */
const limitsShape = {
  sample_limit: nonNegative.optional(),
  label_limit: nonNegative.optional(),
  label_name_length_limit: nonNegative.optional(),
  label_value_length_limit: nonNegative.optional(),
  target_limit: nonNegative.optional(),
  body_size_limit: size.optional(),
};

export const globalSection = z
  .preprocess(
    (v) => (v === null ? undefined : v),
    z
      .strictObject({
        scrape_interval: duration.prefault('1m'),
        /** Default: 10s, or the interval when that is shorter (as Prometheus). */
        scrape_timeout: duration.optional(),
        evaluation_interval: duration.prefault('1m'),
        /** Added to every series sent by remote write and to alerts, as in Prometheus. */
        external_labels: labelSet.default({}),
        ...limitsShape,
      })
      .prefault({}),
  )
  .superRefine((g, ctx) => {
    if (g.scrape_timeout !== undefined && g.scrape_timeout > g.scrape_interval) {
      ctx.addIssue({
        code: 'custom',
        path: ['scrape_timeout'],
        message: 'global scrape timeout greater than scrape interval',
      });
    }
  });

const scrapeJob = z
  .strictObject({
    job_name: z.string().min(1, 'job_name is empty'),
    scrape_interval: duration.optional(),
    scrape_timeout: duration.optional(),
    metrics_path: z.string().default('/metrics'),
    scheme: z.enum(['http', 'https']).default('http'),
    params: z.record(z.string(), z.array(z.string())).default({}),
    honor_labels: z.boolean().default(false),
    honor_timestamps: z.boolean().default(true),
    /** Stale markers also for series that carry their own timestamps (off, as in Prometheus). */
    track_timestamps_staleness: z.boolean().default(false),
    /** Formats to ask for, most preferred first; Prometheus 3's default order. */
    scrape_protocols: z
      .array(z.enum(SCRAPE_PROTOCOLS))
      .min(1, 'scrape_protocols cannot be empty')
      .default([...DEFAULT_SCRAPE_PROTOCOLS])
      .superRefine((list, ctx) => {
        if (new Set(list).size !== list.length) {
          ctx.addIssue({ code: 'custom', message: 'duplicated protocol in scrape_protocols' });
        }
      }),
    /** How to read a body whose Content-Type is missing or not an exposition format. */
    fallback_scrape_protocol: z.enum(SCRAPE_PROTOCOLS).optional(),
    /** Ask targets for gzip. */
    enable_compression: z.boolean().default(true),
    /** Accepted for compatibility: Vigil's client speaks HTTP/1.1, which every exporter serves. */
    enable_http2: z.boolean().default(true),
    /** Most dropped targets listed by /api/v1/targets per job; 0 lists all. */
    keep_dropped_targets: nonNegative.default(0),
    relabel_configs: relabelConfigsSchema,
    metric_relabel_configs: relabelConfigsSchema,
    ...limitsShape,
    ...httpClientShape,
    ...discoveryShape,
  })
  .superRefine((v, ctx) => checkOneAuth(v, ctx));

export const scrapeConfigsSection = z
  .preprocess((v) => (v === null ? undefined : v), z.array(scrapeJob).default([]))
  .superRefine((jobs, ctx) => {
    const seen = new Map<string, number>();
    jobs.forEach((job, i) => {
      const before = seen.get(job.job_name);
      if (before !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [i, 'job_name'],
          message: `found multiple scrape configs with job name ${JSON.stringify(job.job_name)}`,
        });
      }
      seen.set(job.job_name, i);
    });
  });

/**
 * Prometheus' check across the two sections: a job's timeout, or the global one it inherits,
 * must not exceed its interval.
 */
export function checkScrapeTimeouts(
  config: { global: GlobalConfig; scrape_configs: ScrapeJobConfig[] },
  ctx: z.core.$RefinementCtx<unknown>,
): void {
  config.scrape_configs.forEach((job, i) => {
    const effective = effectiveJob(job, config.global);
    if (job.scrape_timeout !== undefined && effective.scrape_timeout > effective.scrape_interval) {
      ctx.addIssue({
        code: 'custom',
        path: ['scrape_configs', i, 'scrape_timeout'],
        message: `scrape timeout greater than scrape interval for scrape config with job name ${JSON.stringify(job.job_name)}`,
      });
    }
  });
}

export type GlobalConfig = z.output<typeof globalSection>;
export type ScrapeJobConfig = z.output<typeof scrapeJob>;

/** A job with the global defaults filled in: what the scraper runs. */
export interface EffectiveScrapeJob extends ScrapeJobConfig {
  scrape_interval: number;
  scrape_timeout: number;
  sample_limit: number;
  label_limit: number;
  label_name_length_limit: number;
  label_value_length_limit: number;
  target_limit: number;
  body_size_limit: number;
}

/** The global scrape timeout: as set, or 10s, or the global interval when that is shorter. */
export function globalTimeout(global: GlobalConfig): number {
  return global.scrape_timeout ?? Math.min(10_000, global.scrape_interval);
}

/**
 * Fills a job's unset settings from `global`; the timeout defaults to the smaller of the
 * global timeout and the job's interval, as Prometheus does.
 */
export function effectiveJob(job: ScrapeJobConfig, global: GlobalConfig): EffectiveScrapeJob {
  const interval = job.scrape_interval ?? global.scrape_interval;
  return {
    ...job,
    scrape_interval: interval,
    scrape_timeout: job.scrape_timeout ?? Math.min(globalTimeout(global), interval),
    sample_limit: job.sample_limit ?? global.sample_limit ?? 0,
    label_limit: job.label_limit ?? global.label_limit ?? 0,
    label_name_length_limit: job.label_name_length_limit ?? global.label_name_length_limit ?? 0,
    label_value_length_limit: job.label_value_length_limit ?? global.label_value_length_limit ?? 0,
    target_limit: job.target_limit ?? global.target_limit ?? 0,
    body_size_limit: job.body_size_limit ?? global.body_size_limit ?? 0,
  };
}
