/**
 * @module
 * A memory part's columns, kept by the ingest core (`wasm-part.ts`): per dotted path its rows
 * and values (codes into distinct values while they are all coded strings), each row's shape
 * and `@timestamp` time code, and a snapshot for the flush job. A document's JSON text is scanned
 * by the core; one it leaves is walked from its parsed source into the core. Its field types go
 * to the index's mapping as the core finds them.
 *
 * For searches the values are decoded into JavaScript, once each, when a search first asks for
 * a path. A flush job carries the core's memory to the worker thread, which writes the part
 * from it (`core-flush.ts`), or for a part out of time order reads it back into columns here
 * ({@link readColumns}).
 */

import { type FieldValue, typeOf } from '../../model/fields.js';
import type { IndexMapping } from './mapping.js';
import {
  KIND_FALSE,
  KIND_NUMBER,
  KIND_STRING,
  KIND_TRUE,
  type SavedPart,
  type SharedPart,
  WasmPart,
} from './wasm-part.js';

/**
 * A part's rows as a flush job carries them (structured-cloneable): their shapes and time codes;
 * the columns stay in the core, whose memory the job shares.
 */
export interface PartShapes {
  /** Per row, an index into `shapes`. */
  readonly shapeIds: Int32Array;
  readonly shapes: string[];
  /**
   * Per row, the code of its `@timestamp` when the core took it as one (and left it out of the
   * `@timestamp` column), else 0; undefined when no row's was taken.
   */
  readonly timeCodes: Uint8Array | undefined;
}

/** {@link PartShapes} with the columns read from the core into JavaScript ({@link readColumns}). */
export interface ColumnsSnapshot extends PartShapes {
  readonly paths: string[];
  /** Per path, its rows (ascending) and values. */
  readonly rows: Int32Array[];
  /**
   * Per path, its values; for a path with codes, its distinct values, and value `k` is
   * `vals[p][codes[p][k]]`.
   */
  readonly vals: FieldValue[][];
  readonly codes: (Int32Array | undefined)[];
}

/** A write's texts and ids in UTF-8 (a WAL record's bytes): see {@link CoreColumns.addBatch}. */
export interface CoreTexts {
  readonly buf: Uint8Array;
  readonly at: ArrayLike<number>;
  readonly lengths: ArrayLike<number>;
  readonly ids: { readonly at: ArrayLike<number>; readonly lengths: ArrayLike<number> };
}

/** Bits of the core's field types, as `IndexMapping` names them. */
const TYPE_NAMES = ['keyword', 'long', 'double', 'boolean', 'date', 'ip'] as const;

/** One dotted path's values, read from the core. */
export class CoreValues {
  rows = new Int32Array(64);
  /** Per entry the index of its value in {@link vals}; undefined once not every value is coded. */
  codes: Int32Array | undefined = new Int32Array(64);
  vals: FieldValue[] = [];
  length = 0;
  /** The core's paths with this dotted path (`{"a.b":1}` and `{"a":{"b":1}}` share one). */
  readonly ids: number[] = [];
  /** Per id, its entries read so far. */
  readonly #read: number[] = [];
  /** Per code of the one id's dictionary, 1 + the index of its string in {@link vals}. */
  #indexOf = new Int32Array(64);
  /** 1 + the index of `true` and of `false` in {@link vals}, once seen. */
  #trueAt = 0;
  #falseAt = 0;

  constructor(readonly path: string) {}

  addId(id: number): void {
    this.ids.push(id);
    this.#read.push(0);
  }

