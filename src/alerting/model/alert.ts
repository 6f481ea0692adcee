/**
 * @module
 * An alert as the Alertmanager holds it: labels identify it (its fingerprint), `startsAt` and
 * `endsAt` bound when it fires, and an alert that its sender did not give an end times out after
 * `resolve_timeout`. Times are milliseconds since the epoch; 0 stands for Go's zero time.
 */

import { fingerprint, type LabelSet } from './labels.js';

export interface Alert {
  readonly labels: LabelSet;
  readonly annotations: LabelSet;
  readonly generatorURL: string;
  /** ms since the epoch. */
  readonly startsAt: number;
  /** ms since the epoch; 0 means "not known" (only in a flushed, still firing copy). */
  readonly endsAt: number;
  /** When the Alertmanager last received it, ms since the epoch. */
  readonly updatedAt: number;
  /** True when `endsAt` was set by resolve_timeout rather than by the sender. */
  readonly timeout: boolean;
  readonly fingerprint: string;
}

/**
 * Builds an alert, computing its fingerprint.
 *
 * @example
 * const a = newAlert({ labels: { alertname: 'Down' }, startsAt: now, endsAt: now + 300_000, updatedAt: now });
 */
export function newAlert(
  a: Omit<Alert, 'fingerprint' | 'annotations' | 'generatorURL' | 'timeout'> &
    Partial<Pick<Alert, 'annotations' | 'generatorURL' | 'timeout'>>,
): Alert {
  return {
    labels: a.labels,
    annotations: a.annotations ?? {},
    generatorURL: a.generatorURL ?? '',
    startsAt: a.startsAt,
    endsAt: a.endsAt,
    updatedAt: a.updatedAt,
    timeout: a.timeout ?? false,
    fingerprint: fingerprint(a.labels),
  };
}

/** Whether the alert has ended by `now` (ms). */
export function resolvedAt(a: Alert, now: number): boolean {
  return a.endsAt !== 0 && a.endsAt <= now;
}

/**
 * Combines a stored alert with a newer report of it: the earliest start wins, and an end set by
 * the sender outlives one set by resolve_timeout, as in Alertmanager's `Alert.Merge`.
 */
export function mergeAlerts(a: Alert, b: Alert, now: number): Alert {
  if (b.updatedAt < a.updatedAt) return mergeAlerts(b, a, now);
  let { startsAt, endsAt } = b;
  if (a.startsAt < b.startsAt) startsAt = a.startsAt;
  if (resolvedAt(b, now)) {
    if (resolvedAt(a, now) && a.endsAt > b.endsAt) endsAt = a.endsAt;
  } else if (a.endsAt > b.endsAt && !a.timeout) {
    endsAt = a.endsAt;
  }
  return { ...b, startsAt, endsAt };
}

/** Go's `LabelSet.Before`: fewer labels first, then by the sorted union of names. */
function labelsBefore(a: LabelSet, b: LabelSet): boolean {
  const na = Object.keys(a).length;
  const nb = Object.keys(b).length;
  if (na !== nb) return na < nb;
  for (const n of [...Object.keys(a), ...Object.keys(b)].sort()) {
    const va = a[n];
    const vb = b[n];
    if (va === undefined) return true;
    if (vb === undefined) return false;
    if (va !== vb) return va < vb;
  }
  return false;
}

/**
 * Alertmanager's order of alerts in a notification: by `job`, then `instance` (an alert with the
 * label before one without), then by labels.
 */
export function compareAlerts(a: Alert, b: Alert): number {
  for (const key of ['job', 'instance']) {
    const va = a.labels[key];
    const vb = b.labels[key];
    if (va === undefined && vb === undefined) continue;
    if (va === undefined) return 1;
    if (vb === undefined) return -1;
    if (va !== vb) return va < vb ? -1 : 1;
  }
  return labelsBefore(a.labels, b.labels) ? -1 : labelsBefore(b.labels, a.labels) ? 1 : 0;
}
