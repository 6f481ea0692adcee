/**
 * @module
 * What happens to a group's flush on its way to a receiver, in Alertmanager's order: inhibited
 * alerts are dropped; outside the route's active time intervals, or inside a mute interval,
 * nothing is sent; silenced alerts are dropped; then each integration of the receiver in
 * parallel checks the notification log (send only when the firing set grew, resolved alerts
 * are to be reported, everything resolved, or the repeat interval passed), sends with retries
 * and backoff until the next flush is due, and logs what it delivered.
 */

import type { Clock } from '../../lib/clock/clock.js';
import type { Registry } from '../../lib/instrument/index.js';
import type { Logger } from '../../lib/log/logger.js';
import type { NotifyContext } from '../group.js';
import type { Inhibitor } from '../inhibit.js';
import { resolvedAt, type Alert } from '../model/alert.js';
import { integrationKey, type NflogEntry, type NotificationLog } from '../nflog.js';
import type { Silences } from '../silences.js';
import { intervalContains, type TimePeriod } from '../time-interval.js';
import { NotifyError, type Integration } from './integration.js';

/** Alertmanager's backoff (cenkalti/backoff defaults): 0.5 s, ×1.5 per attempt, at most 1 min, ±50 %. */
const BACKOFF = { initialMs: 500, multiplier: 1.5, maxMs: 60_000, jitter: 0.5 };

export interface PipelineOptions {
  receivers: ReadonlyMap<string, readonly Integration[]>;
  inhibitor: Inhibitor;
  silences: Silences;
  timeIntervals: ReadonlyMap<string, readonly TimePeriod[]>;
  nflog: NotificationLog;
  clock: Clock;
  registry: Registry;
  logger: Logger;
}

export class Pipeline {
  #o: PipelineOptions;
  readonly #metrics;