  /** Reads the entries the core added since the last refresh. */
  refresh(core: WasmPart): void {
    if (this.ids.length === 1 && this.codes !== undefined) {
      const id = this.ids[0]!;
      const e = core.entries(id, this.#read[0]!);
      let k = 0;
      for (; k < e.rows.length; k++) {
        const kind = e.kinds[k]!;
        let at: number;
        if (kind === KIND_STRING) {
          const code = e.values[k]!;
          if (code >= this.#indexOf.length) {
            const grown = new Int32Array(Math.max(code + 1, this.#indexOf.length * 2));
            grown.set(this.#indexOf);
            this.#indexOf = grown;
          }
          at = this.#indexOf[code]!;
          if (at === 0) this.#indexOf[code] = at = this.vals.push(core.value(id, code));
        } else if (kind === KIND_TRUE) at = this.#trueAt ||= this.vals.push(true);
        else if (kind === KIND_FALSE) at = this.#falseAt ||= this.vals.push(false);
        else break;
        this.#push(e.rows[k]!, at - 1);
      }
      this.#read[0]! += k;
      if (k === e.rows.length) return;
      this.#uncode();
    }
    if (this.codes !== undefined) this.#uncode();
    const fresh: [row: number, id: number, value: FieldValue][] = [];
    this.ids.forEach((id, j) => {
      const from = this.#read[j]!;
      const e = core.entries(id, from);
      for (let k = 0; k < e.rows.length; k++) {
        const kind = e.kinds[k]!;
        const v =
          kind === KIND_NUMBER
            ? e.values[k]!
            : kind === KIND_TRUE
              ? true
              : kind === KIND_FALSE
                ? false
                : core.entryString(id, from + k);
        fresh.push([e.rows[k]!, j, v]);
      }
      this.#read[j] = from + e.rows.length;
    });
    // Entries of several ids in row order (within a row, by id: not always document order).
    if (this.ids.length > 1) fresh.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    for (const [row, , v] of fresh) {
      this.#push(row, 0);
      this.vals.push(v);
    }
  }

  #push(row: number, code: number): void {
    const k = this.length++;
    if (k === this.rows.length) {
      const rows = new Int32Array(k * 2);
      rows.set(this.rows);
      this.rows = rows;
      if (this.codes !== undefined) {
        const codes = new Int32Array(k * 2);
        codes.set(this.codes);
        this.codes = codes;
      }
    }
    this.rows[k] = row;
    if (this.codes !== undefined) this.codes[k] = code;
  }

  /** Turns the values read so far from codes into values. */
  #uncode(): void {
    const codes = this.codes!;
    const distinct = this.vals;
    this.vals = [];
    for (let k = 0; k < this.length; k++) this.vals.push(distinct[codes[k]!]!);
    this.codes = undefined;
  }
}

/**
 * Cores of parts nothing reads any more, for new parts: a new core's memory grows anew to the
 * part's size (~100 MB a million lines), and the full collections that set off cost more than
 * the scan (50 Mark-Compacts in a million lines against 36 with cores reused).
 */
const spare: WasmPart[] = [];
/** A blank part, for {@link takeCore} to load into a spare core. */
let blank: SavedPart | undefined;

function takeCore(): WasmPart {
  const core = spare.pop();
  if (core === undefined) return new WasmPart();
  blank ??= new WasmPart().saved();
  core.load(blank);
  return core;
}

/**
 * A core reading the part `shared` in place (a flush job's, in the worker thread): its memory is
 * the main thread's core's, which adds nothing to it until the job is done.
 */
export function readerCore(shared: SharedPart): WasmPart {
  return new WasmPart(shared);
}

/** The columns and the ids of the part `shared` (a flush job's), read into JavaScript. */
export function readColumns(
  shared: SharedPart,
): Pick<ColumnsSnapshot, 'paths' | 'rows' | 'vals' | 'codes'> & { ids: string[] } {
  const core = readerCore(shared);
  const ids = Array.from({ length: core.ids.count }, (_, r) => core.ids.get(r));
  return { ...new CoreColumns(core, true).columns(), ids };
}

/**
 * The columns of one index in one memory part, in the ingest core.
 *
 * @example
 * const cols = new CoreColumns();
 * cols.add(0, 'id-0', '{"level":"info"}', { level: 'info' }, mapping, Date.now(), 0);
 * cols.valuesOf('level')?.vals; // ['info']
 */
export class CoreColumns {
  readonly core: WasmPart;
  readonly #byPath = new Map<string, CoreValues>();
  /** Per core path id, its values' holder (once the id has had a value). */
  readonly #ofId: (CoreValues | undefined)[] = [];
  #shapeIds = new Int32Array(1024);
  readonly #shapes: string[] = [];
  /** Per core shape id, its index in {@link #shapes}. */
  readonly #shapeNo = new Map<number, number>();
  #timeCodes: Uint8Array | undefined;

  /**
   * Empty columns; or, on `core` holding a part another instance saved (a flush job's, in the
   * worker thread), that part's columns to read.
   */
  constructor(core = takeCore(), saved = false) {
    this.core = core;
    if (!saved) return;
    for (let id = 1; id < this.core.pathCount; id++)
      if (this.core.pathTypes(id) !== 0 || this.core.entryCount(id) > 0) this.#holder(id);
  }

  /**
   * Adds row `row` (rows come in order), kept at `ms`/`ns`: document `id`, its JSON text `json`,
   * whose parsed form is `source`; its field types go to `mapping`.
   */
  add(
    row: number,
    id: string,
    json: string,
    source: Readonly<Record<string, unknown>>,
    mapping: IndexMapping,
    ms: number,
    ns: number,
  ): void {
    this.addBatch(row, [id], [json], [source], [ms], [ns], mapping);
  }

  /**
   * Adds rows `first` on (rows come in order), one per JSON text of `jsons` with its document
   * id of `ids`, whose parsed forms are `sources`, kept at `ms`/`ns`: one scan for them all, of
   * the UTF-8 bytes of texts and ids when `utf8` has them (text `k` is
   * `utf8.buf[utf8.at[k], utf8.at[k] + utf8.lengths[k])`, its id likewise at `utf8.ids`; `ids`
   * is not read then).
   */
  addBatch(
    first: number,
    ids: readonly string[],
    jsons: readonly string[],
    sources: readonly Readonly<Record<string, unknown>>[],
    ms: ArrayLike<number>,
    ns: ArrayLike<number>,
    mapping: IndexMapping,
    utf8?: CoreTexts,
  ): void {
    const core = this.core;
    // A text with a line break in it (whitespace between tokens) would be two lines to the scan
    // of texts; the scan of spans reads it as it is.
    if (utf8 === undefined && jsons.length > 1 && jsons.some((j) => j.includes('\n'))) {
      jsons.forEach((j, k) =>
        this.add(first + k, ids[k]!, j, sources[k]!, mapping, ms[k]!, ns[k]!),
      );
      return;
    }
    core.expectTimes(first, ms, ns);
    const walk = (row: number) => core.addDocument(row, sources[row - first]!);
    if (utf8 !== undefined) core.scanSpans(utf8.buf, utf8.at, utf8.lengths, first, walk, utf8.ids);
    else {
      core.scanTexts(jsons, first, walk);
      ids.forEach((id, k) => core.ids.add(first + k, id));
    }
    for (const id of core.typesChanged()) {
      this.#holder(id);
      mapping.observeTypes(core.path(id), typeNames(core.pathTypes(id)));
    }
    const unsure = core.unsure();
    for (let k = 0; k < unsure.length; k += 2) {
      const id = unsure[k]!;
      this.#holder(id);
      mapping.observeTypes(core.path(id), [typeOf(core.unsureValue(id, unsure[k + 1]!))]);
    }
    const end = first + jsons.length;
    if (end > this.#shapeIds.length) {
      const ids = new Int32Array(Math.max(end, this.#shapeIds.length * 2));
      ids.set(this.#shapeIds);
      this.#shapeIds = ids;
    }
    for (let row = first; row < end; row++) {
      const shape = core.shape(row);
      let no = this.#shapeNo.get(shape);
      if (no === undefined) {
        no = this.#shapes.length;
        this.#shapes.push(core.shapeText(shape));
        this.#shapeNo.set(shape, no);
      }
      this.#shapeIds[row] = no;
      const code = core.timeCode(row);
      if (code === 0) continue;
      let t = this.#timeCodes;
      if (t === undefined || row >= t.length) {
        const grown = new Uint8Array(Math.max(end, this.#shapeIds.length, 2 * (t?.length ?? 0)));
        if (t !== undefined) grown.set(t);
        this.#timeCodes = t = grown;
      }
      t[row] = code;
    }
  }

  #holder(id: number): CoreValues {
    let v = this.#ofId[id];
    if (v === undefined) {
      const path = this.core.path(id);
      v = this.#byPath.get(path);
      if (v === undefined) this.#byPath.set(path, (v = new CoreValues(path)));
      v.addId(id);
      this.#ofId[id] = v;
    }
    return v;
  }

  /** Every path's values. */
  paths(): IterableIterator<CoreValues> {
    for (const v of this.#byPath.values()) v.refresh(this.core);
    return this.#byPath.values();
  }

  /** The values of `path`, if any row has one. */
  valuesOf(path: string): CoreValues | undefined {
    const v = this.#byPath.get(path);
    v?.refresh(this.core);
    return v;
  }

  /** The code row `row`'s `@timestamp` went as, or 0. */
  timeCode(row: number): number {
    return this.#timeCodes?.[row] ?? 0;
  }

  /** The columns as a flush job's snapshot has them, read from the core. */
  columns(): Pick<ColumnsSnapshot, 'paths' | 'rows' | 'vals' | 'codes'> {
    const paths: string[] = [];
    const rows: Int32Array[] = [];
    const vals: FieldValue[][] = [];
    const codes: (Int32Array | undefined)[] = [];
    for (const c of this.paths()) {
      paths.push(c.path);
      rows.push(c.rows.slice(0, c.length));
      vals.push(c.vals);
      codes.push(c.codes?.slice(0, c.length));
    }
    return { paths, rows, vals, codes };
  }

  /**
   * The first `length` rows' shapes and time codes, copied, for a flush job: the columns go as
   * the core's memory ({@link shared}).
   */
  snapshot(length: number): PartShapes {
    return {
      shapeIds: this.#shapeIds.slice(0, length),
      shapes: this.#shapes,
      timeCodes: this.#timeCodes?.slice(0, length),
    };
  }

  /** Gives the core to a later part: these columns may not be read any more. */
  free(): void {
    spare.push(this.core);
    this.#byPath.clear();
    this.#ofId.length = 0;
  }

  /**
   * The core's part, for a flush job to read in place: nothing is added to a frozen part, and
   * its core goes to another part only once the job is done ({@link free}).
   */
  shared(): SharedPart {
    return this.core.shared();
  }
}

function typeNames(bits: number): (typeof TYPE_NAMES)[number][] {
  return TYPE_NAMES.filter((_, k) => (bits & (1 << k)) !== 0);
}
