/**
 * @module
 * A rule group: its rules evaluated in order every `interval`, at times aligned to the
 * interval with a per-group offset (so groups spread over the interval, as in Prometheus).
 * Each rule's results are committed before the next rule runs, so a rule can use what an
 * earlier rule of the group recorded at the same time (chained recording rules, as in
 * Prometheus). A series a rule stopped returning
 * gets a staleness marker, so queries stop showing it at once. Alerts due are handed to the
 * notify function after each evaluation.
 */

import { createHash } from 'node:crypto';
import type { Clock, Timer } from '../../lib/clock/clock.js';
import type { Logger } from '../../lib/log/logger.js';
import type { Labels } from '../model/labels.js';
import type { Appendable, Queryable } from '../storage/interface.js';
import { AlertingRule, type Alert, type AlertContext } from './alerting.js';
import type { RuleGroupConfig } from './file.js';
import type { RuleMetrics } from './metrics.js';
import { RecordingRule } from './recording.js';
import { restoreForState, type RestoreOptions } from './restore.js';
import {
  newEvalRecord,
  STALE_NAN,
  type EvalRecord,
  type QueryFn,
  type RuleSample,
} from './rule.js';

export type Rule = RecordingRule | AlertingRule;

/** Receives the alerts due to be sent after an evaluation. */
export type NotifyFn = (alerts: Alert[], rule: AlertingRule) => void;

export interface GroupDeps {
  readonly query: QueryFn;
  readonly queryable: Queryable;
  readonly appendable: Appendable;
  readonly clock: Clock;
  readonly log: Logger;
  readonly notify: NotifyFn;
  readonly context: AlertContext;
  readonly restore: RestoreOptions;
  /** ms; how often firing alerts are re-sent (Prometheus' --rules.alert.resend-delay, 1m). */
  readonly resendDelay: number;
  readonly metrics: RuleMetrics;
}

export class Group {
  readonly rules: Rule[];
  readonly state: EvalRecord = newEvalRecord();
  /** Series each rule wrote last time, by rule index, for staleness markers. */
  #lastSeries: Map<string, Labels>[];
  #timer: Timer | null = null;
  #stopped = false;
  #running: Promise<void> = Promise.resolve();
  #shouldRestore: boolean;

  /**
   * @param interval ms, the group's own or the global evaluation interval.
   * @param restore whether the first evaluation restores `for` state (true after a start,
   *   false for a group a reload created).
   */
  constructor(
    readonly config: RuleGroupConfig,
    readonly interval: number,
    readonly deps: GroupDeps,
    restore: boolean,
  ) {
    this.rules = config.rules.map((r) =>
      r.record !== undefined
        ? new RecordingRule({ ...r, record: r.record })
        : new AlertingRule({ ...r, alert: r.alert! }, !restore),
    );
    this.#lastSeries = this.rules.map(() => new Map());
    this.#shouldRestore = restore;
  }

  get key(): string {
    return `${this.config.file};${this.config.name}`;
  }

  /** The evaluation time at or before `now` on this group's schedule, ms. */
  evalTimestamp(now: number): number {
    const offset = Number(
      createHash('sha256').update(this.key).digest().readBigUInt64BE(0) % BigInt(this.interval),
    );
    const adj = now - offset;
    return adj - (((adj % this.interval) + this.interval) % this.interval) + offset;
  }

  /** Takes over the alerts and staleness state of the same group before a reload. */
  copyState(from: Group): void {
    const byName = new Map<string, number[]>();
    from.rules.forEach((r, i) => byName.set(r.name, [...(byName.get(r.name) ?? []), i]));
    this.rules.forEach((r, i) => {
      const j = byName.get(r.name)?.shift();
      if (j === undefined) return;
      const old = from.rules[j]!;
      this.#lastSeries[i] = from.#lastSeries[j]!;
      Object.assign(r.state, old.state);
      if (r instanceof AlertingRule && old instanceof AlertingRule) {
        for (const [k, a] of old.active) r.active.set(k, a);
        r.restored = old.restored;
      }
    });
    Object.assign(this.state, from.state);
    this.#shouldRestore = from.#shouldRestore;
  }

  /** Starts evaluating at the first scheduled time after now. */
  start(): void {
    const next = this.evalTimestamp(this.deps.clock.now()) + this.interval;
    this.#schedule(next);
  }

