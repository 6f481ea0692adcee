/**
 * @module
 * A document's shape: its JSON with every leaf replaced by `0`. Segments keep documents as
 * columns (one per dotted path) plus the shape, dictionary-encoded per block: logs of one
 * application share a handful of shapes, so the shape costs about a byte per document, and
 * the source comes back exactly (nesting, arrays, key order, dotted keys, nulls) by walking
 * the shape and taking each path's values in order. `forEachField` visits leaves in the same
 * order as this walk, so the k-th leaf with path p is the k-th value of column p.
 */

import type { FieldValue } from '../../model/fields.js';

/**
 * Calls `onLeaf` for every leaf of `source` (path, value; as `forEachField`) and returns the
 * shape.
 *
 * @example
 * shapeOf({ a: { b: 1 }, c: ['x', null] }, (p, v) => {}); // '{"a":{"b":0},"c":[0,null]}'
 */
export function shapeOf(
  source: Readonly<Record<string, unknown>>,
  onLeaf: (path: string, value: FieldValue) => void,
): string {
  let out = '{';
  let first = true;
  for (const key in source) {
    const part = visit(key, source[key], onLeaf);
    if (part === undefined) continue;
    out += `${first ? '' : ','}${quote(key)}:${part}`;
    first = false;
  }
  return `${out}}`;
}

function visit(
  path: string,
  v: unknown,
  onLeaf: (path: string, value: FieldValue) => void,
): string | undefined {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      onLeaf(path, v);
      return '0';
    case 'number':
      if (!Number.isFinite(v)) return 'null';
      onLeaf(path, v);
      return '0';
    case 'object': {
      if (v === null) return 'null';
      if (typeof (v as { toJSON?: unknown }).toJSON === 'function') {
        return visit(path, (v as { toJSON(): unknown }).toJSON(), onLeaf);
      }
      if (Array.isArray(v)) {
        let out = '[';
        for (let i = 0; i < v.length; i++)
          out += `${i ? ',' : ''}${visit(path, v[i], onLeaf) ?? 'null'}`;
        return `${out}]`;
      }
      let out = '{';
      let first = true;
      for (const key in v) {
        const part = visit(`${path}.${key}`, (v as Record<string, unknown>)[key], onLeaf);
        if (part === undefined) continue;
        out += `${first ? '' : ','}${quote(key)}:${part}`;
        first = false;
      }
      return `${out}}`;
    }
    default:
      // undefined, functions, symbols: JSON drops them from objects (and writes null in arrays).
      return undefined;
  }
}

/** JSON-quotes `key`, skipping JSON.stringify for the plain keys that nearly all are. */
function quote(key: string): string {
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if (c < 32 || c === 34 || c === 92 || c > 126) return JSON.stringify(key);
  }
  return `"${key}"`;
}

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
