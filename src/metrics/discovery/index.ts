/**
 * @module
 * What the scrape configuration needs from service discovery: the schemas of the `*_sd_configs`
 * keys of a `scrape_configs` entry, and the discoverers such an entry asks for.
 *
 * @example
 * const job = z.strictObject({ job_name: z.string(), ...discoveryShape });
 * const ds = discoverers(parsedJob, { configDir: dirname(configFile), log });
 * manager.apply(new Map([[parsedJob.job_name, ds]]),
 *   new Map([[parsedJob.job_name, discoveryFingerprint(parsedJob, configDir)]]));
 */

import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import type { Logger } from '../../lib/log/logger.js';
import { FileDiscoverer } from './file/file.js';
import type { FileSDMetrics } from './file/metrics.js';
import { fileSDConfigsSchema, type FileSDConfig } from './file/config.js';
import type { Discoverer } from './interface.js';
import {
  kubernetesDiscoverer,
  kubernetesSdConfigSchema,
  type KubernetesSdConfig,
} from './kubernetes/index.js';
import { staticConfigsSchema, type StaticConfig } from './static/config.js';
import { StaticDiscoverer } from './static/static.js';

export { fileSDConfigSchema, fileSDConfigsSchema, type FileSDConfig } from './file/config.js';
export { fileSDMetrics, type FileSDMetrics } from './file/metrics.js';
export { FILEPATH_LABEL } from './file/read.js';
export { staticConfigSchema, staticConfigsSchema, type StaticConfig } from './static/config.js';
export { DiscoveryManager, type DiscoveryManagerOptions, type TargetSets } from './manager.js';
export type { Discoverer, TargetGroup } from './interface.js';

/** The discovery keys of a `scrape_configs` entry, to spread into its schema's shape. */
export const discoveryShape = {
  static_configs: staticConfigsSchema,
  file_sd_configs: fileSDConfigsSchema,
  kubernetes_sd_configs: z.preprocess(
    (v) => (v === null ? undefined : v),
    z.array(kubernetesSdConfigSchema).default([]),
  ),
};

/** The discovery part of a parsed `scrape_configs` entry. */
export interface DiscoveryConfig {
  readonly static_configs: readonly StaticConfig[];
  readonly file_sd_configs: readonly FileSDConfig[];
  readonly kubernetes_sd_configs: readonly KubernetesSdConfig[];
}

export interface DiscoveryContext {
  /** The configuration file's directory; relative `files` paths are resolved against it. */
  readonly configDir: string;
  readonly log: Logger;
  /** Metrics shared by all file discoverers; made unregistered when omitted. */
  readonly fileMetrics?: FileSDMetrics;
}

/**
 * The discoverers of one job: one for all its `static_configs` (if any), then one per
 * `file_sd_configs` entry. None runs until the DiscoveryManager starts it.
 *
 * @example
 * discoverers({ static_configs: [{ targets: ['localhost:9700'], labels: {} }], file_sd_configs: [] },
 *   { configDir: '/etc/vigil', log }); // [StaticDiscoverer]
 */
export function discoverers(cfg: DiscoveryConfig, ctx: DiscoveryContext): Discoverer[] {
  const out: Discoverer[] = [];
  if (cfg.static_configs.length > 0) out.push(new StaticDiscoverer(cfg.static_configs));
  for (const f of cfg.file_sd_configs) {
    out.push(
      new FileDiscoverer({
        files: f.files.map((p) => (isAbsolute(p) ? p : resolve(ctx.configDir, p))),
        refreshInterval: f.refresh_interval,
        log: ctx.log.child({ discovery: 'file' }),
        metrics: ctx.fileMetrics,
      }),
    );
  }
  for (const k of cfg.kubernetes_sd_configs) {
    out.push(kubernetesDiscoverer(k, { log: ctx.log.child({ discovery: 'kubernetes' }) }));
  }
  return out;
}

/**
 * A string that changes exactly when the discoverers {@link discoverers} would build for `cfg`
 * could find something else: pass it to {@link DiscoveryManager.apply} so that a reload that
 * leaves a job's discovery alone keeps its discoverers running.
 *
 * @example
 * discoveryFingerprint(job, '/etc/vigil') === discoveryFingerprint(sameJob, '/etc/vigil'); // true
 */
export function discoveryFingerprint(cfg: DiscoveryConfig, configDir: string): string {
  return JSON.stringify([
    configDir,
    cfg.static_configs,
    cfg.file_sd_configs,
    cfg.kubernetes_sd_configs,
  ]);
}
