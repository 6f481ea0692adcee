/**
 * @module
 * The log store's ingest core (`wasm/part.ts`, AssemblyScript compiled to WebAssembly by
 * `npm run build`) as JavaScript sees it. A {@link WasmPart} is one memory part: JSON lines go
 * in as bytes and come out as per-path columns (dictionary codes for strings, doubles for
 * numbers) and one shape per document, with no JavaScript object per document or value. A line
 * the core does not take whole (invalid JSON, or JSON whose meaning in JavaScript it does not
 * reproduce) is {@link LEFT} for the JavaScript walk, and nothing of it stays in the columns.
 * Why: bench/RESULTS.md, "A WebAssembly ingest core, prototyped and measured".
 */

import {
  type CoreExports,
  instantiateCore,
  outputBytes,
  putUtf8,
  utf8At,
  type WasmMemory,
} from './wasm-core.js';
import { CoreIds } from './wasm-ids.js';
import { shapeTrie } from './walk.js';

/** A line's outcome: in the columns. */
export const TAKEN = 0;
/** A line's outcome: not taken, for the JavaScript walk (see `wasm/part.ts`). */
export const LEFT = 1;
/** A line's outcome: blank, not a row. */
export const EMPTY = 2;

/** Entry kinds in {@link Entries.kinds}. */
export const KIND_STRING = 1;
export const KIND_NUMBER = 2;
export const KIND_TRUE = 3;
export const KIND_FALSE = 4;
/** A string kept as it is, not coded (a path whose strings stopped repeating): {@link WasmPart.entryString}. */
export const KIND_RAW = 5;

/**
 * A part as another thread gets it ({@link WasmPart.saved}): its memory (the first `length`
 * bytes of `memory`) and where in it its state is. Structured-cloneable.
 */
export interface SavedPart {
  readonly memory: ArrayBuffer | SharedArrayBuffer;
  readonly length: number;
  readonly state: number;
}

/**
 * A part as another thread reads it in place ({@link WasmPart.shared}): its core's memory itself
 * and where in it its state is. The part's own core must not change it meanwhile.
 */
export interface SharedPart {
  readonly memory: WasmMemory;
  readonly state: number;
}

/** What became of the lines of one {@link WasmPart.scan}. */
export interface ScanResult {
  /** Per line (blank ones included): {@link TAKEN}, {@link LEFT} or {@link EMPTY}. */
  readonly outcomes: Uint8Array;
  /** Per line, its first byte's offset in the input and the offset of its end. */
  readonly starts: Int32Array;
  readonly ends: Int32Array;
}

/**
 * One path's entries in row order: per entry its row, kind and value (a number; a coded
 * string's code; nothing usable for a raw string, see {@link WasmPart.entryString}).
 */
export interface Entries {
  readonly rows: Int32Array;
  readonly kinds: Uint8Array;
  readonly values: Float64Array;
}

/** A shape's sequence (`wasm/part.ts`, "shapes"): `walk.ts`'s operations, and keys from 8 on. */
const SHAPE_OPEN_OBJ = 0;
const SHAPE_CLOSE_OBJ = 1;
const SHAPE_OPEN_ARR = 2;
const SHAPE_CLOSE_ARR = 3;
const SHAPE_LEAF = 4;
const SHAPE_NULL = 5;
const SHAPE_KEY = 8;

/**
 * One memory part in the ingest core.
 *
 * @example
 * const part = new WasmPart();
 * const r = part.scan(Buffer.from('{"level":"info"}\n'), 0);
 * r.outcomes[0] === TAKEN; // true
 */
export class WasmPart {
  readonly #x: CoreExports;
  readonly #paths: string[] = [''];
  /** The rows' document ids. */
  readonly ids: CoreIds;

