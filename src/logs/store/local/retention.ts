/**
 * @module
 * Retention: which partitions (one index, one UTC day) to drop. By age, a partition goes once
 * its whole day is older than `maxAgeMs`; by size, the oldest partitions go until the index fits
 * in `maxBytes`, but never its newest partition, which is the one receiving today's logs.
 * Dropping whole partitions means deleting files, never rewriting one.
 */

import { indexMatcher } from './names.js';

/** A retention rule for the indices matching `indices` (a name or `*` pattern). */
export interface RetentionRule {
  readonly indices: string;
  readonly maxAgeMs?: number;
  readonly maxBytes?: number;
}

/** A partition as retention sees it. */
export interface PartitionSize {
  readonly index: string;
  readonly day: string;
  readonly bytes: number;
}

const DAY_MS = 86_400_000;

/**
 * The partitions to drop, given `rules` (first matching rule per index wins).
 *
 * @example
 * planRetention([{ index: 'a', day: '2024-01-01', bytes: 10 }], [{ indices: '*', maxAgeMs: 7 * 86400000 }], Date.now());
 * // [{ index: 'a', day: '2024-01-01', bytes: 10 }]
 */
export function planRetention(
  partitions: readonly PartitionSize[],
  rules: readonly RetentionRule[],
  now: number,
): PartitionSize[] {
  const matchers = rules.map((r) => ({ rule: r, match: indexMatcher([r.indices]) }));
  const byIndex = new Map<string, PartitionSize[]>();
  for (const p of partitions) {
    let list = byIndex.get(p.index);
    if (list === undefined) byIndex.set(p.index, (list = []));
    list.push(p);
  }
  const drop: PartitionSize[] = [];
  for (const [index, list] of byIndex) {
    const rule = matchers.find((m) => m.match(index))?.rule;
    if (rule === undefined) continue;
    list.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
    let total = list.reduce((s, p) => s + p.bytes, 0);
    for (let i = 0; i < list.length; i++) {
      const p = list[i]!;
      const end = Date.parse(`${p.day}T00:00:00Z`) + DAY_MS;
      const old = rule.maxAgeMs !== undefined && end <= now - rule.maxAgeMs;
      const over = rule.maxBytes !== undefined && total > rule.maxBytes && i < list.length - 1;
      if (!old && !over) break;
      drop.push(p);
      total -= p.bytes;
    }
  }
  return drop;
}

/**
 * The rule that applies to `index` (the first whose pattern matches), or undefined: kept forever.
 *
 * @example
 * retentionRuleFor('logs-app', [{ indices: 'logs-*', maxAgeMs: 86400000 }]); // that rule
 */
export function retentionRuleFor(
  index: string,
  rules: readonly RetentionRule[],
): RetentionRule | undefined {
  return rules.find((r) => indexMatcher([r.indices])(index));
}
