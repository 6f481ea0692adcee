/**
 * @module
 * Pushed metric families as the Pushgateway keeps them: one family per name and group, typed as
 * the text format 0.0.4 types them, each metric a label set plus its value, or its quantiles or
 * buckets with sum and count. Unlike {@link Labels}, label pairs keep empty values: the
 * Pushgateway stores and exposes `a=""`, and its `instance=""` default depends on that.
 */

import { compareUtf8 } from '../../lib/strings/utf8-order.js';

/** A family type, spelled as the text format spells it. */
export type FamilyType = 'counter' | 'gauge' | 'untyped' | 'summary' | 'histogram';

export type LabelPair = readonly [name: string, value: string];

export interface PushedMetric {
  /** Sorted by name once the grouping labels are applied; values may be empty. */
  labels: LabelPair[];
  /** The sample value of a counter, gauge or untyped metric; 0 otherwise. */
  value: number;
  /** Summary quantiles `[quantile, value]` or histogram buckets `[upper bound, count]`, in pushed order. */
  points: [number, number][];
  /** Summary and histogram only. */
  sum: number;
  /** Summary and histogram only: an integer, as the Pushgateway stores a uint64. */
  count: number;
  /** Milliseconds, when the pushed line had one: such pushes are refused. */
  timestamp: number | null;
}

export interface PushedFamily {
  name: string;
  /** null when the push had no HELP line (the exposition then has none either). */
  help: string | null;
  type: FamilyType;
  metrics: PushedMetric[];
}

/** The `job`, `instance`, … labels a group is named by. */
export type GroupingLabels = Readonly<Record<string, string>>;

/** Whether `name` is a legacy label name the Pushgateway accepts (no reserved `__` prefix). */
export function isValidLabelName(name: string): boolean {
  return /^[a-zA-Z_][a-zA-Z0-9_]*$/.test(name) && !name.startsWith('__');
}

/** Whether `name` is a legacy metric name. */
export function isValidMetricName(name: string): boolean {
  return /^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(name);
}

/**
 * The key that names a group: its labels sorted by name, joined with 0xff bytes, which no valid
 * UTF-8 label contains. `{job="a"}` and `{job="a",instance=""}` are different groups.
 *
 * @example
 * groupKey({ job: 'a', instance: 'b' }); // 'instance\xffb\xffjob\xffa'
 */
export function groupKey(labels: GroupingLabels): string {
  return Object.keys(labels)
    .sort(compareUtf8)
    .map((n) => `${n}\xff${labels[n]}`)
    .join('\xff');
}

/**
 * Sets the grouping labels on every metric of `family` (overwriting pushed values: the URL
 * wins), adds `instance=""` where no instance label is set, and sorts the label pairs.
 */
export function applyGroupingLabels(family: PushedFamily, grouping: GroupingLabels): void {
  for (const m of family.metrics) {
    const byName = new Map<string, string>(m.labels);
    for (const [n, v] of Object.entries(grouping)) byName.set(n, v);
    if (!byName.has('instance')) byName.set('instance', '');
    m.labels = [...byName].sort((a, b) => compareUtf8(a[0], b[0]));
  }
}

/**
 * Client_golang's order of metrics within a family: fewer labels first, then label values
 * compared in label-name order. The Pushgateway exposes metrics in this order.
 */
export function compareMetrics(a: PushedMetric, b: PushedMetric): number {
  if (a.labels.length !== b.labels.length) return a.labels.length - b.labels.length;
  for (let i = 0; i < a.labels.length; i++) {
    const c = compareUtf8(a.labels[i]![1], b.labels[i]![1]);
    if (c !== 0) return c;
  }
  return (a.timestamp ?? 0) - (b.timestamp ?? 0);
}

/** A family as a group holds it, with the time of the push that stored it. */
export interface StoredFamily {
  name: string;
  family: PushedFamily;
  /** Milliseconds since the epoch. */
  pushedAt: number;
}

/** The metrics pushed under one grouping key. */
export interface Group {
  /** {@link groupKey} of `labels`. */
  key: string;
  labels: GroupingLabels;
  families: Map<string, StoredFamily>;
}
