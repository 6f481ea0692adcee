/**
 * @module
 * The store's answers about indices, from what it already holds in memory: the mapping of a set
 * of indices (types of a path merged across them) and the `_cat/indices` figures (documents,
 * bytes, time range) from segment footers and memory parts, with no file read.
 */

import type { FieldMapping, IndexInfo } from '../interface.js';
import type { IndexMapping } from './mapping.js';
import type { MemoryPart } from './memory-part.js';
import type { SegmentReader } from './segment-reader.js';

/**
 * The fields of the indices `match` accepts; a path in several indices lists every type seen
 * in any, and is indexed when it is indexed in any.
 *
 * @example
 * mergeMappings(mappings, indexMatcher(['logs-*'])).get('status')?.types; // ['long', 'keyword']
 */
export function mergeMappings(
  mappings: ReadonlyMap<string, IndexMapping>,
  match: (index: string) => boolean,
): Map<string, FieldMapping> {
  const out = new Map<string, FieldMapping>();
  for (const [index, m] of mappings) {
    if (!match(index)) continue;
    for (const f of m.list()) {
      const prev = out.get(f.path);
      out.set(
        f.path,
        prev === undefined
          ? f
          : {
              path: f.path,
              types: [...new Set([...prev.types, ...f.types])],
              indexed: prev.indexed || f.indexed,
            },
      );
    }
  }
  return out;
}

/**
 * Per index: documents, bytes (segment files, plus the source JSON of documents still in memory,
 * which is what they occupy in the WAL) and time range.
 *
 * @example
 * indexInfos(mappings.keys(), live, [memory]); // [{ name: 'app', docs: 10, bytes: 2048, minMs, maxMs }]
 */
export function indexInfos(
  names: Iterable<string>,
  live: readonly { readonly entry: { readonly index: string }; readonly reader: SegmentReader }[],
  parts: readonly MemoryPart[],
): IndexInfo[] {
  const info = new Map<string, { docs: number; bytes: number; minMs: number; maxMs: number }>();
  const get = (index: string) => {
    let i = info.get(index);
    if (i === undefined)
      info.set(index, (i = { docs: 0, bytes: 0, minMs: Infinity, maxMs: -Infinity }));
    return i;
  };
  for (const index of names) get(index);
  for (const s of live) {
    const i = get(s.entry.index);
    const f = s.reader.footer;
    i.docs += f.count;
    i.bytes += s.reader.bytes;
    i.minMs = Math.min(i.minMs, f.minMs);
    i.maxMs = Math.max(i.maxMs, f.maxMs);
  }
  for (const part of parts) {
    for (const [index, m] of part.indices) {
      const i = get(index);
      i.docs += m.length;
      i.bytes += m.rawBytes;
      i.minMs = Math.min(i.minMs, m.minMs);
      i.maxMs = Math.max(i.maxMs, m.maxMs);
    }
  }
  return [...info].map(([name, i]) =>
    i.docs === 0
      ? { name, docs: 0, bytes: i.bytes }
      : { name, docs: i.docs, bytes: i.bytes, minMs: i.minMs, maxMs: i.maxMs },
  );
}
