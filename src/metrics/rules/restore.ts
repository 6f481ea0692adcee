/**
 * @module
 * Restoring `for` state after a start, as Prometheus does: for each alert active at the first
 * evaluation, the newest `ALERTS_FOR_STATE` sample within the outage tolerance gives the time
 * the alert became active before the restart and the time the server went down; the alert
 * keeps its progress towards `for`, except that it never fires sooner than the grace period
 * after the start. Rules whose `for` is shorter than the grace period are not restored.
 */

import { Matcher } from '../model/matcher.js';
import type { Queryable } from '../storage/interface.js';
import type { AlertingRule } from './alerting.js';

export interface RestoreOptions {
  /** ms; how far back `ALERTS_FOR_STATE` is looked for (Prometheus: 1h). */
  readonly outageTolerance: number;
  /** ms; least time between the start and an alert restored into firing (Prometheus: 10m). */
  readonly forGracePeriod: number;
}

export const DEFAULT_RESTORE: RestoreOptions = {
  outageTolerance: 3_600_000,
  forGracePeriod: 600_000,
};

/**
 * Restores the `activeAt` of `rule`'s alerts at evaluation time `t` (ms) and marks it restored.
 *
 * @example
 * restoreForState(rule, tsdb, t, DEFAULT_RESTORE);
 */
export function restoreForState(
  rule: AlertingRule,
  q: Queryable,
  t: number,
  opts: RestoreOptions,
): void {
  rule.restored = true;
  if (rule.config.for < opts.forGracePeriod) return;
  const querier = q.querier(t - opts.outageTolerance, t);
  try {
    for (const a of rule.active.values()) {
      const matchers = [new Matcher('=', '__name__', 'ALERTS_FOR_STATE')];
      a.labels.forEach((n, v) => {
        matchers.push(new Matcher('=', n, v));
      });
      const set = querier.select(matchers);
      let downAt = -1;
      let activeAtSec = 0;
      while (set.next()) {
        const s = set.at();
        // Only the series with exactly the alert's labels (plus __name__) is this alert's.
        if (s.labels.size !== a.labels.size + 1) continue;
        const it = s.iterator();
        while (it.next()) {
          if (it.atT() > downAt && !Number.isNaN(it.atV())) {
            downAt = it.atT();
            activeAtSec = it.atV();
          }
        }
      }
      if (downAt < 0) continue;
      let restoredActiveAt = activeAtSec * 1000;
      const remaining = rule.config.for - (downAt - restoredActiveAt);
      if (remaining <= 0) {
        // It was already firing; it fires again at once.
      } else if (remaining < opts.forGracePeriod) {
        restoredActiveAt = t + opts.forGracePeriod - rule.config.for;
      } else {
        restoredActiveAt += t - downAt;
      }
      a.activeAt = restoredActiveAt;
    }
  } finally {
    querier.close();
  }
}
