/**
 * @module
 * The targets of one scrape job: turns discovered groups into targets, keeps one loop per
 * distinct target (same labels and URL: the same loop, so a rediscovered target keeps its
 * schedule and its staleness state), stops the loops of targets that went away (marking their
 * series stale), and enforces `target_limit` as Prometheus does: over the limit, no target of
 * the job is scraped and each shows the error.
 */

import type { EffectiveScrapeJob } from '../../config/scrape.js';
import { HttpClient } from '../../lib/http-client/client.js';
import type { Logger } from '../../lib/log/logger.js';
import type { Labels } from '../model/labels.js';
import type { TargetGroup } from '../discovery/interface.js';
import type { Appendable } from '../storage/interface.js';
import type { MetadataStore } from '../storage/metadata.js';
import { ScrapeLoop } from './loop.js';
import { populateTarget } from './target.js';

export interface ActiveTarget {
  discovered: Labels;
  labels: Labels;
  url: string;
  interval: number;
  timeout: number;
  /** The loop scraping it; null while the job is over its target limit or the target invalid. */
  loop: ScrapeLoop | null;
  /** Why it is not scraped, when `loop` is null. */
  error: string;
}

export interface PoolContext {
  appendable: Appendable;
  metadata?: MetadataStore;
  log: Logger;
}

export class ScrapePool {
  readonly job: EffectiveScrapeJob;
  readonly #ctx: PoolContext;
  readonly #client: HttpClient;
  /** Loops by target identity (labels key and URL). */
  #loops = new Map<string, ScrapeLoop>();
  #active: ActiveTarget[] = [];
  #dropped: Labels[] = [];
  #droppedCount = 0;
  #stopped = false;

  /** @throws {Error} when a TLS file of the job cannot be read. */
  constructor(job: EffectiveScrapeJob, ctx: PoolContext) {
    this.job = job;
    this.#ctx = ctx;
    this.#client = new HttpClient(job);
  }

  get activeTargets(): readonly ActiveTarget[] {
    return this.#active;
  }

  /** Dropped targets, at most `keep_dropped_targets` of them. */
  get droppedTargets(): readonly Labels[] {
    return this.#dropped;
  }

  /** How many targets relabeling dropped, all of them counted. */
  get droppedCount(): number {
    return this.#droppedCount;
  }

  /** Replaces the job's targets with those of `groups`. */
  sync(groups: readonly TargetGroup[]): void {
    if (this.#stopped) return;
    const active: ActiveTarget[] = [];
    const dropped: Labels[] = [];
    const seen = new Set<string>();
    for (const group of groups) {
      for (const target of group.targets) {
        const t = populateTarget(group, target, this.job);
        if (t.kind === 'dropped') {
          dropped.push(t.discovered);
          continue;
        }
        if (t.kind === 'invalid') {
          this.#ctx.log.warn('invalid target', {
            job: this.job.job_name,
            labels: t.discovered.toString(),
            err: t.error,
          });
          dropped.push(t.discovered);
          continue;
        }
        const key = `${t.labels.key}\u0000${t.url}`;
        // Two discovered targets that relabel into the same one are scraped once.
        if (seen.has(key)) continue;
        seen.add(key);
        active.push({ ...t, loop: null, error: '' });
      }
    }
    const limit = this.job.target_limit;
    const overLimit = limit > 0 && active.length > limit;
    const loops = new Map<string, ScrapeLoop>();
    if (!overLimit) {
      for (const t of active) {
        const key = `${t.labels.key}\u0000${t.url}`;
        let loop = this.#loops.get(key);
        if (
          loop === undefined ||
          loop.options.interval !== t.interval ||
          loop.options.timeout !== t.timeout
        ) {
          if (loop !== undefined) void loop.stop(false);
          loop = new ScrapeLoop({
            url: t.url,
            labels: t.labels,
            interval: t.interval,
            timeout: t.timeout,
            job: this.job,
            client: this.#client,
            appendable: this.#ctx.appendable,
            metadata: this.#ctx.metadata,
            log: this.#ctx.log,
          });
          loop.start();
        }
        loops.set(key, loop);
        t.loop = loop;
      }
    } else {
      for (const t of active) {
        t.error = `target_limit exceeded (number of targets: ${active.length}, limit: ${limit})`;
      }
    }
    for (const [key, loop] of this.#loops) if (!loops.has(key)) void loop.stop(true);
    this.#loops = loops;
    this.#active = active;
    const keep = this.job.keep_dropped_targets;
    this.#dropped = keep > 0 ? dropped.slice(0, keep) : dropped;
    this.#droppedCount = dropped.length;
  }

  /** Stops every loop; `stale` marks their series stale (the job is gone, not reloaded). */
  async stop(stale: boolean): Promise<void> {
    this.#stopped = true;
    await Promise.all([...this.#loops.values()].map((l) => l.stop(stale)));
    this.#loops.clear();
    this.#client.close();
  }
}