  #schedule(at: number): void {
    if (this.#stopped) return;
    this.#timer = this.deps.clock.setTimer(at - this.deps.clock.now(), () => {
      this.#running = this.evaluate(at).finally(() => {
        // A slow evaluation skips the slots it overran rather than queueing them.
        let next = at + this.interval;
        const now = this.deps.clock.now();
        if (next <= now) next = this.evalTimestamp(now) + this.interval;
        this.#schedule(next);
      });
    });
  }

  /** Stops scheduling and waits for a running evaluation. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#timer?.cancel();
    await this.#running;
  }

  /** Appends staleness markers at `t` for every series the group wrote last, once it is removed. */
  async markStale(t: number): Promise<void> {
    const app = this.deps.appendable.appender();
    for (const series of this.#lastSeries)
      for (const labels of series.values()) this.#append(app, labels, t, STALE_NAN);
    this.#lastSeries = this.rules.map(() => new Map());
    try {
      await app.commit();
    } catch (err) {
      this.deps.log.error('cannot commit staleness markers of a removed rule group', {
        group: this.config.name,
        err,
      });
    }
  }

  /** Evaluates every rule at `t` (ms) and appends the results. Never throws. */
  async evaluate(t: number): Promise<void> {
    const started = performance.now();
    for (let i = 0; i < this.rules.length; i++) {
      const rule = this.rules[i]!;
      const ruleStart = performance.now();
      this.deps.metrics.evaluations.labels(this.key).inc();
      let samples: RuleSample[];
      try {
        samples =
          rule instanceof RecordingRule
            ? await rule.eval(this.deps.query, t, this.config.limit)
            : await rule.eval(this.deps.query, t, this.config.limit, this.deps.context);
        rule.state.health = 'ok';
        rule.state.lastError = '';
      } catch (err) {
        rule.state.health = 'err';
        this.deps.metrics.failures.labels(this.key).inc();
        rule.state.lastError = err instanceof Error ? err.message : String(err);
        this.deps.log.warn('cannot evaluate rule', {
          group: this.config.name,
          rule: rule.name,
          err: rule.state.lastError,
        });
        // As in Prometheus, a failed evaluation neither marks the rule's series stale nor
        // sends alerts: a query timeout must not resolve every alert.
        continue;
      } finally {
        rule.state.lastEvaluation = t;
        rule.state.evaluationTime = (performance.now() - ruleStart) / 1000;
      }
      if (rule instanceof AlertingRule) {
        const due = rule.alertsToSend(t, this.deps.resendDelay, this.interval);
        if (due.length > 0) this.deps.notify(due, rule);
      }
      const app = this.deps.appendable.appender();
      let appended = 0;
      const seen = new Map<string, Labels>();
      for (const s of samples) {
        seen.set(s.labels.key, s.labels);
        appended += this.#append(app, s.labels, t, s.v);
      }
      for (const [key, labels] of this.#lastSeries[i]!) {
        if (!seen.has(key)) appended += this.#append(app, labels, t, STALE_NAN);
      }
      this.#lastSeries[i] = seen;
      try {
        await app.commit();
      } catch (err) {
        this.deps.log.error('cannot commit rule results', {
          group: this.config.name,
          rule: rule.name,
          samples: appended,
          err,
        });
      }
    }
    if (this.#shouldRestore) {
      this.#shouldRestore = false;
      for (const r of this.rules) {
        if (r instanceof AlertingRule)
          restoreForState(r, this.deps.queryable, t, this.deps.restore);
      }
    }
    this.state.lastEvaluation = t;
    this.state.evaluationTime = (performance.now() - started) / 1000;
    this.deps.metrics.lastDuration.labels(this.key).set(this.state.evaluationTime);
    this.deps.metrics.lastEvaluation.labels(this.key).set(t / 1000);
  }

  #append(app: ReturnType<Appendable['appender']>, labels: Labels, t: number, v: number): number {
    try {
      app.append(0, labels, t, v);
      return 1;
    } catch (err) {
      // Out-of-order or duplicate samples (another writer of the same series) lose this one
      // sample only, as in Prometheus.
      this.deps.log.debug('rule sample rejected', { series: labels.toString(), err });
      return 0;
    }
  }
}
