/**
 * @module
 * The document walk of ingest and flush, built to allocate nothing per document in the steady
 * state. Paths are nodes of a {@link PathTree} reached by one Map lookup per key (JSON keys are
 * internalized strings, so the lookup hashes nothing), instead of a `${parent}.${key}` string
 * built and hashed per leaf; each node caches what its caller keeps per path (a column builder,
 * a mapping entry). The document's shape (`shape.ts`) is a state of a {@link ShapeTrie}, reached
 * by one transition per key and value, so a shape seen before costs no string building. On the
 * benchmark's lines this took shape and column building from ~15 µs to a few µs per document.
 */

import type { FieldValue } from '../../model/fields.js';

/**
 * A dotted path; `slot` and `stamp` belong to the tree's user.
 *
 * @example
 * const root = new PathNode<number>('');
 * root.child('kubernetes').child('namespace').path; // 'kubernetes.namespace'
 */
export class PathNode<T> {
  readonly children = new Map<string, PathNode<T>>();
  slot: T | undefined;
  /** Lets a user invalidate every slot at once (e.g. per block) by moving to a new stamp. */
  stamp = -1;
  constructor(readonly path: string) {}

  /** The child for `key`, created on first use. */
  child(key: string): PathNode<T> {
    let c = this.children.get(key);
    if (c === undefined)
      this.children.set(key, (c = new PathNode<T>(this.path === '' ? key : `${this.path}.${key}`)));
    return c;
  }
}

const OPEN_OBJ = 0;
const CLOSE_OBJ = 1;
const OPEN_ARR = 2;
const CLOSE_ARR = 3;
const LEAF = 4;
const NULL = 5;
const OP_TEXT = ['{', '}', '[', ']', '0', 'null'];

/**
 * A prefix of a shape's text; a whole document's walk ends in the state of its shape.
 *
 * @example
 * shapeTrie().op(0).key('a').text; // '{"a":'
 */
export class ShapeState {
  readonly #keys = new Map<string, ShapeState>();
  readonly #ops: (ShapeState | undefined)[] = [];
  constructor(
    readonly text: string,
    /** True after a value, where the next member or element needs a comma. */
    readonly afterValue: boolean,
  ) {}

  key(k: string): ShapeState {
    let s = this.#keys.get(k);
    if (s === undefined)
      this.#keys.set(
        k,
        (s = new ShapeState(`${this.text}${this.afterValue ? ',' : ''}${quote(k)}:`, false)),
      );
    return s;
  }

  op(op: number): ShapeState {
    let s = this.#ops[op];
    if (s === undefined) {
      const closing = op === CLOSE_OBJ || op === CLOSE_ARR;
      const comma = this.afterValue && !closing ? ',' : '';
      this.#ops[op] = s = new ShapeState(
        `${this.text}${comma}${OP_TEXT[op]}`,
        op !== OPEN_OBJ && op !== OPEN_ARR,
      );
    }
    return s;
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
 * The start state of a shape trie.
 *
 * @example
 * const trie = shapeTrie();
 */
export function shapeTrie(): ShapeState {
  return new ShapeState('', false);
}

/**
 * Calls `onLeaf` for every leaf of `source` (as `forEachField` does, in the same order) with its
 * path node, and returns the state of its shape in the trie rooted at `start` (or undefined when
 * `start` is undefined: leaves only).
 *
 * @example
 * const root = new PathNode<number>(''); const trie = shapeTrie();
 * walkDocument({ a: { b: 1 } }, root, trie, (node, v) => {})?.text; // '{"a":{"b":0}}'
 */
export function walkDocument<T>(
  source: Readonly<Record<string, unknown>>,
  root: PathNode<T>,
  start: ShapeState | undefined,
  onLeaf: (node: PathNode<T>, value: FieldValue) => void,
): ShapeState | undefined {
  return walkObject(source, root, start, onLeaf);
}

function walkObject<T>(
  obj: object,
  node: PathNode<T>,
  st: ShapeState | undefined,
  onLeaf: (node: PathNode<T>, value: FieldValue) => void,
): ShapeState | undefined {
  st = st?.op(OPEN_OBJ);
  const rec = obj as Record<string, unknown>;
  for (const key in rec) {
    const v = rec[key];
    // JSON leaves these members out of objects.
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
    st = walkValue(v, node.child(key), st?.key(key), onLeaf);
  }
  return st?.op(CLOSE_OBJ);
}

function walkValue<T>(
  v: unknown,
  node: PathNode<T>,
  st: ShapeState | undefined,
  onLeaf: (node: PathNode<T>, value: FieldValue) => void,
): ShapeState | undefined {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      onLeaf(node, v);
      return st?.op(LEAF);
    case 'number':
      if (!Number.isFinite(v)) return st?.op(NULL);
      onLeaf(node, v);
      return st?.op(LEAF);
    case 'object': {
      if (v === null) return st?.op(NULL);
      const toJSON = (v as { toJSON?: unknown }).toJSON;
      if (typeof toJSON === 'function') return walkValue(toJSON.call(v), node, st, onLeaf);
      if (!Array.isArray(v)) return walkObject(v, node, st, onLeaf);
      st = st?.op(OPEN_ARR);
      for (const e of v) st = walkValue(e, node, st, onLeaf);
      return st?.op(CLOSE_ARR);
    }
    default:
      // undefined, functions and symbols in an array: JSON writes null.
      return st?.op(NULL);
  }
}
