/**
 * @module
 * The routing tree: each route matches alerts by its matchers, hands them to the first matching
 * child (or every matching child up to the first without `continue`), and when no child matches
 * handles them itself. Settings a route leaves out come from its parent, except the time
 * intervals, which belong to the route that names them — Alertmanager's `dispatch.Route`.
 */

import type { RouteConfig } from './config/schema.js';
import type { LabelSet } from './model/labels.js';
import { matchersString, matchesAll, type Matcher } from './model/matchers.js';

/** The settings a route notifies with, after inheritance. Durations in ms. */
export interface RouteOptions {
  receiver: string;
  /** Label names alerts are grouped by; ignored when `groupByAll`. */
  groupBy: readonly string[];
  /** `group_by: ['...']`: every label. */
  groupByAll: boolean;
  groupWait: number;
  groupInterval: number;
  repeatInterval: number;
  muteTimeIntervals: readonly string[];
  activeTimeIntervals: readonly string[];
}

/** Alertmanager's defaults for the root route. */
const ROOT_DEFAULTS: RouteOptions = {
  receiver: '',
  groupBy: [],
  groupByAll: false,
  groupWait: 30_000,
  groupInterval: 5 * 60_000,
  repeatInterval: 4 * 3600_000,
  muteTimeIntervals: [],
  activeTimeIntervals: [],
};

export class Route {
  readonly options: RouteOptions;
  readonly matchers: readonly Matcher[];
  readonly continue: boolean;
  readonly routes: readonly Route[];
  readonly #parent: Route | undefined;
  readonly #key: string;

  /**
   * Builds the tree below `config`.
   *
   * @example
   * const root = new Route(config.route);
   * root.match({ alertname: 'Down', severity: 'page' }).map((r) => r.options.receiver);
   */
  constructor(config: RouteConfig, parent?: Route) {
    this.#parent = parent;
    const base = parent?.options ?? ROOT_DEFAULTS;
    const groupByAll = config.group_by?.includes('...') ?? false;
    this.options = {
      receiver: config.receiver ?? base.receiver,
      groupBy: config.group_by !== undefined && !groupByAll ? config.group_by : base.groupBy,
      groupByAll: config.group_by === undefined ? base.groupByAll : groupByAll,
      groupWait: config.group_wait ?? base.groupWait,
      groupInterval: config.group_interval ?? base.groupInterval,
      repeatInterval: config.repeat_interval ?? base.repeatInterval,
      muteTimeIntervals: config.mute_time_intervals,
      activeTimeIntervals: config.active_time_intervals,
    };
    this.matchers = config.matchers;
    this.continue = config.continue;
    this.#key =
      parent === undefined
        ? matchersString(this.matchers)
        : `${parent.key}/${matchersString(this.matchers)}`;
    this.routes = config.routes.map((c) => new Route(c, this));
  }

  /** The route's path of matcher sets, `{}/{severity="page"}`: the first part of group keys. */
  get key(): string {
    return this.#key;
  }

  /** The key plus the route's index among its siblings, which tells apart equal siblings. */
  get id(): string {
    if (this.#parent === undefined) return this.#key;
    return `${this.#key}/${this.#parent.routes.indexOf(this)}`;
  }

  /** The routes that handle an alert with `labels`, in tree order; empty if this one does not match. */
  match(labels: LabelSet): Route[] {
    if (!matchesAll(this.matchers, labels)) return [];
    const all: Route[] = [];
    for (const child of this.routes) {
      const matched = child.match(labels);
      all.push(...matched);
      if (matched.length > 0 && !child.continue) break;
    }
    return all.length > 0 ? all : [this];
  }

  /** The labels of `labels` this route groups by. */
  groupLabels(labels: LabelSet): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(labels)) {
      if (this.options.groupByAll || this.options.groupBy.includes(name)) out[name] = value;
    }
    return out;
  }

  /** Every route of the tree, depth first. */
  *walk(): Generator<Route> {
    yield this;
    for (const r of this.routes) yield* r.walk();
  }
}
