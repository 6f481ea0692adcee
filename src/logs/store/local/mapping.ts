/**
 * @module
 * The mapping of one index: every path seen, with every type seen for it (a conflict is kept,
 * never rejected) and whether it is indexed. Past the field limit a new path is recorded with
 * `indexed: false`: its values stay in the stored document but it is not searchable, the way
 * Elasticsearch's `index.mapping.total_fields.limit` would have rejected the document instead.
 */

import { type FieldType, type FieldValue, typeOf } from '../../model/fields.js';
import { parseTime } from '../../model/timestamp.js';
import type { FieldMapping } from '../interface.js';
import type { PartColumns, PathValues } from './part-columns.js';
import { TIME_PATH } from './time-column.js';
import { PathNode, walkDocument } from './walk.js';

/** Elasticsearch's default `index.mapping.total_fields.limit`. */
export const DEFAULT_FIELD_LIMIT = 1000;

const TYPES: readonly FieldType[] = ['keyword', 'long', 'double', 'boolean', 'date', 'ip'];
const BIT = new Map<FieldType, number>(TYPES.map((t, i) => [t, 1 << i]));

const KEYWORD = BIT.get('keyword')!;
const DATE = BIT.get('date')!;

/** A path node's cache: the mapping entry, the last value seen there and the part's column. */
interface Slot {
  readonly e: Entry;
  /** The path is `@timestamp`, whose values may go to the part's columns as time codes. */
  readonly time: boolean;
  last: FieldValue | undefined;
  /** The column of `cols` (whose stamp is `node.stamp`) that this path's values go to. */
  col: PathValues | undefined;
}

const isDigit = (c: number) => c >= 48 && c <= 57;

/**
 * The type bit of a string, as `typeOf` decides it, with `charCodeAt` tests in front of its
 * regular expressions (which cost about a µs per value): a date starts with `dddd-dd-dd`, an
 * IPv4 address with a digit, an IPv6 address with a hex digit or `:` and contains `:`. Most log
 * strings fail these tests and are keywords without a regular expression.
 */
function stringBit(s: string, parsed: boolean): number {
  const n = s.length;
  if (n < 2 || n > 45) return KEYWORD;
  const c0 = s.charCodeAt(0);
  if (isDigit(c0)) {
    const dateLike =
      n >= 10 &&
      n <= 35 &&
      isDigit(s.charCodeAt(1)) &&
      isDigit(s.charCodeAt(2)) &&
      isDigit(s.charCodeAt(3)) &&
      s.charCodeAt(4) === 45 &&
      isDigit(s.charCodeAt(5)) &&
      isDigit(s.charCodeAt(6)) &&
      s.charCodeAt(7) === 45 &&
      isDigit(s.charCodeAt(8)) &&
      isDigit(s.charCodeAt(9)) &&
      (n === 10 ||
        ((s.charCodeAt(10) === 84 || s.charCodeAt(10) === 32) &&
          n >= 16 &&
          isDigit(s.charCodeAt(11)) &&
          isDigit(s.charCodeAt(12)) &&
          s.charCodeAt(13) === 58 &&
          isDigit(s.charCodeAt(14)) &&
          isDigit(s.charCodeAt(15))));
    // What typeOf's isDate does after its prefix test: a full parse (fast path here).
    if (dateLike) return parsed || parseTime(s) !== undefined ? DATE : KEYWORD;
    return addressLike(s, false) ? BIT.get(typeOf(s))! : KEYWORD;
  }
  const lower = c0 | 0x20;
  if ((lower >= 97 && lower <= 102) || c0 === 58)
    return addressLike(s, true) ? BIT.get(typeOf(s))! : KEYWORD;
  return KEYWORD;
}

/**
 * False when `s` cannot be an IP address: it has a character other than hex digits, `.` and
 * `:` (an address has none), or no `:` (nor `.`, unless `colon`). One pass that stops at the
 * first other character, where the `includes` tests it replaces read whole trace ids and
 * messages (0.3 s of a 400 000-line profile's main thread).
 */
function addressLike(s: string, colon: boolean): boolean {
  let seen = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 58 || (c === 46 && !colon)) seen = true;
    else if (!(isDigit(c) || c === 46 || ((c | 0x20) >= 97 && (c | 0x20) <= 102))) return false;
  }
  return seen;
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
  readonly #root = new PathNode<Slot>('');
  #indexed = 0;
  /** Bumped on every change, so the store writes the file only when it changed. */
  version = 0;

  /**
   * @example
   * const m = new IndexMapping(1000);
   * m.observeDocument({ status: 404 });
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

  /**
   * Records every value of `source`; with `cols`, also appends its leaves to those columns as
   * row `row` and records its shape there: the one walk a document gets on ingest. `parsed` is
   * a string that `parseTime` read (the store's parse of the document's `@timestamp`), giving
   * the time `ms`/`ns`: a value equal to it is not parsed again, and at `@timestamp` goes to the
   * columns as a time code when it can (`PartColumns.addTime`).
   */
  observeDocument(
    source: Readonly<Record<string, unknown>>,
    cols?: PartColumns,
    row = 0,
    parsed?: string,
    ms = 0,
    ns = 0,
  ): void {
    this.#cols = cols;
    this.#row = row;
    this.#parsed = parsed;
    this.#ms = ms;
    this.#ns = ns;
    const shape = walkDocument(source, this.#root, cols?.trie, this.#onLeaf);
    if (cols !== undefined) cols.setShape(row, shape!);
  }

  #cols: PartColumns | undefined;
  #row = 0;
  #parsed: string | undefined;
  #ms = 0;
  #ns = 0;

  readonly #onLeaf = (node: PathNode<Slot>, value: FieldValue): void => {
    let slot = node.slot;
    if (slot === undefined)
      node.slot = slot = {
        e: this.#entry(node.path),
        time: node.path === TIME_PATH,
        last: undefined,
        col: undefined,
      };
    const cols = this.#cols;
    if (cols !== undefined) {
      if (node.stamp !== cols.stamp) {
        node.stamp = cols.stamp;
        slot.col = cols.column(node.path, slot.col?.length);
      }
      // The parsed string at `@timestamp` is the source's own `@timestamp`: the row's one value.
      const coded =
        slot.time && value === this.#parsed && cols.addTime(this.#row, value, this.#ms, this.#ns);
      if (!coded) slot.col!.add(this.#row, value);
    }
    // Namespaces, levels, pods repeat: the same value as last time has the same type.
    if (value === slot.last) return;
    slot.last = value;
    const bit =
      typeof value === 'string'
        ? stringBit(value, value === this.#parsed)
        : BIT.get(typeOf(value))!;
    const e = slot.e;
    if ((e.types & bit) === 0) {
      e.types |= bit;
      this.version++;
    }
  };

  /**
   * Records that `path` has values of `types`: for columns built elsewhere than by
   * {@link observeDocument}'s walk (the ingest core, `core-columns.ts`).
   */
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
