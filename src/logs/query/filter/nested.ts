/**
 * @module
 * Nested queries: the inner query must match within one object of the array at a path, so
 * `items:{ name:banana and stock > 9 }` does not match a banana with 1 in stock beside an apple
 * with 20. Flattened columns have lost which values belong together, so this filter reads the
 * documents themselves ({@link Columns.source}): it gathers the objects at the path from every
 * candidate document of the block into one {@link DocColumns}, runs the inner filter over those
 * once, and keeps the documents that own a matching object.
 */

import type { Columns, Filter } from '../filter.js';
import { DocColumns } from './doc-columns.js';

type Obj = Readonly<Record<string, unknown>>;

function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Appends the objects in `v`: itself, or the objects of an array (arrays of arrays too). */
function addObjects(v: unknown, out: Obj[]): void {
  if (Array.isArray(v)) for (const x of v) addObjects(x, out);
  else if (isObject(v)) out.push(v);
}

/**
 * Appends the objects at the dotted `path` below `v`. Keys may contain dots, so a path is
 * tried against every key that is a prefix of it (`a.b` is `{a:{b}}` or `{"a.b"}`), and arrays
 * on the way are walked element by element.
 *
 * @example
 * const out: Obj[] = [];
 * objectsAt({ user: [{ names: [{ first: 'A' }] }] }, 'user.names', out); // out: [{ first: 'A' }]
 */
function objectsAt(v: unknown, path: string, out: Obj[]): void {
  if (Array.isArray(v)) {
    for (const x of v) objectsAt(x, path, out);
    return;
  }
  if (!isObject(v)) return;
  for (const key in v) {
    if (key === path) addObjects(v[key], out);
    else if (path.startsWith(key) && path.charCodeAt(key.length) === 0x2e) {
      objectsAt(v[key], path.slice(key.length + 1), out);
    }
  }
}

/** Evaluates a nested query; `inner` is the compiled inner query, over paths relative to `path`. */
export class NestedFilter implements Filter {
  constructor(
    readonly path: string,
    readonly inner: Filter,
  ) {}

  apply(cols: Columns, bits: Uint8Array): void {
    const objects: Obj[] = [];
    const owner: number[] = [];
    for (let i = 0; i < bits.length; i++) {
      if (bits[i] === 0) continue;
      const before = objects.length;
      objectsAt(cols.source(i), this.path, objects);
      for (let k = before; k < objects.length; k++) owner.push(i);
    }
    const sub = new Uint8Array(objects.length).fill(1);
    if (objects.length > 0) this.inner.apply(new DocColumns(objects), sub);
    const hit = new Uint8Array(bits.length);
    for (let k = 0; k < sub.length; k++) if (sub[k] !== 0) hit[owner[k]!] = 1;
    bits.set(hit);
  }
}
