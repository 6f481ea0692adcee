/**
 * @module
 * A flush's segment input read from a frozen part's ingest core (`wasm-part.ts`), for a part
 * whose documents are in time order and of one UTC day, as they nearly always are: a block's
 * rows are then a run of the part's, and each column of it is encoded by the core
 * (`WasmPart.encodeColumn`). JavaScript decodes only the values the writer tokenizes or looks
 * at: a plain column's, the `@timestamp` column's, and those of a dotted path two core paths
 * share (`{"a.b":1}` and `{"a":{"b":1}}`). Any other part goes through `flush-input.ts`.
 */

import { dayNumber, dayOf } from './catalog.js';
import { ColumnBuilder } from './column.js';
import { readerCore } from './core-columns.js';
import type { FlushPart } from './memory-part.js';
import { type BlockColumn, inSegmentOrder, type SegmentInput } from './segment-writer.js';
import { TIME_PATH } from './time-column.js';
import type { WasmPart } from './wasm-part.js';

/**
 * `part` as one input by its day, when its documents are in segment order and of one day; else
 * undefined.
 *
 * @example
 * const inputs = coreFlushInputs(part) ?? flushInputs(withColumns(part));
 */
export function coreFlushInputs(part: FlushPart): Map<string, CoreFlushInput> | undefined {
  const { ms, ns } = part;
  const n = ms.length;
  if (n === 0) return undefined;
  if (!inSegmentOrder(ms, ns) || dayNumber(ms[0]!) !== dayNumber(ms[n - 1]!)) return undefined;
  return new Map([[dayOf(ms[0]!), new CoreFlushInput(part, readerCore(part.core))]]);
}

/** The rows of a {@link FlushPart} in order, with its columns in `core`. */
export class CoreFlushInput implements SegmentInput {
  readonly index: string;
  readonly length: number;
  readonly ms: ArrayLike<number>;
  readonly ns: ArrayLike<number>;
  readonly rawBytes: number;
  readonly #part: FlushPart;
  readonly #core: WasmPart;
  #ids: string[] | undefined;
  /** Per dotted path, its core paths, in the order the part first saw them. */
  readonly #paths = new Map<string, number[]>();

  constructor(part: FlushPart, core: WasmPart) {
    this.#part = part;
    this.#core = core;
    this.index = part.index;
    this.length = part.ms.length;
    this.ms = part.ms;
    this.ns = part.ns;
    let raw = 0;
    for (let r = 0; r < this.length; r++) raw += part.bytes[r]!;
    this.rawBytes = raw;
    for (let id = 1; id < core.pathCount; id++) {
      // A path with types but no entries: a `@timestamp` whose values all went as time codes.
      if (core.pathTypes(id) === 0 && core.entryCount(id) === 0) continue;
      const path = core.path(id);
      const ids = this.#paths.get(path);
      if (ids === undefined) this.#paths.set(path, [id]);
      else ids.push(id);
    }
  }

  /** The ids, read from the core only when the writer hashes them itself (one past ASCII). */
  get ids(): readonly string[] {
    const ids = this.#core.ids;
    return (this.#ids ??= Array.from({ length: this.length }, (_, r) => ids.get(r)));
  }

  blockIds(start: number, end: number): { column: Uint8Array; hashes: Uint32Array | undefined } {
    const ids = this.#core.ids;
    return { column: ids.encode(start, end), hashes: ids.hashes(start, end) };
  }

  source(): Readonly<Record<string, unknown>> {
    throw new Error('a flush input has columns, not sources');
  }

  timeCodes(rows: Uint32Array): Uint8Array | undefined {
    const all = this.#part.cols.timeCodes;
    if (all === undefined) return undefined;
    const out = new Uint8Array(rows.length);
    for (let j = 0; j < rows.length; j++) out[j] = all[rows[j]!]!;
    return out;
  }

  blockColumns(start: number, end: number, shapes: ColumnBuilder): BlockColumn[] {
    const { shapeIds, shapes: table, timeCodes } = this.#part.cols;
    for (let r = start; r < end; r++) shapes.add(r - start, table[shapeIds[r]!]!);
    const core = this.#core;
    const out: BlockColumn[] = [];
    for (const [path, ids] of this.#paths) {
      const present = ids.filter((id) => core.entriesIn(id, start, end) > 0);
      // A block whose `@timestamp` values all went as time codes still has the column.
      const timeCoded =
        path === TIME_PATH && timeCodes !== undefined && anyCoded(timeCodes, start, end);
      if (present.length === 0 && !timeCoded) continue;
      let b: ColumnBuilder | undefined;
      const values = (): ColumnBuilder => (b ??= this.#values(present, start, end));
      if (present.length !== 1 || path === TIME_PATH) {
        out.push({ path, values });
        continue;
      }
      const id = present[0]!;
      out.push({
        path,
        values,
        encode: (from, to) => core.encodeColumn(id, start + from, start + to),
        stringLength: () => core.stringUnits(id, start, end),
        tokens: (pageDocs) => {
          const t = core.tokens(id, start, end, pageDocs);
          return (
            t && {
              bloom: () => t.bloom,
              pageBlooms: () => t.pageBlooms,
              frequent: () => t.frequent,
            }
          );
        },
      });
    }
    return out;
  }

  /** The values of `ids` (one dotted path's) in rows `[start, end)`. */
  #values(ids: readonly number[], start: number, end: number): ColumnBuilder {
    const b = new ColumnBuilder(end - start);
    const core = this.#core;
    if (ids.length === 1) {
      core.blockValues(ids[0]!, start, end, (doc, v) => b.add(doc, v));
      return b;
    }
    // In row order, and within a row by core path, as the part's columns have them.
    const all: [doc: number, k: number, v: string | number | boolean][] = [];
    ids.forEach((id, k) => core.blockValues(id, start, end, (doc, v) => all.push([doc, k, v])));
    all.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
    for (const [doc, , v] of all) b.add(doc, v);
    return b;
  }
}

function anyCoded(timeCodes: Uint8Array, start: number, end: number): boolean {
  for (let r = start; r < end; r++) if (timeCodes[r] !== 0) return true;
  return false;
}