  /**
   * @example
   * const pipeline = new Pipeline({ receivers, inhibitor, silences, timeIntervals, nflog, clock, registry, logger });
   * const dispatcher = new Dispatcher(route, store, clock, pipeline.notify);
   */
  constructor(options: PipelineOptions) {
    this.#o = options;
    const r = options.registry;
    const integration = ['integration'];
    this.#metrics = {
      notifications: r.counter({
        name: 'alertmanager_notifications_total',
        help: 'The total number of attempted notifications.',
        labelNames: integration,
      }),
      failed: r.counter({
        name: 'alertmanager_notifications_failed_total',
        help: 'The total number of failed notifications.',
        labelNames: integration,
      }),
      requests: r.counter({
        name: 'alertmanager_notification_requests_total',
        help: 'The total number of attempted notification requests.',
        labelNames: integration,
      }),
      requestsFailed: r.counter({
        name: 'alertmanager_notification_requests_failed_total',
        help: 'The total number of failed notification requests.',
        labelNames: integration,
      }),
      latency: r.histogram({
        name: 'alertmanager_notification_latency_seconds',
        help: 'The latency of notifications in seconds.',
        labelNames: integration,
        buckets: [1, 5, 10, 15, 20],
      }),
    };
    for (const name of ['webhook', 'email', 'slack']) {
      for (const m of Object.values(this.#metrics)) m.labels(name);
    }
  }

  /**
   * Takes the receivers, inhibitor and time intervals of a reloaded configuration; flushes
   * from then on use them. The metrics stay.
   */
  reconfigure(parts: Pick<PipelineOptions, 'receivers' | 'inhibitor' | 'timeIntervals'>): void {
    this.#o = { ...this.#o, ...parts };
  }

  /** The {@link NotifyFn} for the dispatcher; never rejects. */
  readonly notify = async (ctx: NotifyContext, alerts: Alert[]): Promise<boolean> => {
    try {
      return await this.#run(ctx, alerts);
    } catch (err) {
      this.#o.logger.error('notification pipeline failed', { group: ctx.groupKey, err });
      return false;
    }
  };

  async #run(ctx: NotifyContext, all: Alert[]): Promise<boolean> {
    const o = this.#o;
    let alerts = all.filter((a) => !o.inhibitor.mutes(a.labels));
    const now = o.clock.now();
    const inAny = (names: readonly string[]) =>
      names.some((n) => intervalContains(o.timeIntervals.get(n) ?? [], now));
    if (ctx.activeTimeIntervals.length > 0 && !inAny(ctx.activeTimeIntervals)) return true;
    if (inAny(ctx.muteTimeIntervals)) return true;
    alerts = alerts.filter((a) => o.silences.mutedBy(a.labels).length === 0);
    if (alerts.length === 0) return true;
    const integrations = o.receivers.get(ctx.receiver) ?? [];
    const results = await Promise.all(integrations.map((i) => this.#deliver(i, ctx, alerts)));
    return results.every(Boolean);
  }

  async #deliver(integration: Integration, ctx: NotifyContext, alerts: Alert[]): Promise<boolean> {
    const o = this.#o;
    const key = integrationKey(ctx.receiver, integration.name, integration.index);
    const firing: string[] = [];
    const resolved: string[] = [];
    for (const a of alerts) (resolvedAt(a, ctx.now) ? resolved : firing).push(a.fingerprint);
    const entry = o.nflog.query(key, ctx.groupKey);
    if (!needsUpdate(entry, firing, resolved, integration.sendResolved, ctx, o.clock.now())) {
      return true;
    }
    // Without send_resolved, a flush of only resolved alerts is logged but not sent, so the
    // next one does not count them as new.
    const sent = integration.sendResolved ? alerts : alerts.filter((a) => !resolvedAt(a, ctx.now));
    if (sent.length > 0 && !(await this.#sendWithRetry(integration, ctx, sent))) return false;
    await o.nflog.log(key, ctx.groupKey, firing, resolved);
    return true;
  }

  async #sendWithRetry(
    integration: Integration,
    ctx: NotifyContext,
    alerts: Alert[],
  ): Promise<boolean> {
    const m = this.#metrics;
    const name = integration.name;
    m.notifications.labels(name).inc();
    const started = performance.now();
    let delay = BACKOFF.initialMs;
    for (let attempt = 1; ; attempt++) {
      m.requests.labels(name).inc();
      try {
        await integration.notify(ctx, alerts);
        m.latency.labels(name).observe((performance.now() - started) / 1000);
        return true;
      } catch (err) {
        m.requestsFailed.labels(name).inc();
        const retry = err instanceof NotifyError ? err.retry : false;
        const fields = {
          receiver: ctx.receiver,
          integration: `${name}[${integration.index}]`,
          group: ctx.groupKey,
          attempt,
          err,
        };
        if (!retry || ctx.signal.aborted) {
          m.failed.labels(name).inc();
          this.#o.logger.error('notify failed', fields);
          return false;
        }
        this.#o.logger.warn('notify attempt failed, retrying', fields);
      }
      const jittered = delay * (1 - BACKOFF.jitter + Math.random() * 2 * BACKOFF.jitter);
      if (!(await this.#sleep(jittered, ctx.signal))) {
        m.failed.labels(name).inc();
        this.#o.logger.error('notify failed: gave up retrying when the next flush came due', {
          receiver: ctx.receiver,
          integration: `${name}[${integration.index}]`,
          group: ctx.groupKey,
          attempts: attempt,
        });
        return false;
      }
      delay = Math.min(delay * BACKOFF.multiplier, BACKOFF.maxMs);
    }
  }

  /** Waits on the pipeline's clock; resolves false if `signal` aborts first. */
  #sleep(ms: number, signal: AbortSignal): Promise<boolean> {
    return new Promise((resolve) => {
      if (signal.aborted) return resolve(false);
      const onAbort = () => {
        timer.cancel();
        resolve(false);
      };
      const timer = this.#o.clock.setTimer(ms, () => {
        signal.removeEventListener('abort', onAbort);
        resolve(true);
      });
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}

const isSubset = (sub: readonly string[], of: readonly string[]) => {
  const set = new Set(of);
  return sub.every((x) => set.has(x));
};

/** Alertmanager's `DedupStage.needsUpdate`. */
function needsUpdate(
  entry: NflogEntry | undefined,
  firing: string[],
  resolved: string[],
  sendResolved: boolean,
  ctx: NotifyContext,
  now: number,
): boolean {
  if (entry === undefined) return firing.length > 0;
  if (!isSubset(firing, entry.firing)) return true;
  // Everything resolved: notify (whatever send_resolved says) so the log forgets the firing set,
  // unless the receiver never heard of any of them.
  if (firing.length === 0) return entry.firing.length > 0;
  if (sendResolved && !isSubset(resolved, entry.resolved)) return true;
  return entry.timestamp < now - ctx.repeatInterval;
}
