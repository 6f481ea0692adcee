/**
 * @module
 * The Pushgateway's series store: pushed groups keyed by their grouping labels, kept in memory
 * and, when opened on a directory, in one file (see `persist.ts`). It is not the TSDB: a group
 * holds only the latest push, and a scraper reads it like any other target.
 *
 * Every change happens synchronously in the order calls arrive (the Pushgateway also applies
 * requests in order), then the returned promise waits for the file write that includes it.
 */

import { gather, type Gathered } from './consistency.js';
import { InconsistentPushError } from './errors.js';
import {
  applyGroupingLabels,
  groupKey,
  type Group,
  type GroupingLabels,
  type PushedFamily,
} from './family.js';
import { encodeGroups, readStoreFile, StoreWriter } from './persist.js';

export const PUSH_TIME = 'push_time_seconds';
export const PUSH_FAILURE_TIME = 'push_failure_time_seconds';
const PUSH_TIME_HELP = 'Last Unix time when changing this group in the Pushgateway succeeded.';
const PUSH_FAILURE_TIME_HELP = 'Last Unix time when changing this group in the Pushgateway failed.';

export interface PushStoreOptions {
  /** Directory of the store's file; null keeps the groups in memory only. */
  dir: string | null;
  /** Clock in milliseconds since the epoch; tests pin it. */
  now?: () => number;
}

/**
 * @example
 * const store = PushStore.open({ dir: join(dataDir, 'pushgateway') });
 * await store.push({ job: 'backup' }, parsePushBody(body), { replace: true });
 * renderText(store.gather().families);
 */
export class PushStore {
  readonly #groups = new Map<string, Group>();
  readonly #writer: StoreWriter | null;
  readonly #now: () => number;

  private constructor(options: PushStoreOptions) {
    this.#now = options.now ?? Date.now;
    this.#writer =
      options.dir === null ? null : new StoreWriter(options.dir, () => encodeGroups(this.groups()));
  }

  /** Opens the store, reading the groups its file holds. Throws if the file is unreadable. */
  static open(options: PushStoreOptions): PushStore {
    const store = new PushStore(options);
    if (options.dir !== null) {
      for (const g of readStoreFile(options.dir)) store.#groups.set(g.key, g);
    }
    return store;
  }

  /** The groups in grouping-key order. The objects are live: callers must not change them. */
  groups(): Group[] {
    return [...this.#groups.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  /** The merged exposition of every group, with any inconsistency it has. */
  gather(): Gathered {
    return gather(this.groups());
  }

  /**
   * Stores a push into the group `grouping` names. `replace` (PUT) drops the group's other
   * families; otherwise (POST) only families of the pushed names are replaced. Rejects with
   * {@link InconsistentPushError} — after recording the failure time in the group, creating it
   * if need be — when a metric has a timestamp or the store would become inconsistent.
   * `families` is taken over: its metrics get the grouping labels.
   */
  async push(
    grouping: GroupingLabels,
    families: Map<string, PushedFamily>,
    options: { replace: boolean },
  ): Promise<void> {
    const now = this.#now();
    const key = groupKey(grouping);
    let problems: string[];
    if ([...families.values()].some((f) => f.metrics.some((m) => m.timestamp !== null))) {
      problems = ['pushed metrics must not have timestamps'];
    } else {
      for (const f of families.values()) applyGroupingLabels(f, grouping);
      const existing = this.#groups.get(key);
      const candidate = applyPush(existing, key, grouping, families, options.replace, now);
      const others = this.groups().filter((g) => g.key !== key);
      problems = gather([...others, candidate]).problems;
      if (problems.length === 0) {
        this.#groups.set(key, candidate);
        await this.#flush();
        return;
      }
    }
    this.#recordFailure(key, grouping, now);
    await this.#flush();
    throw new InconsistentPushError(problems);
  }

  /** Removes the group `grouping` names; no group is no error. */
  async delete(grouping: GroupingLabels): Promise<void> {
    this.#groups.delete(groupKey(grouping));
    await this.#flush();
  }

  /** Removes every group. */
  async wipe(): Promise<void> {
    this.#groups.clear();
    await this.#flush();
  }

  /** Resolves when every change so far is on disk. */
  async close(): Promise<void> {
    await this.#writer?.idle();
  }

  async #flush(): Promise<void> {
    await this.#writer?.flush();
  }

  #recordFailure(key: string, grouping: GroupingLabels, now: number): void {
    let g = this.#groups.get(key);
    if (g === undefined) {
      g = { key, labels: grouping, families: new Map() };
      this.#groups.set(key, g);
    }
    setTimeGauge(g, PUSH_FAILURE_TIME, PUSH_FAILURE_TIME_HELP, now, now);
    // A group that never had a successful push shows 0, not no series.
    if (!g.families.has(PUSH_TIME)) setTimeGauge(g, PUSH_TIME, PUSH_TIME_HELP, 0, now);
  }
}

/** The group as it would be after the push; `existing` is left as it is. */
function applyPush(
  existing: Group | undefined,
  key: string,
  grouping: GroupingLabels,
  families: Map<string, PushedFamily>,
  replace: boolean,
  now: number,
): Group {
  const g: Group = {
    key,
    labels: existing?.labels ?? grouping,
    families: new Map(existing?.families),
  };
  if (replace) {
    for (const name of g.families.keys()) {
      if (name !== PUSH_TIME && name !== PUSH_FAILURE_TIME) g.families.delete(name);
    }
  }
  const hadFailureTime = g.families.has(PUSH_FAILURE_TIME);
  for (const [name, family] of families) g.families.set(name, { name, family, pushedAt: now });
  // The push times override pushed families of those names; a past failure time stays.
  setTimeGauge(g, PUSH_TIME, PUSH_TIME_HELP, now, now);
  if (!hadFailureTime && !families.has(PUSH_FAILURE_TIME)) {
    setTimeGauge(g, PUSH_FAILURE_TIME, PUSH_FAILURE_TIME_HELP, 0, now);
  }
  return g;
}

function setTimeGauge(g: Group, name: string, help: string, valueMs: number, now: number): void {
  const family: PushedFamily = {
    name,
    help,
    type: 'gauge',
    metrics: [{ labels: [], value: valueMs / 1000, points: [], sum: 0, count: 0, timestamp: null }],
  };
  applyGroupingLabels(family, g.labels);
  g.families.set(name, { name, family, pushedAt: now });
}
