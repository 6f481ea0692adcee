/**
 * @module
 * The rule manager: runs the groups of the configured rule files and swaps them on reload. A
 * group that is still in the files after a reload (same file and name) keeps its alerts and
 * staleness state; a group that is gone stops, and the series it wrote get staleness markers,
 * as in Prometheus.
 */

import { systemClock, type Clock } from '../../lib/clock/clock.js';
import type { Logger } from '../../lib/log/logger.js';
import type { Appendable, Queryable } from '../storage/interface.js';
import type { AlertContext } from './alerting.js';
import type { RuleGroupConfig } from './file.js';
import { Group, type NotifyFn } from './group.js';
import { ruleMetrics, type RuleMetrics } from './metrics.js';
import { DEFAULT_RESTORE, type RestoreOptions } from './restore.js';
import type { QueryFn } from './rule.js';

export interface ManagerOptions {
  readonly query: QueryFn;
  readonly queryable: Queryable;
  readonly appendable: Appendable;
  readonly log: Logger;
  readonly notify?: NotifyFn;
  readonly clock?: Clock;
  readonly restore?: RestoreOptions;
  /** ms (default 1m). */
  readonly resendDelay?: number;
  /** Where evaluation metrics go; unregistered when absent. */
  readonly metrics?: RuleMetrics;
}

/** What {@link RuleManager.update} applies. */
export interface RuleSettings {
  readonly groups: readonly RuleGroupConfig[];
  /** ms; the interval of groups that set none. */
  readonly evaluationInterval: number;
  readonly context: AlertContext;
}

export class RuleManager {
  #groups: Group[] = [];
  readonly #opts: ManagerOptions;
  readonly #metrics: RuleMetrics;
  #started = false;

  constructor(opts: ManagerOptions) {
    this.#opts = opts;
    this.#metrics = opts.metrics ?? ruleMetrics();
  }

  /** The running groups, in file order. */
  get groups(): readonly Group[] {
    return this.#groups;
  }

  /**
   * Replaces the groups; call once at start and on every reload.
   *
   * @example
   * await manager.update({ groups, evaluationInterval: 60_000, context: { externalLabels: {}, externalURL } });
   */
  async update(settings: RuleSettings): Promise<void> {
    await Promise.all(this.#groups.map((g) => g.stop()));
    const old = new Map(this.#groups.map((g) => [g.key, g]));
    const next = settings.groups.map((cfg) => {
      const deps = {
        query: this.#opts.query,
        queryable: this.#opts.queryable,
        appendable: this.#opts.appendable,
        clock: this.#opts.clock ?? systemClock,
        log: this.#opts.log,
        notify: this.#opts.notify ?? (() => {}),
        context: settings.context,
        restore: this.#opts.restore ?? DEFAULT_RESTORE,
        resendDelay: this.#opts.resendDelay ?? 60_000,
        metrics: this.#metrics,
      };
      // Groups of the first load restore `for` state; groups a reload adds have none to restore.
      const g = new Group(cfg, cfg.interval || settings.evaluationInterval, deps, !this.#started);
      const prev = old.get(g.key);
      if (prev !== undefined) g.copyState(prev);
      return g;
    });
    const kept = new Set(next.map((g) => g.key));
    const clock = this.#opts.clock ?? systemClock;
    for (const g of this.#groups) if (!kept.has(g.key)) await g.markStale(clock.now());
    this.#groups = next;
    this.#started = true;
    for (const g of next) g.start();
  }

  /** Stops every group, waiting for running evaluations. */
  async stop(): Promise<void> {
    await Promise.all(this.#groups.map((g) => g.stop()));
    this.#groups = [];
  }
}
