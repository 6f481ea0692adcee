/**
 * @module
 * Sends alerts from rules to Alertmanagers, as Prometheus' notifier does: each alert gets the
 * external labels it lacks and then `alert_relabel_configs` (an alert relabelled to nothing is
 * dropped); alerts wait in one queue of bounded size (when it overflows the oldest are dropped
 * and counted) and go out in batches of 64 as Alertmanager API v2 `POST /api/v2/alerts`
 * bodies to every configured Alertmanager at once. A failed request is logged and counted; the
 * rules re-send firing alerts every resend delay, so nothing is retried here. While discovery
 * has not yet found the configured Alertmanagers ({@link NotifierSettings.discovering}), alerts
 * wait in the queue: the first evaluation often comes before the first discovery, and an alert
 * dropped then would next be sent a resend delay (a minute) later.
 */

import type { HttpClient } from '../../lib/http-client/client.js';
import type { Logger } from '../../lib/log/logger.js';
import { Labels } from '../model/labels.js';
import type { RelabelConfig } from '../model/relabel/config.js';
import { relabel } from '../model/relabel/relabel.js';

/** One alert as Alertmanager's API v2 takes it; times are ms (0: unset). */
export interface NotifierAlert {
  readonly labels: Labels;
  readonly annotations: Readonly<Record<string, string>>;
  readonly startsAt: number;
  readonly endsAt: number;
  readonly generatorURL: string;
}

export interface AlertmanagerTarget {
  /** Full URL of the alerts endpoint, `http://host:9093/api/v2/alerts`. */
  readonly url: string;
  /** ms */
  readonly timeout: number;
  /** Sends with this client's authentication and TLS settings; plain `fetch` when absent. */
  readonly client?: HttpClient;
}

export interface NotifierSettings {
  readonly alertmanagers: readonly AlertmanagerTarget[];
  readonly externalLabels: Readonly<Record<string, string>>;
  readonly relabel: readonly RelabelConfig[];
  /**
   * Alertmanagers are configured whose discovery has not reported yet: alerts are queued (not
   * dropped for want of an Alertmanager) and sent once it has.
   */
  readonly discovering?: boolean;
}

/** Alerts per request, as in Prometheus. */
const MAX_BATCH = 64;

export interface NotifierStats {
  sent: number;
  dropped: number;
  errors: number;
}

export class Notifier {
  #queue: NotifierAlert[] = [];
  #settings: NotifierSettings = { alertmanagers: [], externalLabels: {}, relabel: [] };
  #draining: Promise<void> | null = null;
  #stopped = false;
  readonly stats: NotifierStats = { sent: 0, dropped: 0, errors: 0 };

  /** @param capacity most alerts queued (Prometheus' --alertmanager.notification-queue-capacity). */
  constructor(
    readonly log: Logger,
    readonly capacity = 10_000,
  ) {}

  get queueLength(): number {
    return this.#queue.length;
  }

  /** Replaces the Alertmanagers, external labels and relabel rules (at start and on reload). */
  apply(settings: NotifierSettings): void {
    this.#settings = settings;
    if (settings.alertmanagers.length > 0) this.#startDrain();
    else if (settings.discovering !== true) this.#queue = [];
  }

  /**
   * Queues alerts for sending; returns at once.
   *
   * @example
   * notifier.send([{ labels, annotations: {}, startsAt: t, endsAt: t + 240_000, generatorURL }]);
   */
  send(alerts: readonly NotifierAlert[]): void {
    const { alertmanagers, discovering } = this.#settings;
    if (this.#stopped || (alertmanagers.length === 0 && discovering !== true)) return;
    for (const a of alerts) {
      const r = a.labels.toRecord();
      for (const [k, v] of Object.entries(this.#settings.externalLabels)) if (!(k in r)) r[k] = v;
      const labels = relabel(Labels.fromRecord(r), this.#settings.relabel);
      if (labels === null || labels.isEmpty()) continue;
      this.#queue.push({ ...a, labels });
    }
    const over = this.#queue.length - this.capacity;
    if (over > 0) {
      this.#queue.splice(0, over);
      this.stats.dropped += over;
      this.log.warn('alert queue full; dropping the oldest alerts', { dropped: over });
    }
    if (alertmanagers.length > 0) this.#startDrain();
  }

  #startDrain(): void {
    if (this.#queue.length > 0) {
      this.#draining ??= this.#drain().finally(() => (this.#draining = null));
    }
  }

  async #drain(): Promise<void> {
    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0, MAX_BATCH);
      const body = JSON.stringify(batch.map(toJson));
      await Promise.all(
        this.#settings.alertmanagers.map((am) => this.#post(am, body, batch.length)),
      );
    }
  }

  async #post(am: AlertmanagerTarget, body: string, count: number): Promise<void> {
    const headers = { 'content-type': 'application/json', 'user-agent': 'Vigil' };
    try {
      if (am.client !== undefined) {
        const res = await am.client.request(am.url, {
          method: 'POST',
          headers,
          body: Buffer.from(body),
          timeoutMs: am.timeout,
        });
        if (res.status < 200 || res.status >= 300) {
          throw new Error(`bad response status ${res.status}`);
        }
      } else {
        const res = await fetch(am.url, {
          method: 'POST',
          headers,
          body,
          signal: AbortSignal.timeout(am.timeout),
        });
        await res.arrayBuffer();
        if (!res.ok) throw new Error(`bad response status ${res.status} ${res.statusText}`);
      }
      this.stats.sent += count;
    } catch (err) {
      this.stats.errors += count;
      this.log.error('cannot send alerts to Alertmanager', { url: am.url, alerts: count, err });
    }
  }

  /** Sends what is queued, then takes no more. */
  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#draining;
  }
}

const iso = (ms: number) => new Date(ms).toISOString();

function toJson(a: NotifierAlert) {
  return {
    labels: a.labels.toRecord(),
    annotations: a.annotations,
    ...(a.startsAt > 0 ? { startsAt: iso(a.startsAt) } : {}),
    ...(a.endsAt > 0 ? { endsAt: iso(a.endsAt) } : {}),
    generatorURL: a.generatorURL,
  };
}
