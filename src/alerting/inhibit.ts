/**
 * @module
 * Inhibition: while an alert matching a rule's source matchers fires, alerts matching its target
 * matchers that agree with it on every `equal` label (a label absent from both counts as equal)
 * are muted. An alert that matches both sides does not inhibit itself or others through that
 * rule's target side — Alertmanager's `inhibit.Inhibitor`. Each rule keeps the firing source
 * alerts it has seen, fed by the alert store, so a check does not scan every alert.
 */

import type { AlertStore } from './alerts.js';
import type { InhibitRuleConfig } from './config/schema.js';
import type { Clock } from '../lib/clock/clock.js';
import { resolvedAt, type Alert } from './model/alert.js';
import { fingerprint as fingerprintOf, type LabelSet } from './model/labels.js';
import { matchesAll } from './model/matchers.js';
import type { Marker } from './marker.js';

class Rule {
  readonly sources = new Map<string, Alert>();
  constructor(readonly config: InhibitRuleConfig) {}

  /** A firing source alert that inhibits `labels`, or undefined. */
  inhibitor(labels: LabelSet, now: number, labelsAreSource: boolean): Alert | undefined {
    for (const source of this.sources.values()) {
      if (resolvedAt(source, now)) continue;
      if (!this.config.equal.every((n) => (source.labels[n] ?? '') === (labels[n] ?? ''))) continue;
      if (labelsAreSource && matchesAll(this.config.target, source.labels)) continue;
      return source;
    }
    return undefined;
  }
}

export class Inhibitor {
  readonly #rules: Rule[];
  readonly #marker: Marker;
  readonly #clock: Clock;
  readonly #unsubscribe: (() => void)[];

  /**
   * @example
   * const inhibitor = new Inhibitor(config.inhibit_rules, store, marker, clock);
   * inhibitor.mutes({ alertname: 'Warn', cluster: 'a' });
   */
  constructor(
    rules: readonly InhibitRuleConfig[],
    store: AlertStore,
    marker: Marker,
    clock: Clock,
  ) {
    this.#rules = rules.map((r) => new Rule(r));
    this.#marker = marker;
    this.#clock = clock;
    for (const a of store.list()) this.#observe(a);
    this.#unsubscribe = [
      store.subscribe((a) => this.#observe(a)),
      store.onDelete((fp) => {
        for (const r of this.#rules) r.sources.delete(fp);
      }),
    ];
  }

  /** Stops following the store (the inhibitor of a replaced configuration). */
  close(): void {
    for (const fn of this.#unsubscribe) fn();
  }

  #observe(alert: Alert): void {
    for (const r of this.#rules) {
      if (matchesAll(r.config.source, alert.labels)) r.sources.set(alert.fingerprint, alert);
    }
  }

  /** Whether an alert with `labels` is inhibited now; records the answer in the marker. */
  mutes(labels: LabelSet): boolean {
    const fp = fingerprintOf(labels);
    const now = this.#clock.now();
    for (const r of this.#rules) {
      if (!matchesAll(r.config.target, labels)) continue;
      const source = r.inhibitor(labels, now, matchesAll(r.config.source, labels));
      if (source !== undefined) {
        this.#marker.setInhibited(fp, [source.fingerprint]);
        return true;
      }
    }
    this.#marker.setInhibited(fp, []);
    return false;
  }
}
