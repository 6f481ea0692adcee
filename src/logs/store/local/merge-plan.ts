/**
 * @module
 * Which segments to merge. Each flush adds one segment per partition it touched, so a partition
 * collects many small segments over a day; each costs a footer, bloom filters and a file
 * descriptor, and a search opens candidates from each. Once a partition has
 * {@link MERGE_MIN_SEGMENTS} segments below {@link MERGE_MAX_DOCS} documents, up to
 * {@link MERGE_MAX_INPUTS} of the smallest are merged into one. Bounding inputs by size keeps a
 * merge short (the worker is shared with flushes) and keeps rewriting of old data logarithmic.
 */

import type { SegmentEntry } from './catalog.js';

export const MERGE_MIN_SEGMENTS = 4;
export const MERGE_MAX_INPUTS = 8;
/** Segments this large are left alone: merging them costs much and saves little. */
export const MERGE_MAX_DOCS = 4_000_000;

/**
 * Picks one merge, or undefined when no partition needs one.
 *
 * @example
 * planMerge(live.map((s) => ({ entry: s.entry, docs: s.reader.footer.count })));
 */
export function planMerge(
  segments: readonly { entry: SegmentEntry; docs: number }[],
): SegmentEntry[] | undefined {
  const byPartition = new Map<string, { entry: SegmentEntry; docs: number }[]>();
  for (const s of segments) {
    if (s.docs >= MERGE_MAX_DOCS) continue;
    const key = `${s.entry.index}/${s.entry.day}`;
    let list = byPartition.get(key);
    if (list === undefined) byPartition.set(key, (list = []));
    list.push(s);
  }
  for (const list of byPartition.values()) {
    if (list.length < MERGE_MIN_SEGMENTS) continue;
    list.sort((a, b) => a.docs - b.docs);
    const picked: SegmentEntry[] = [];
    let docs = 0;
    for (const s of list) {
      if (picked.length === MERGE_MAX_INPUTS || docs + s.docs > MERGE_MAX_DOCS) break;
      picked.push(s.entry);
      docs += s.docs;
    }
    if (picked.length >= 2) return picked;
  }
  return undefined;
}
