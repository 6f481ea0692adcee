/**
 * @module
 * A flush's segment input: one index's documents of a frozen memory part as the columns read
 * back from its ingest core (`core-columns.ts`'s `readColumns`), or the rows of one day of them.
 * (A part in time order and of one day is written from the core itself: `core-flush.ts`.) The segment writer
 * asks for each block's columns by rows; nothing is parsed or walked.
 */

import { lowerBound } from '../../../lib/sorted/lower-bound.js';
import { dayNumber, dayOf } from './catalog.js';
import type { ColumnBuilder } from './column.js';
import type { ReadPart } from './memory-part.js';
import type { SegmentInput } from './segment-writer.js';
import { TIME_PATH } from './time-column.js';

/**
 * Splits `part` into one input per UTC day of its documents (one input, all rows, when they
 * share a day, as they nearly always do).
 *
 * @example
 * for (const [day, input] of flushInputs(part)) writeSegment(pathOf(day), input);
 */
export function flushInputs(part: ReadPart): Map<string, FlushInput> {
  const n = part.ms.length;
  const out = new Map<string, FlushInput>();
  if (n === 0) return out;
  // Day numbers per row; each day's name once.
  const first = dayNumber(part.ms[0]!);
  let same = 1;
  while (same < n && dayNumber(part.ms[same]!) === first) same++;
  if (same === n) {
    out.set(dayOf(part.ms[0]!), new FlushInput(part, undefined));
    return out;
  }
  const days = new Map<number, number[]>();
  for (let r = 0; r < n; r++) {
    const day = dayNumber(part.ms[r]!);
    let rows = days.get(day);
    if (rows === undefined) days.set(day, (rows = []));
    rows.push(r);
  }
  for (const rows of days.values())
    out.set(dayOf(part.ms[rows[0]!]!), new FlushInput(part, Uint32Array.from(rows)));
  return out;
}

/** Rows of a {@link ReadPart} (all, or `subset`), numbered from 0 in the part's order. */
export class FlushInput implements SegmentInput {
  readonly index: string;
  readonly length: number;
  readonly ids: readonly string[];
  readonly ms: ArrayLike<number>;
  readonly ns: ArrayLike<number>;
  readonly rawBytes: number;
  readonly #part: ReadPart;
  readonly #subset: Uint32Array | undefined;
  /** Per path, where the next consecutive block's values start (see {@link fillBlock}). */
  readonly #cursor: Int32Array;
  /** Per path, the first value of each part row (`rows + 1` entries), built when needed. */
  readonly #firstOf: (Int32Array | undefined)[];

  /** @example const input = new FlushInput(part, undefined); */
  constructor(part: ReadPart, subset: Uint32Array | undefined) {
    this.#part = part;
    this.#subset = subset;
    this.index = part.index;
    const paths = part.cols.paths.length;
    this.#cursor = new Int32Array(paths);
    this.#firstOf = new Array<Int32Array | undefined>(paths);
    if (subset === undefined) {
      this.length = part.ms.length;
      this.ids = part.ids;
      this.ms = part.ms;
      this.ns = part.ns;
      let raw = 0;
      for (let r = 0; r < this.length; r++) raw += part.bytes[r]!;
      this.rawBytes = raw;
      return;
    }
    this.length = subset.length;
    const ids = new Array<string>(subset.length);
    const ms = new Float64Array(subset.length);
    const ns = new Int32Array(subset.length);
    let raw = 0;
    for (let i = 0; i < subset.length; i++) {
      const r = subset[i]!;
      ids[i] = part.ids[r]!;
      ms[i] = part.ms[r]!;
      ns[i] = part.ns[r]!;
      raw += part.bytes[r]!;
    }
    this.ids = ids;
    this.ms = ms;
    this.ns = ns;
    this.rawBytes = raw;
  }

  source(): Readonly<Record<string, unknown>> {
    throw new Error('a flush input has columns, not sources');
  }

  /** The time codes of `rows` taken on ingest (by the core), if any. */
  timeCodes(rows: Uint32Array): Uint8Array | undefined {
    const all = this.#part.cols.timeCodes;
    if (all === undefined) return undefined;
    const sub = this.#subset;
    const out = new Uint8Array(rows.length);
    for (let j = 0; j < rows.length; j++)
      out[j] = all[sub === undefined ? rows[j]! : sub[rows[j]!]!]!;
    return out;
  }

  /**
   * Adds the values of `rows` (block row `j` is input row `rows[j]`) to the block's builders
   * (`column(path)` gives one, created on first use) and their shapes to `shapes`. Blocks of
   * consecutive rows in ascending order, the usual case (documents arrive in time order), read
   * each column forward from a cursor; any other order goes through a per-row index.
   */
  fillBlock(
    rows: Uint32Array,
    column: (path: string) => ColumnBuilder,
    shapes: ColumnBuilder,
  ): void {
    const part = this.#part;
    const sub = this.#subset;
    const n = rows.length;
    const global = (j: number): number => (sub === undefined ? rows[j]! : sub[rows[j]!]!);
    const { shapeIds, shapes: table } = part.cols;
    let consecutive = true;
    const g0 = global(0);
    for (let j = 0; j < n; j++) {
      const g = global(j);
      if (g !== g0 + j) consecutive = false;
      shapes.add(j, table[shapeIds[g]!]!);
    }
    const { paths, rows: colRows, vals, codes, timeCodes } = part.cols;
    for (let p = 0; p < paths.length; p++) {
      const rs = colRows[p]!;
      const vs = vals[p]!;
      const cs = codes[p];
      // A block whose `@timestamp` values all went as time codes still has the column.
      let b: ColumnBuilder | undefined =
        timeCodes !== undefined && paths[p] === TIME_PATH && anyCoded(timeCodes, rows, sub)
          ? column(TIME_PATH)
          : undefined;
      if (consecutive) {
        let k = this.#cursor[p]!;
        // The cursor is where the previous block ended; rows skipped since (another day's) or
        // a block out of order move it by a binary search.
        if ((k < rs.length && rs[k]! < g0) || (k > 0 && rs[k - 1]! >= g0)) k = lowerBound(rs, g0);
        const end = g0 + n;
        for (; k < rs.length && rs[k]! < end; k++)
          (b ??= column(paths[p]!)).add(rs[k]! - g0, vs[cs === undefined ? k : cs[k]!]!);
        this.#cursor[p] = k;
        continue;
      }
      const first = (this.#firstOf[p] ??= firstValues(rs, part.ms.length));
      for (let j = 0; j < n; j++) {
        const g = global(j);
        for (let k = first[g]!; k < first[g + 1]!; k++)
          (b ??= column(paths[p]!)).add(j, vs[cs === undefined ? k : cs[k]!]!);
      }
    }
  }
}

/** True when some of `rows` (through `sub`, when given) has a time code. */
function anyCoded(timeCodes: Uint8Array, rows: Uint32Array, sub: Uint32Array | undefined): boolean {
  for (let j = 0; j < rows.length; j++)
    if (timeCodes[sub === undefined ? rows[j]! : sub[rows[j]!]!] !== 0) return true;
  return false;
}

/** For each row `r < rowCount`, the index of its first value in `rs`; entry `rowCount` ends it. */
function firstValues(rs: Int32Array, rowCount: number): Int32Array {
  const first = new Int32Array(rowCount + 1);
  let k = 0;
  for (let r = 0; r <= rowCount; r++) {
    while (k < rs.length && rs[k]! < r) k++;
    first[r] = k;
  }
  return first;
}
