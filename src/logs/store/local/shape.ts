/**
 * @module
 * A document's shape: its JSON with every leaf replaced by `0`. Segments keep documents as
 * columns (one per dotted path) plus the shape, dictionary-encoded per block: logs of one
 * application share a handful of shapes, so the shape costs about a byte per document, and
 * the source comes back exactly (nesting, arrays, key order, dotted keys, nulls) by walking
 * the shape and taking each path's values in order. The writer's walk (`walk.ts`) visits leaves
 * in the same order as `forEachField` and as this rebuild, so the k-th leaf with path p is the
 * k-th value of column p.
 */

import type { FieldValue } from '../../model/fields.js';

/**
 * Rebuilds a document from its shape; `take(path)` returns the next value of `path`.
 *
 * @example
 * rebuildSource('{"a":{"b":0}}', () => 1); // { a: { b: 1 } }
 */
export function rebuildSource(
  shape: string,
  take: (path: string) => FieldValue,
): Record<string, unknown> {
  const doc = JSON.parse(shape) as Record<string, unknown>;
  for (const key in doc) set(doc, key, fill(key, doc[key], take));
  return doc;
}

function fill(path: string, v: unknown, take: (path: string) => FieldValue): unknown {
  if (v === 0) return take(path);
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) v[i] = fill(path, v[i], take);
    return v;
  }
  const o = v as Record<string, unknown>;
  for (const key in o) set(o, key, fill(`${path}.${key}`, o[key], take));
  return o;
}

/** Assigns an own property; `__proto__` (a legal JSON key) must not reach the prototype setter. */
function set(o: Record<string, unknown>, key: string, v: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(o, key, { value: v, enumerable: true, writable: true });
  else o[key] = v;
}
