/**
 * @module
 * Runs the discoverers of every scrape job and tells subscribers the full set of target groups
 * per job. Updates are throttled, as Prometheus' discovery manager throttles them (every 5 s),
 * because a busy discoverer (a Kubernetes cluster rolling out) reports far more often than the
 * scrape manager should rebuild its targets.
 */

import type { Logger } from '../../lib/log/logger.js';
import type { Discoverer, TargetGroup } from './interface.js';

/** Every job's groups: discoverer by discoverer in configuration order, sources in first-report order. */
export type TargetSets = Map<string, TargetGroup[]>;

export interface DiscoveryManagerOptions {
  readonly log: Logger;
  /** Least time between two updates to subscribers, in ms; Prometheus' 5 s by default. */
  readonly updateInterval?: number;
}

/** One running discoverer and the groups it has reported, keyed by source. */
interface Runner {
  readonly groups: Map<string, TargetGroup>;
  reported: boolean;
}

interface Job {
  readonly fingerprint: string | undefined;
  readonly controller: AbortController;
  readonly runners: readonly Runner[];
}

export class DiscoveryManager {
  readonly #log: Logger;
  readonly #interval: number;
  #jobs = new Map<string, Job>();
  readonly #subscribers = new Set<(sets: TargetSets) => void>();
  /** Every runner not yet finished, including those of replaced jobs, for stop() to await. */
  readonly #live = new Set<Promise<void>>();
  #dirty = false;
  /** Set by apply() until the next update goes out: it goes out as soon as it is complete. */
  #prompt = false;
  #appliedAt = 0;
  #lastSent = -Infinity;
  #timer: NodeJS.Timeout | undefined;
  #due = Infinity;
  #stopped = false;

  /**
   * @example
   * const manager = new DiscoveryManager({ log });
   * manager.subscribe((sets) => scrapeManager.sync(sets));
   * manager.apply(new Map([['node', discoverers(job, ctx)]]), new Map([['node', fingerprint]]));
   */
  constructor(opts: DiscoveryManagerOptions) {
    this.#log = opts.log;
    this.#interval = opts.updateInterval ?? 5000;
  }

  /**
   * Calls `fn` with every update: a new map each time, shared by all subscribers, which they may
   * keep but must not change; the manager never changes it afterwards. Calls are synchronous from a timer and never overlap; an exception
   * is logged. Returns a function that unsubscribes.
   */
  subscribe(fn: (sets: TargetSets) => void): () => void {
    this.#subscribers.add(fn);
    return () => this.#subscribers.delete(fn);
  }

  /**
   * Makes `jobs` the set of jobs being discovered. A job whose fingerprint in `fingerprints` is
   * the same as that of the running job of its name keeps its running discoverers and their
   * groups (the new, unstarted ones given for it are ignored); every other job is restarted
   * with the discoverers given, and jobs absent from `jobs` are stopped. Without a fingerprint
   * a job is always restarted. A fingerprint must change whenever what the discoverers would
   * find could change: {@link discoveryFingerprint} in index.ts builds one from the
   * configuration.
   *
   * The next update goes out as soon as every started discoverer has made its first report
   * (or after the update interval, if one is slow), so new targets are scraped promptly.
   *
   * @throws {Error} after stop().
   */
  apply(
    jobs: ReadonlyMap<string, readonly Discoverer[]>,
    fingerprints: ReadonlyMap<string, string> = new Map(),
  ): void {
    if (this.#stopped) throw new Error('cannot apply discovery configuration: manager stopped');
    const next = new Map<string, Job>();
    for (const [name, discoverers] of jobs) {
      const fingerprint = fingerprints.get(name);
      const running = this.#jobs.get(name);
      if (
        running !== undefined &&
        fingerprint !== undefined &&
        running.fingerprint === fingerprint
      ) {
        next.set(name, running);
        this.#jobs.delete(name);
        continue;
      }
      next.set(name, this.#start(name, discoverers, fingerprint));
    }
    for (const job of this.#jobs.values()) job.controller.abort();
    this.#jobs = next;
    this.#prompt = true;
    this.#appliedAt = performance.now();
    this.#trigger();
  }

  /** Stops every discoverer and resolves when all have returned. No update is sent after. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    for (const job of this.#jobs.values()) job.controller.abort();
    this.#jobs.clear();
    await Promise.all(this.#live);
  }

  #start(name: string, discoverers: readonly Discoverer[], fingerprint?: string): Job {
    const controller = new AbortController();
    const runners = discoverers.map((d, i): Runner => {
      const runner: Runner = { groups: new Map(), reported: false };
      const update = (groups: TargetGroup[]): void => {
        if (controller.signal.aborted) return;
        for (const g of groups) {
          if (g.targets.length === 0) runner.groups.delete(g.source);
          else runner.groups.set(g.source, g);
        }
        runner.reported = true;
        this.#trigger();
      };
      // A discoverer that throws synchronously still counts as finished, not as a crash.
      const done = Promise.resolve()
        .then(() => d.run(update, controller.signal))
        .catch((err: unknown) => {
          this.#log.error('service discovery failed', { job: name, discoverer: i, err });
        })
        .finally(() => {
          // One that ended without reporting never will; the first update must not wait for it.
          if (runner.reported || controller.signal.aborted) return;
          runner.reported = true;
          this.#trigger();
        });
      this.#live.add(done);
      void done.finally(() => this.#live.delete(done));
      return runner;
    });
    return { fingerprint, controller, runners };
  }

  #trigger(): void {
    if (this.#stopped) return;
    this.#dirty = true;
    const now = performance.now();
    let due: number;
    if (!this.#prompt) due = this.#lastSent + this.#interval;
    else if (this.#allReported()) due = now;
    else due = this.#appliedAt + this.#interval;
    if (this.#timer !== undefined && this.#due <= due) return;
    clearTimeout(this.#timer);
    this.#due = due;
    this.#timer = setTimeout(() => this.#flush(), Math.max(0, due - now));
  }

  #allReported(): boolean {
    for (const job of this.#jobs.values()) {
      for (const r of job.runners) if (!r.reported) return false;
    }
    return true;
  }

  #flush(): void {
    this.#timer = undefined;
    this.#due = Infinity;
    if (!this.#dirty || this.#stopped) return;
    this.#dirty = false;
    this.#prompt = false;
    this.#lastSent = performance.now();
    const sets: TargetSets = new Map();
    for (const [name, job] of this.#jobs) {
      sets.set(
        name,
        job.runners.flatMap((r) => [...r.groups.values()]),
      );
    }
    for (const fn of this.#subscribers) {
      try {
        fn(sets);
      } catch (err) {
        this.#log.error('target set subscriber failed', { err });
      }
    }
  }
}