  /**
   * A new, empty part; or, on `shared`, the part another instance shares ({@link shared}), read
   * in place.
   */
  constructor(shared?: SharedPart) {
    const x = (this.#x = instantiateCore(shared?.memory));
    this.ids = new CoreIds(x);
    if (shared !== undefined) x.loadState(shared.state);
    else x.init();
  }

  /**
   * The part for another thread to read in place (`new WasmPart(shared)`): this
   * instance must not add to it while the other reads; the other allocates past its end.
   */
  shared(): SharedPart {
    const x = this.#x;
    return { memory: x.memory as unknown as WasmMemory, state: x.saveState() };
  }

  /** Takes the part another instance saved, in place of this one's (whose memory it reuses). */
  load(saved: SavedPart): void {
    const x = this.#x;
    this.#paths.length = 1;
    const have = x.memory.buffer.byteLength;
    if (saved.length > have) x.memory.grow(Math.ceil((saved.length - have) / 65_536));
    new Uint8Array(x.memory.buffer).set(new Uint8Array(saved.memory, 0, saved.length));
    x.loadState(saved.state);
  }

  /**
   * The part as another instance takes it ({@link load}): a copy of its memory up to
   * its last allocation. This part stays usable.
   */
  saved(): SavedPart {
    const x = this.#x;
    const state = x.saveState();
    const length = x.memoryEnd();
    return { memory: x.memory.buffer.slice(0, length), length, state };
  }

  /**
   * The times rows `first` on are kept at: a row's `@timestamp` goes as a time code only when
   * it reads as that time (what the code stands for); a row without one, whenever it can.
   */
  expectTimes(first: number, ms: ArrayLike<number>, ns: ArrayLike<number>): void {
    const x = this.#x;
    const at = x.expectTimes(first, ms.length);
    new Float64Array(x.memory.buffer, at, ms.length).set(ms);
    new Int32Array(x.memory.buffer, x.expectedNsBuffer(), ns.length).set(ns);
  }

  /**
   * Scans newline-separated JSON objects; the lines that are not blank are rows `firstRow` on.
   * `onLeft` is called for each line left (see {@link LEFT}) before the lines after it are
   * scanned: to add it (`addDocument`) in its place among the rows.
   */
  scan(
    lines: Uint8Array,
    firstRow: number,
    onLeft?: (row: number, line: number) => void,
  ): ScanResult {
    const x = this.#x;
    // The pointer first: making room may grow the memory, which replaces its buffer.
    const at = x.inputBuffer(lines.length);
    new Uint8Array(x.memory.buffer, at, lines.length).set(lines);
    return this.#scanInput(lines.length, firstRow, onLeft);
  }

  /**
   * {@link scan} of JSON texts, one a line (none may hold a line break), written as UTF-8
   * straight into the core: no buffer of them is made on the way, which V8 would count as
   * external memory, and start a full collection for as it grows.
   */
  scanTexts(
    texts: readonly string[],
    firstRow: number,
    onLeft?: (row: number, line: number) => void,
  ): ScanResult {
    const x = this.#x;
    let most = texts.length;
    for (const t of texts) most += 3 * t.length;
    const at = x.inputBuffer(most);
    const view = Buffer.from(x.memory.buffer, at, most);
    let n = 0;
    for (const t of texts) {
      n += view.write(t, n);
      view[n++] = 10;
    }
    return this.#scanInput(n, firstRow, onLeft);
  }

  /**
   * {@link scanTexts} for texts already in UTF-8, each a row: text `k` is the bytes
   * `[at[k], at[k] + lengths[k])` of `bytes` (a WAL record's, say). They go into the core in one
   * copy, with whatever lies between them; the results' offsets are from the first byte copied.
   * With `ids`, row `firstRow + k`'s id is `[ids.at[k], ids.at[k] + ids.lengths[k])` of `bytes`,
   * before its text.
   */
  scanSpans(
    bytes: Uint8Array,
    at: ArrayLike<number>,
    lengths: ArrayLike<number>,
    firstRow: number,
    onLeft?: (row: number, line: number) => void,
    ids?: { readonly at: ArrayLike<number>; readonly lengths: ArrayLike<number> },
  ): ScanResult {
    const x = this.#x;
    const n = at.length;
    if (n === 0)
      return this.#scanAll(
        0,
        firstRow,
        onLeft,
        () => 0,
        () => 0,
      );
    const first = ids === undefined ? at[0]! : Math.min(at[0]!, ids.at[0]!);
    const size = at[n - 1]! + lengths[n - 1]! - first;
    const input = x.inputBuffer(size);
    const spanAt = x.spanBuffer(n);
    // Views once both are allocated: an allocation may grow the memory and detach them.
    new Uint8Array(x.memory.buffer, input, size).set(bytes.subarray(first, first + size));
    const spans = new Int32Array(x.memory.buffer, spanAt, 2 * n);
    for (let k = 0; k < n; k++) {
      spans[2 * k] = at[k]! - first;
      spans[2 * k + 1] = lengths[k]!;
    }
    const result = this.#scanAll(
      n,
      firstRow,
      onLeft,
      (from, row) => x.scanSpans(from, n, row),
      (lines) => lines,
    );
    if (ids !== undefined) {
      // The span buffer again, read by the scan and free now.
      const idSpans = new Int32Array(x.memory.buffer, x.spanBuffer(n), 2 * n);
      for (let k = 0; k < n; k++) {
        idSpans[2 * k] = ids.at[k]! - first;
        idSpans[2 * k + 1] = ids.lengths[k]!;
      }
      x.addIds(n, firstRow);
    }
    return result;
  }

  #scanInput(
    length: number,
    firstRow: number,
    onLeft: ((row: number, line: number) => void) | undefined,
  ): ScanResult {
    const x = this.#x;
    return this.#scanAll(
      length,
      firstRow,
      onLeft,
      (from, row) => x.scan(from, length, row),
      (_, lastEnd) => lastEnd + 1,
    );
  }

  /**
   * Calls `scanFrom(from, row)` (the core's `scan` or `scanSpans`, which stop after a line they
   * leave) until `from` reaches `stop`; `next(lines, lastEnd)` is where the next call starts.
   */
  #scanAll(
    stop: number,
    firstRow: number,
    onLeft: ((row: number, line: number) => void) | undefined,
    scanFrom: (from: number, row: number) => number,
    next: (lines: number, lastEnd: number) => number,
  ): ScanResult {
    const x = this.#x;
    x.beginBatch();
    const outcomes: number[] = [];
    const starts: number[] = [];
    const ends: number[] = [];
    let row = firstRow;
    for (let from = 0; from < stop;) {
      const n = scanFrom(from, row);
      // Read before `onLeft` runs: the memory's buffer changes when it grows.
      const buf = x.memory.buffer;
      const o = new Uint8Array(buf, x.lineOutcomes(), n);
      const s = new Int32Array(buf, x.lineStarts(), n);
      const e = new Int32Array(buf, x.lineEnds(), n);
      for (let k = 0; k < n; k++) {
        outcomes.push(o[k]!);
        starts.push(s[k]!);
        ends.push(e[k]!);
      }
      const last = outcomes.length - 1;
      from = next(outcomes.length, ends[last]!);
      const left = outcomes[last] === LEFT;
      for (let k = outcomes.length - n; k < outcomes.length; k++) if (outcomes[k] !== EMPTY) row++;
      if (left) onLeft?.(row - 1, last);
    }
    return {
      outcomes: Uint8Array.from(outcomes),
      starts: Int32Array.from(starts),
      ends: Int32Array.from(ends),
    };
  }

  /** The number of paths; path 0 is the document itself. */
  get pathCount(): number {
    return this.#x.pathCount();
  }

  /** The dotted path of path `id`, as `walk.ts`'s `PathNode` names it (an empty key adds nothing). */
  path(id: number): string {
    const x = this.#x;
    for (let k = this.#paths.length; k <= id; k++) {
      const parent = this.#paths[x.pathParent(k)]!;
      const key = this.#text(x.pathKey(k), x.pathKeyLength(k));
      this.#paths.push(parent === '' ? key : `${parent}.${key}`);
    }
    return this.#paths[id]!;
  }

  /** Path `id`'s entries `[from, to)` (copies; to its last by default). */
  entries(id: number, from = 0, to = Infinity): Entries {
    const x = this.#x;
    const n = Math.max(0, Math.min(to, x.entryCount(id)) - from);
    const buf = x.memory.buffer;
    if (n === 0)
      return { rows: new Int32Array(0), kinds: new Uint8Array(0), values: new Float64Array(0) };
    return {
      rows: new Int32Array(buf, x.entryRows(id) + 4 * from, n).slice(),
      kinds: new Uint8Array(buf, x.entryKinds(id) + from, n).slice(),
      values: new Float64Array(buf, x.entryValues(id) + 8 * from, n).slice(),
    };
  }

  /** The number of path `id`'s entries. */
  entryCount(id: number): number {
    return this.#x.entryCount(id);
  }

  /** The string of code `code` in path `id`'s dictionary. */
  value(id: number, code: number): string {
    return this.#text(this.#x.valueBytes(id, code), this.#x.valueLength(id, code));
  }

  /** Entry `k` of path `id`, a string (coded or raw). */
  entryString(id: number, k: number): string {
    const at = this.#x.entryString(id, k);
    return this.#text(at, this.#x.entryStringLength());
  }

  /** A string {@link unsure} listed: `item` is its code, or -1 minus its entry when raw. */
  unsureValue(path: number, item: number): string {
    return item > 0 ? this.value(path, item) : this.entryString(path, -1 - item);
  }

  /** Distinct strings in path `id`'s dictionary. */
  valueCount(id: number): number {
    return this.#x.valueCount(id);
  }

  /** The shape of row `row` (1 on; 0 for a row not taken); equal ids, equal shapes. */
  shape(row: number): number {
    return this.#x.rowShape(row);
  }

  get shapeCount(): number {
    return this.#x.shapeCount();
  }

  /**
   * Row `row`'s `@timestamp` as a time code (`time-column.ts`, 1–4): its time rebuilds it, and
   * the `@timestamp` column has no value for the row; 0 when it went as a value (or has none).
   */
  timeCode(row: number): number {
    return this.#x.rowTimeCode(row);
  }

  /**
   * Shape `id`'s text, as `walk.ts`'s shape trie writes it: the document's JSON with each leaf
   * written `0` (and nulls `null`), e.g. `{"a":0,"b":[0,null]}`.
   */
  shapeText(id: number): string {
    const x = this.#x;
    const ops = new Int32Array(x.memory.buffer, x.shapeOps(id), x.shapeOpsLength(id));
    let st = shapeTrie();
    for (const op of ops) {
      st =
        op >= SHAPE_KEY
          ? st.key(this.#text(x.pathKey(op - SHAPE_KEY), x.pathKeyLength(op - SHAPE_KEY)))
          : st.op(op);
    }
    return st.text;
  }

  /**
   * The field types of path `id`'s values in taken lines, as bits of `mapping.ts`'s types
   * (keyword 1, long 2, double 4, boolean 8, date 16, ip 32), leaving out the strings listed by
   * {@link unsure}.
   */
  pathTypes(id: number): number {
    return this.#x.pathTypes(id);
  }

  /**
   * The paths whose types ({@link pathTypes}) grew since the last scan began (by its lines and
   * the rows added during or after it).
   */
  typesChanged(): Int32Array {
    const x = this.#x;
    return new Int32Array(x.memory.buffer, x.changedList(), x.changedCount()).slice();
  }

  /**
   * The strings of the last scan's taken lines whose type the core leaves to `typeOf` (dates in
   * other layouts than `YYYY-MM-DDTHH:MM:SS[.f]Z`, IPv6-like strings), each distinct value once
   * per part, as (path, item) pairs: `item` for {@link unsureValue}.
   */
  unsure(): Int32Array {
    const x = this.#x;
    return new Int32Array(x.memory.buffer, x.unsureList(), 2 * x.unsureCount()).slice();
  }

  /**
   * Row `row`'s time, when its `@timestamp` is one string in the layout `parseTime` reads
   * fastest; undefined otherwise (JavaScript's `parseTime` decides then).
   */
  time(row: number): { ms: number; ns: number } | undefined {
    const ms = this.#x.rowTimeMs(row);
    return Number.isNaN(ms) ? undefined : { ms, ns: this.#x.rowTimeNs(row) };
  }

  /**
   * Adds row `row` from its parsed document, walked as `walk.ts` walks it: for a line the scan
   * left (see {@link LEFT}) that `JSON.parse` read.
   */
  addDocument(row: number, source: Readonly<Record<string, unknown>>): void {
    this.#x.beginRow(row);
    this.#walkObject(source, 0);
    this.#x.endRow();
  }

  #walkObject(obj: object, path: number): void {
    const x = this.#x;
    x.shapeOp(SHAPE_OPEN_OBJ);
    const rec = obj as Record<string, unknown>;
    for (const key in rec) {
      const v = rec[key];
      if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
      const child = x.childPath(path, putUtf8(x, key));
      x.shapeOp(SHAPE_KEY + child);
      this.#walkValue(v, child);
    }
    x.shapeOp(SHAPE_CLOSE_OBJ);
  }

  #walkValue(v: unknown, path: number): void {
    const x = this.#x;
    switch (typeof v) {
      case 'string':
        x.addString(path, putUtf8(x, v));
        x.shapeOp(SHAPE_LEAF);
        return;
      case 'boolean':
        x.addBoolean(path, v);
        x.shapeOp(SHAPE_LEAF);
        return;
      case 'number':
        if (!Number.isFinite(v)) return x.shapeOp(SHAPE_NULL);
        x.addNumber(path, v);
        x.shapeOp(SHAPE_LEAF);
        return;
      case 'object': {
        if (v === null) return x.shapeOp(SHAPE_NULL);
        const toJSON = (v as { toJSON?: unknown }).toJSON;
        if (typeof toJSON === 'function') return this.#walkValue(toJSON.call(v), path);
        if (!Array.isArray(v)) return this.#walkObject(v, path);
        x.shapeOp(SHAPE_OPEN_ARR);
        for (const e of v) this.#walkValue(e, path);
        x.shapeOp(SHAPE_CLOSE_ARR);
        return;
      }
      default:
        x.shapeOp(SHAPE_NULL);
    }
  }

  /**
   * Path `id`'s column for the block of rows `[rowStart, rowEnd)`, as `column.ts`'s
   * `encodeColumn` writes it (a copy).
   */
  encodeColumn(id: number, rowStart: number, rowEnd: number): Buffer {
    return outputBytes(this.#x, this.#x.encodeColumn(id, rowStart, rowEnd));
  }

  /**
   * The tokens of path `id`'s keyword strings in the rows `[rowStart, rowEnd)`, a block in pages
   * of `pageDocs` documents, as `frequent-tokens.ts`'s `ColumnTokenIndex` finds them: their
   * bloom, per page theirs, and the frequent-token section. Undefined when a string is past ASCII
   * (or of a type the core leaves to JavaScript): JavaScript indexes the column then.
   */
  tokens(
    id: number,
    rowStart: number,
    rowEnd: number,
    pageDocs: number,
  ): { bloom: Uint8Array; pageBlooms: Uint8Array[]; frequent: Buffer | undefined } | undefined {
    const x = this.#x;
    if (x.indexColumn(id, rowStart, rowEnd, pageDocs) === 0) return undefined;
    const bytes = (n: number): Buffer => outputBytes(x, n);
    const bloom = bytes(x.columnBloom());
    const pageBlooms: Uint8Array[] = [];
    if (pageDocs < rowEnd - rowStart) {
      const pages = x.pageBlooms();
      const lengths = new Int32Array(x.memory.buffer, x.pageBloomLengths(), pages);
      const all = bytes(lengths.reduce((sum, n) => sum + n, 0));
      for (let p = 0, at = 0; p < pages; at += lengths[p++]!)
        pageBlooms.push(all.subarray(at, at + lengths[p]!));
    }
    const n = x.frequentSection();
    return { bloom, pageBlooms, frequent: n === 0 ? undefined : bytes(n) };
  }

  /** UTF-16 units of path `id`'s strings in the rows `[rowStart, rowEnd)`. */
  stringUnits(id: number, rowStart: number, rowEnd: number): number {
    return this.#x.stringUnits(id, rowStart, rowEnd);
  }

  /** How many of path `id`'s entries are of the rows `[rowStart, rowEnd)`. */
  entriesIn(id: number, rowStart: number, rowEnd: number): number {
    return this.#x.entriesIn(id, rowStart, rowEnd);
  }

  /**
   * Path `id`'s values of the rows `[rowStart, rowEnd)`, in order, each given to `add` with its
   * row less `rowStart`. Their strings are decoded in one go: a decode per value cost more than
   * the rest of a flush's reading.
   */
  blockValues(
    id: number,
    rowStart: number,
    rowEnd: number,
    add: (doc: number, value: string | number | boolean) => void,
  ): void {
    const x = this.#x;
    const n = x.blockStrings(id, rowStart, rowEnd);
    if (n === 0) return;
    const from = x.blockFrom();
    const buf = x.memory.buffer;
    const rows = new Int32Array(buf, x.entryRows(id) + 4 * from, n);
    const kinds = new Uint8Array(buf, x.entryKinds(id) + from, n);
    const values = new Float64Array(buf, x.entryValues(id) + 8 * from, n);
    const ends = new Int32Array(buf, x.blockStringEnds(), n);
    const bytes = Buffer.from(buf, x.blockStringBytes(), x.blockStringLength());
    const text = bytes.toString(x.blockStringsAscii() !== 0 ? 'latin1' : 'utf8');
    let at = 0;
    for (let k = 0; k < n; k++) {
      const kind = kinds[k]!;
      const doc = rows[k]! - rowStart;
      if (kind === KIND_STRING || kind === KIND_RAW) {
        const end = ends[k]!;
        add(doc, text.slice(at, end));
        at = end;
      } else add(doc, kind === KIND_NUMBER ? values[k]! : kind === KIND_TRUE);
    }
  }

  #text(ptr: number, length: number): string {
    return utf8At(this.#x, ptr, length);
  }
}
