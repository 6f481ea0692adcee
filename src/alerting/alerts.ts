/**
 * @module
 * The alerts the Alertmanager knows, by fingerprint. A report of an alert it already holds is
 * merged into it when their active periods overlap (Alertmanager's memory provider), listeners
 * hear of every stored alert, and resolved alerts are dropped by {@link AlertStore.gc}, which
 * the owner runs periodically.
 */

import { mergeAlerts, resolvedAt, type Alert } from './model/alert.js';
import type { Clock } from '../lib/clock/clock.js';

export type AlertListener = (alert: Alert) => void;

export class AlertStore {
  readonly #clock: Clock;
  readonly #alerts = new Map<string, Alert>();
  readonly #listeners = new Set<AlertListener>();
  readonly #onDelete = new Set<(fingerprint: string) => void>();

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /**
   * Stores alerts and tells every listener, synchronously and in order.
   *
   * @example
   * store.put([newAlert({ labels: { alertname: 'Down' }, startsAt: now, endsAt: now + 300_000, updatedAt: now })]);
   */
  put(alerts: readonly Alert[]): void {
    const now = this.#clock.now();
    for (let alert of alerts) {
      const old = this.#alerts.get(alert.fingerprint);
      if (
        old !== undefined &&
        ((alert.endsAt > old.startsAt && alert.endsAt < old.endsAt) ||
          (alert.startsAt > old.startsAt && alert.startsAt < old.endsAt))
      ) {
        alert = mergeAlerts(old, alert, now);
      }
      this.#alerts.set(alert.fingerprint, alert);
      for (const l of this.#listeners) l(alert);
    }
  }

  get(fingerprint: string): Alert | undefined {
    return this.#alerts.get(fingerprint);
  }

  /** A snapshot; later puts do not change it. */
  list(): Alert[] {
    return [...this.#alerts.values()];
  }

  get size(): number {
    return this.#alerts.size;
  }

  /** Calls `fn` for every alert stored from now on; returns the unsubscribe function. */
  subscribe(fn: AlertListener): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  /** Calls `fn` with the fingerprint of every alert dropped by gc; returns the unsubscribe function. */
  onDelete(fn: (fingerprint: string) => void): () => void {
    this.#onDelete.add(fn);
    return () => this.#onDelete.delete(fn);
  }

  /** Drops the alerts resolved by now; returns how many. */
  gc(): number {
    const now = this.#clock.now();
    let n = 0;
    for (const [fp, a] of this.#alerts) {
      if (!resolvedAt(a, now)) continue;
      this.#alerts.delete(fp);
      for (const fn of this.#onDelete) fn(fp);
      n++;
    }
    return n;
  }
}
