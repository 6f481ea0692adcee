/**
 * @module
 * The dispatcher: every alert the store receives goes down the routing tree, and into the
 * aggregation group of each route that takes it, keyed by the route and the alert's group
 * labels. Groups form on demand and are removed once a flush leaves them empty.
 */

import type { AlertStore } from './alerts.js';
import type { Clock } from '../lib/clock/clock.js';
import { AggregationGroup, type NotifyFn } from './group.js';
import type { Alert } from './model/alert.js';
import { fingerprint } from './model/labels.js';
import type { Route } from './route.js';

export class Dispatcher {
  readonly #route: Route;
  readonly #store: AlertStore;
  readonly #clock: Clock;
  readonly #notify: NotifyFn;
  /** By route id, then by group labels' fingerprint. */
  readonly #groups = new Map<string, Map<string, AggregationGroup>>();
  #unsubscribe: (() => void) | undefined;

  /**
   * @example
   * const d = new Dispatcher(root, store, clock, pipeline.notify);
   * d.start();
   */
  constructor(route: Route, store: AlertStore, clock: Clock, notify: NotifyFn) {
    this.#route = route;
    this.#store = store;
    this.#clock = clock;
    this.#notify = notify;
  }

  /** Routes the alerts already stored, then each new one as it arrives. */
  start(): void {
    for (const a of this.#store.list()) this.#process(a);
    this.#unsubscribe = this.#store.subscribe((a) => this.#process(a));
  }

  /** Stops listening, cancels every group's pending flush and waits for in-flight ones. */
  async stop(): Promise<void> {
    this.#unsubscribe?.();
    const inflight: Promise<void>[] = [];
    for (const groups of this.#groups.values())
      for (const g of groups.values()) inflight.push(g.stop());
    this.#groups.clear();
    await Promise.all(inflight);
  }

  #process(alert: Alert): void {
    for (const route of this.#route.match(alert.labels)) {
      const labels = route.groupLabels(alert.labels);
      const fp = fingerprint(labels);
      let byRoute = this.#groups.get(route.id);
      if (byRoute === undefined) {
        byRoute = new Map();
        this.#groups.set(route.id, byRoute);
      }
      let group = byRoute.get(fp);
      if (group === undefined) {
        const routeGroups = byRoute;
        group = new AggregationGroup(route, labels, this.#clock, this.#notify, (g) => {
          if (routeGroups.get(fp) === g) routeGroups.delete(fp);
        });
        byRoute.set(fp, group);
      }
      group.insert(alert);
    }
  }

  /** Resolves once every group's flush in flight now has finished (delivered and logged). */
  async settled(): Promise<void> {
    await Promise.all(this.groups().map((g) => g.settled()));
  }

  /** Every group, in no particular order. */
  groups(): AggregationGroup[] {
    const out: AggregationGroup[] = [];
    for (const byRoute of this.#groups.values()) out.push(...byRoute.values());
    return out;
  }
}
