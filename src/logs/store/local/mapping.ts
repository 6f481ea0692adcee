/**
 * @module
 * The mapping of one index: every path seen, with every type seen for it (a conflict is kept,
 * never rejected) and whether it is indexed. Past the field limit a new path is recorded with
 * `indexed: false`: its values stay in the stored document but it is not searchable, the way
 * Elasticsearch's `index.mapping.total_fields.limit` would have rejected the document instead.
 */

import { type FieldType, type FieldValue, typeOf } from '../../model/fields.js';
import type { FieldMapping } from '../interface.js';

/** Elasticsearch's default `index.mapping.total_fields.limit`. */
export const DEFAULT_FIELD_LIMIT = 1000;

const TYPES: readonly FieldType[] = ['keyword', 'long', 'double', 'boolean', 'date', 'ip'];
const BIT = new Map<FieldType, number>(TYPES.map((t, i) => [t, 1 << i]));

const KEYWORD = BIT.get('keyword')!;

/**
 * False for strings that cannot be a date or an IP (`typeOf`'s regular expressions): those
 * start with a digit, a hex letter or `:`. Most log strings fail this one-character test.
 */
function maybeTyped(s: string): boolean {
  const c = s.charCodeAt(0) | 0x20;
  return (c >= 48 && c <= 58) || (c >= 97 && c <= 102);
}

/** Serialized form: path → [type bits, indexed]. */
export type MappingJson = Record<string, [number, boolean]>;

interface Entry {
  types: number;
  readonly indexed: boolean;
}

export class IndexMapping {
  readonly #limit: number;
  readonly #fields = new Map<string, Entry>();
  #indexed = 0;
  /** Bumped on every change, so the store writes the file only when it changed. */
  version = 0;

  /**
   * @example
   * const m = new IndexMapping(1000);
   * m.observe('status', 404);
   * m.list(); // [{ path: 'status', types: ['long'], indexed: true }]
   */
  constructor(limit = DEFAULT_FIELD_LIMIT, json?: MappingJson) {
    this.#limit = limit;
    if (json !== undefined) {
      for (const [path, [types, indexed]] of Object.entries(json)) {
        this.#fields.set(path, { types, indexed });
        if (indexed) this.#indexed++;
      }
    }
  }

  /** Records a value of `path`. */
  observe(path: string, value: FieldValue): void {
    const bit = typeof value === 'string' && !maybeTyped(value) ? KEYWORD : BIT.get(typeOf(value))!;
    const e = this.#fields.get(path);
    if (e === undefined) {
      const indexed = this.#indexed < this.#limit;
      if (indexed) this.#indexed++;
      this.#fields.set(path, { types: bit, indexed });
      this.version++;
    } else if ((e.types & bit) === 0) {
      e.types |= bit;
      this.version++;
    }
  }

  /** Paths that are stored but not indexed. */
  unindexed(): Set<string> {
    const out = new Set<string>();
    for (const [p, e] of this.#fields) if (!e.indexed) out.add(p);
    return out;
  }

  list(): FieldMapping[] {
    return [...this.#fields].map(([path, e]) => ({
      path,
      types: TYPES.filter((t) => (e.types & BIT.get(t)!) !== 0),
      indexed: e.indexed,
    }));
  }

  toJSON(): MappingJson {
    const out: MappingJson = {};
    for (const [p, e] of this.#fields) out[p] = [e.types, e.indexed];
    return out;
  }
}
