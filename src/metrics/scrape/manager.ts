/**
 * @module
 * All scrape jobs: builds a pool per `scrape_configs` entry, runs each job's discoverers in the
 * DiscoveryManager and hands every discovery update to the pools. On reload, a job whose
 * settings are unchanged keeps its pool (and its loops' schedules); a changed job gets a new
 * pool whose loops take over without staleness markers, since the same series go on; a removed
 * job's series are marked stale.
 */

import { effectiveJob, type GlobalConfig, type ScrapeJobConfig } from '../../config/scrape.js';
import type { Logger } from '../../lib/log/logger.js';
import type { Registry } from '../../lib/instrument/index.js';
import {
  DiscoveryManager,
  discoverers,
  discoveryFingerprint,
  fileSDMetrics,
  type FileSDMetrics,
  type TargetSets,
} from '../discovery/index.js';
import type { Appendable } from '../storage/interface.js';
import type { MetadataStore } from '../storage/metadata.js';
import { ScrapePool } from './pool.js';

export interface ScrapeManagerOptions {
  appendable: Appendable;
  metadata?: MetadataStore;
  log: Logger;
  registry?: Registry;
  /** Least time between discovery updates; Prometheus' 5 s by default. */
  discoveryInterval?: number;
}

/** What the scrape manager runs: the two sections, and where relative paths start. */
export interface ScrapeSettings {
  global: GlobalConfig;
  scrape_configs: readonly ScrapeJobConfig[];
  configDir: string;
}

export class ScrapeManager {
  readonly #options: ScrapeManagerOptions;
  readonly #discovery: DiscoveryManager;
  readonly #fileMetrics: FileSDMetrics;
  #pools = new Map<string, { pool: ScrapePool; fingerprint: string }>();
  #targets: TargetSets = new Map();

  constructor(options: ScrapeManagerOptions) {
    this.#options = options;
    this.#discovery = new DiscoveryManager({
      log: options.log.child({ component: 'discovery' }),
      updateInterval: options.discoveryInterval,
    });
    this.#fileMetrics = fileSDMetrics(options.registry);
    this.#discovery.subscribe((sets) => {
      this.#targets = sets;
      for (const [job, { pool }] of this.#pools) pool.sync(sets.get(job) ?? []);
    });
  }

  /** Every job's targets, in configuration order, for the targets API. */
  targetPools(): {
    job: string;
    active: ScrapePool['activeTargets'];
    dropped: ScrapePool['droppedTargets'];
    droppedCount: number;
  }[] {
    return [...this.#pools].map(([job, { pool }]) => ({
      job,
      active: pool.activeTargets,
      dropped: pool.droppedTargets,
      droppedCount: pool.droppedCount,
    }));
  }

  /**
   * Runs `settings`' jobs.
   *
   * @throws {Error} when a job cannot be set up (an unreadable TLS file); jobs set up before it
   *   keep running.
   */
  async apply(settings: ScrapeSettings): Promise<void> {
    const log = this.#options.log;
    const next = new Map<string, { pool: ScrapePool; fingerprint: string }>();
    const stopping: Promise<void>[] = [];
    const jobs = new Map<string, ReturnType<typeof discoverers>>();
    const discoveryFingerprints = new Map<string, string>();
    for (const config of settings.scrape_configs) {
      const job = effectiveJob(config, settings.global);
      const name = job.job_name;
      // Parsed settings are plain data (a relabel regex serialises as its pattern), so equal
      // text means the same job.
      const print = JSON.stringify(job);
      const running = this.#pools.get(name);
      if (running?.fingerprint === print) {
        next.set(name, running);
      } else {
        if (running !== undefined) stopping.push(running.pool.stop(false));
        const pool = new ScrapePool(job, {
          appendable: this.#options.appendable,
          metadata: this.#options.metadata,
          log: log.child({ scrape_pool: name }),
        });
        pool.sync(this.#targets.get(name) ?? []);
        next.set(name, { pool, fingerprint: print });
      }
      const ctx = { configDir: settings.configDir, log, fileMetrics: this.#fileMetrics };
      jobs.set(name, discoverers(job, ctx));
      discoveryFingerprints.set(name, discoveryFingerprint(job, settings.configDir));
    }
    for (const [name, { pool }] of this.#pools) {
      if (!next.has(name)) stopping.push(pool.stop(true));
    }
    this.#pools = next;
    this.#discovery.apply(jobs, discoveryFingerprints);
    await Promise.all(stopping);
  }

  async stop(): Promise<void> {
    await this.#discovery.stop();
    await Promise.all([...this.#pools.values()].map(({ pool }) => pool.stop(false)));
    this.#pools.clear();
  }
}
