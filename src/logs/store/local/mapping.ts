/**
 * @module
 * The mapping of one index: every path seen, with every type seen for it (a conflict is kept,
 * never rejected) and whether it is indexed. Past the field limit a new path is recorded with
 * `indexed: false`: its values stay in the stored document but it is not searchable, the way
 * Elasticsearch's `index.mapping.total_fields.limit` would have rejected the document instead.
 */

import type { FieldType } from '../../model/fields.js';
import type { FieldMapping } from '../interface.js';

/** Elasticsearch's default `index.mapping.total_fields.limit`. */
export const DEFAULT_FIELD_LIMIT = 1000;

const TYPES: readonly FieldType[] = ['keyword', 'long', 'double', 'boolean', 'date', 'ip'];
const BIT = new Map<FieldType, number>(TYPES.map((t, i) => [t, 1 << i]));

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
   * m.observeTypes('status', ['long']);
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

  /** Records that `path` has values of `types` (the ingest core's, `core-columns.ts`). */
  observeTypes(path: string, types: readonly FieldType[]): void {
    const e = this.#entry(path);
    for (const t of types) {
      const bit = BIT.get(t)!;
      if ((e.types & bit) === 0) {
        e.types |= bit;
        this.version++;
      }
    }
  }

  /** The entry of `path`, created (indexed while under the limit) on first sight. */
  #entry(path: string): Entry {
    let e = this.#fields.get(path);
    if (e === undefined) {
      const indexed = this.#indexed < this.#limit;
      if (indexed) this.#indexed++;
      this.#fields.set(path, (e = { types: 0, indexed }));
      this.version++;
    }
    return e;
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
