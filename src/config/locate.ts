/**
 * @module
 * Finds where a key path sits in a parsed YAML document. A problem with a value is reported at
 * its key (`    scrape_interval: 5x` → the column of `scrape_interval`), as users scan files by
 * key; a path that is not in the file (a missing key) is reported at its nearest ancestor.
 */

import { isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';

/** 1-based line and column of `path` in `doc`. */
export function locate(
  doc: Document,
  lineCounter: LineCounter,
  path: readonly (string | number)[],
): { line: number; col: number } {
  let node: unknown = doc.contents;
  let offset = (doc.contents as Node | null)?.range?.[0] ?? 0;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === segment);
      if (pair === undefined) break;
      offset = (pair.key as Node).range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as Node | undefined;
      if (item === undefined) break;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else {
      break;
    }
  }
  return lineCounter.linePos(offset);
}
