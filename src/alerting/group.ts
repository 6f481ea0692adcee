/**
 * @module
 * An aggregation group: the alerts one route collects under one set of group labels. The first
 * notification waits `group_wait` after the group forms (less if an alert arrives that started
 * longer ago), later ones come every `group_interval`. A flush sends a snapshot in which still
 * firing alerts carry no end time, and once delivered drops the resolved alerts that have not
 * changed meanwhile — Alertmanager's `aggrGroup`.
 */

import type { Clock, Timer } from '../lib/clock/clock.js';
import { compareAlerts, resolvedAt, type Alert } from './model/alert.js';
import { labelSetString, type LabelSet } from './model/labels.js';
import type { Route } from './route.js';

/** What a notification is about; the pipeline reads its settings from here. */
export interface NotifyContext {
  /** `<route key>:<group labels>`, as in webhook payloads. */
  groupKey: string;
  receiver: string;
  groupLabels: LabelSet;
  routeId: string;
  /** When the flush started, ms since the epoch. */
  now: number;
  repeatInterval: number;
  muteTimeIntervals: readonly string[];
  activeTimeIntervals: readonly string[];
  /** Aborted when the next flush is due: retries stop there. */
  signal: AbortSignal;
}

/** Delivers a flush; resolves true when every integration succeeded. Must not reject. */
export type NotifyFn = (ctx: NotifyContext, alerts: Alert[]) => Promise<boolean>;

export class AggregationGroup {
  readonly groupKey: string;
  readonly #alerts = new Map<string, Alert>();
  readonly #clock: Clock;
  readonly #notify: NotifyFn;
  readonly #onEmpty: (g: AggregationGroup) => void;
  #timer: Timer | undefined;
  #hasFlushed = false;
  #flushing = false;
  #stopped = false;
  #inflight: Promise<void> = Promise.resolve();
  #abort: AbortController | undefined;

  /**
   * Forms a group and starts its group_wait.
   *
   * @example
   * const g = new AggregationGroup(route, { alertname: 'Down' }, clock, notify, (g) => groups.delete(g.groupKey));
   */
  constructor(
    readonly route: Route,
    readonly labels: LabelSet,
    clock: Clock,
    notify: NotifyFn,
    onEmpty: (g: AggregationGroup) => void,
  ) {
    this.groupKey = `${route.key}:${labelSetString(labels)}`;
    this.#clock = clock;
    this.#notify = notify;
    this.#onEmpty = onEmpty;
    this.#schedule(route.options.groupWait);
  }

  /** Adds or replaces an alert; an alert older than group_wait makes the first flush immediate. */
  insert(alert: Alert): void {
    this.#alerts.set(alert.fingerprint, alert);
    const now = this.#clock.now();
    if (
      !this.#hasFlushed &&
      !this.#flushing &&
      alert.startsAt + this.route.options.groupWait < now
    ) {
      this.#schedule(0);
    }
  }

  /** Resolves once the flush in flight, if any, has finished. */
  settled(): Promise<void> {
    return this.#inflight;
  }

  /** The alerts held now. */
  alerts(): Alert[] {
    return [...this.#alerts.values()];
  }

  get empty(): boolean {
    return this.#alerts.size === 0;
  }

  /**
   * Cancels the pending flush and aborts the retries of an in-flight one; resolves once that
   * has finished (its delivered notifications logged).
   */
  stop(): Promise<void> {
    this.#stopped = true;
    this.#timer?.cancel();
    this.#abort?.abort(new Error('alertmanager stopping'));
    return this.#inflight;
  }

  #schedule(ms: number): void {
    this.#timer?.cancel();
    this.#timer = this.#clock.setTimer(ms, () => void this.#run());
  }

  /**
   * A flush is due. As in Alertmanager, the next one is due group_interval after this one
   * starts, however long delivery takes; one still in flight then (its deadline has aborted its
   * retries) finishes first.
   */
  async #run(): Promise<void> {
    if (this.#stopped) return;
    this.#schedule(this.route.options.groupInterval);
    // Chained at once, so settled() and stop() see this flush even while it waits its turn.
    this.#inflight = this.#inflight.then(() => (this.#stopped ? undefined : this.#flush()));
    await this.#inflight;
  }

  async #flush(): Promise<void> {
    this.#flushing = true;
    const started = this.#clock.now();
    const interval = this.route.options.groupInterval;
    const abort = new AbortController();
    this.#abort = abort;
    const deadline = this.#clock.setTimer(interval, () =>
      abort.abort(new Error('group_interval passed')),
    );
    const snapshot = this.alerts()
      .map((a) => (resolvedAt(a, started) ? a : { ...a, endsAt: 0 }))
      .sort(compareAlerts);
    const ok = await this.#notify(
      {
        groupKey: this.groupKey,
        receiver: this.route.options.receiver,
        groupLabels: this.labels,
        routeId: this.route.id,
        now: started,
        repeatInterval: this.route.options.repeatInterval,
        muteTimeIntervals: this.route.options.muteTimeIntervals,
        activeTimeIntervals: this.route.options.activeTimeIntervals,
        signal: abort.signal,
      },
      snapshot,
    );
    deadline.cancel();
    if (ok) {
      for (const a of snapshot) {
        const current = this.#alerts.get(a.fingerprint);
        if (a.endsAt !== 0 && current?.updatedAt === a.updatedAt)
          this.#alerts.delete(a.fingerprint);
      }
    }
    this.#hasFlushed = true;
    this.#flushing = false;
    if (this.#stopped) return;
    if (this.empty) {
      this.#timer?.cancel();
      this.#onEmpty(this);
    }
  }
}
