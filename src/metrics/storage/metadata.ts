/**
 * @module
 * The metric metadata boundary: per metric family name (`http_requests_total`,
 * `http_request_duration_seconds` — the family, not its `_bucket` series), the distinct
 * (type, help, unit) triples that producers reported, as `/api/v1/metadata` serves them.
 * Remote write receive feeds it from the `metadata` of each WriteRequest; the scraper will feed
 * it from `# TYPE`, `# HELP` and `# UNIT` lines.
 *
 * Metadata lives in memory only, as in Prometheus, which keeps it in each scrape target's cache
 * and forgets it when the target goes away. Producers repeat it (Prometheus' remote write sends
 * all of it every `metadata_config.send_interval`, 1m by default; a scraper sees it on every
 * scrape), so a restart loses it for one interval at most. In place of "the target went away",
 * an entry not reported again for {@link MetadataLimits.forgetAfter} is forgotten.
 *
 * The store is bounded in families and in entries per family, so a client sending ever new
 * names or help texts cannot grow memory without limit.
 */

import { compareUtf8 } from '../../lib/strings/utf8-order.js';

/**
 * Metric types as Prometheus' API spells them. The order is remote write's `MetricType` enum
 * (prompb/types.proto), so a wire value indexes this list.
 */
export const METRIC_TYPES = [
  'unknown',
  'counter',
  'gauge',
  'histogram',
  'gaugehistogram',
  'summary',
  'info',
  'stateset',
] as const;
export type MetricType = (typeof METRIC_TYPES)[number];

/** One metadata entry of a metric family. */
export interface Metadata {
  readonly type: MetricType;
  readonly help: string;
  readonly unit: string;
}

/** What {@link MetadataStore.list} returns; absent fields mean no restriction. */
export interface MetadataQuery {
  /** Only this family name (exact match). */
  metric?: string;
  /** At most this many families; 0 returns none. */
  limit?: number;
  /** At most this many entries per family (> 0), the most recently reported ones. */
  limitPerMetric?: number;
}

/**
 * Where metric metadata is recorded and read. Methods are synchronous and take the time
 * explicitly (ms since the epoch), so expiry is deterministic; callers pass `Date.now()`.
 */
export interface MetadataStore {
  /**
   * Records that `family` has `meta`, seen at `now`. The store copies what it keeps.
   *
   * @returns false when the entry was refused: an empty family name, or a new family while the
   *   store holds its maximum of families. A new entry of a family already at its maximum of
   *   entries replaces that family's least recently reported one, since the newest help text
   *   is the one a user wants.
   */
  update(family: string, meta: Metadata, now: number): boolean;
  /**
   * The entries not yet forgotten at `now`: families in UTF-8 byte order (as Prometheus' JSON
   * sorts object keys), each family's entries most recently reported first. The arrays are
   * fresh; the caller may keep them.
   */
  list(query: MetadataQuery, now: number): [family: string, entries: Metadata[]][];
}

/** Bounds of a {@link MemoryMetadataStore}. */
export interface MetadataLimits {
  /** ms an entry is kept after it was last reported; > 0. */
  forgetAfter: number;
  /** Most metric families held; > 0. */
  maxMetrics: number;
  /** Most distinct entries held per family; > 0. */
  maxEntriesPerMetric: number;
}

/**
 * Ten send intervals of Prometheus' remote write (1m each), so a sender that misses a few
 * sends, or restarts, does not blank the API, while metadata of a gone target or an old help
 * text disappears within minutes. The family bound is some ten times what a large Kubernetes
 * cluster's exporters expose together; the per-family bound leaves room for a few exporter
 * versions that word a help text differently at once. An entry takes some 200 bytes plus twice
 * its help text (once more in its key), so the defaults cap memory near
 * 50 000 × 10 × (200 B + 2 × help).
 */
export const DEFAULT_METADATA_LIMITS: Readonly<MetadataLimits> = {
  forgetAfter: 10 * 60_000,
  maxMetrics: 50_000,
  maxEntriesPerMetric: 10,
};

interface Entry {
  meta: Metadata;
  lastSeen: number;
}

/** A family's entries by {@link entryKey}, in order of last report, oldest first. */
interface Family {
  entries: Map<string, Entry>;
  lastSeen: number;
}

/** The help's length delimits it, so no help or unit text can make two keys collide. */
const entryKey = (m: Metadata): string => `${m.type}\0${m.help.length}\0${m.help}${m.unit}`;

/**
 * The in-memory {@link MetadataStore}. Families and each family's entries sit in maps kept in
 * order of last report (a report moves its key to the end), so forgetting walks from the front
 * and stops at the first fresh one: each update costs O(1) amortised whatever the store holds.
 *
 * @example
 * const store = new MemoryMetadataStore();
 * store.update('up', { type: 'gauge', help: 'Target is up.', unit: '' }, Date.now());
 * store.list({ metric: 'up' }, Date.now()); // [['up', [{ type: 'gauge', help: 'Target is up.', unit: '' }]]]
 */
export class MemoryMetadataStore implements MetadataStore {
  readonly #limits: MetadataLimits;
  readonly #families = new Map<string, Family>();

  constructor(limits: Partial<MetadataLimits> = {}) {
    this.#limits = { ...DEFAULT_METADATA_LIMITS, ...limits };
  }

  update(family: string, meta: Metadata, now: number): boolean {
    if (family === '') return false;
    this.#forget(now);
    let fam = this.#families.get(family);
    if (fam === undefined) {
      if (this.#families.size >= this.#limits.maxMetrics) return false;
      fam = { entries: new Map(), lastSeen: now };
    } else {
      this.#families.delete(family);
    }
    this.#families.set(family, fam);
    fam.lastSeen = Math.max(fam.lastSeen, now);

    const key = entryKey(meta);
    const entries = fam.entries;
    const known = entries.get(key);
    if (known !== undefined) {
      entries.delete(key);
      known.lastSeen = fam.lastSeen;
      entries.set(key, known);
      return true;
    }
    const cutoff = now - this.#limits.forgetAfter;
    for (const [k, e] of entries) {
      if (e.lastSeen >= cutoff && entries.size < this.#limits.maxEntriesPerMetric) break;
      entries.delete(k);
    }
    entries.set(key, {
      meta: { type: meta.type, help: meta.help, unit: meta.unit },
      lastSeen: fam.lastSeen,
    });
    return true;
  }

  list(query: MetadataQuery, now: number): [string, Metadata[]][] {
    this.#forget(now);
    const cutoff = now - this.#limits.forgetAfter;
    const limit = query.limit ?? Infinity;
    const perMetric = query.limitPerMetric ?? Infinity;
    const names =
      query.metric === undefined
        ? [...this.#families.keys()].sort(compareUtf8)
        : this.#families.has(query.metric)
          ? [query.metric]
          : [];
    const out: [string, Metadata[]][] = [];
    for (const name of names) {
      if (out.length >= limit) break;
      const fresh: Metadata[] = [];
      for (const e of this.#families.get(name)!.entries.values()) {
        if (e.lastSeen >= cutoff) fresh.push(e.meta);
      }
      fresh.reverse();
      if (fresh.length > perMetric) fresh.length = perMetric;
      out.push([name, fresh]);
    }
    return out;
  }

  /** Drops the families not reported since `now - forgetAfter`; fresh ones end the walk. */
  #forget(now: number): void {
    const cutoff = now - this.#limits.forgetAfter;
    for (const [name, fam] of this.#families) {
      if (fam.lastSeen >= cutoff) return;
      this.#families.delete(name);
    }
  }
}
