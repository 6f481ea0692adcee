/**
 * @module
 * One search over the store's blocks (segment blocks and chunks of the memory parts), given as
 * {@link Candidate}s already pruned by index, token bloom and column presence. For `desc`/`asc`
 * the blocks are merged by time: candidates are opened in order of their newest (oldest) time,
 * and a matched row is emitted only once every candidate that could hold a row before it has
 * been opened, so output is sorted across blocks (ties broken by the {@link Position}
 * tiebreak, `index/id`). Runs of rows from one block go out as one {@link ResultBlock}. `none`
 * emits each block's matches as they come, for aggregations.
 */

import type { FieldValue } from '../../model/fields.js';
import type { Columns, Filter } from '../../query/filter.js';
import { QueryLimitError } from '../errors.js';
import type { DocumentCodes, Position, ResultBlock, SearchRequest } from '../interface.js';
import type { ReadCounter } from './segment-reader.js';

/** A block opened for reading: columns for the filter plus row accessors, rows sorted by time. */
export interface OpenBlock extends Columns {
  readonly ms: Float64Array;
  readonly ns: Int32Array;
  id(i: number): string;
  values(i: number, path: string): readonly FieldValue[];
  source(i: number): Record<string, unknown>;
  /**
   * Called once when the search is done with the block: no row of it is read again (result
   * blocks are valid only during their callback). It may then reuse its memory.
   */
  release?(): void;
}

/** A block that may hold matches. */
export interface Candidate {
  readonly index: string;
  readonly minMs: number;
  readonly maxMs: number;
  open(counter: ReadCounter): OpenBlock;
  /**
   * Starts reading ahead what {@link open} will need, decompressing off the main thread; `open`
   * called after the promise settles uses it. A failure here is not the search's: `open` reads
   * again and reports it.
   */
  prefetch?(counter: ReadCounter): Promise<void>;
  /**
   * Runs one piece of read-ahead work that waits in a queue (any search's), on this thread;
   * false when none does. Called while the search waits for a read-ahead, instead of idling.
   */
  helpAhead?(): boolean;
}

/**
 * Candidates read ahead of the one being opened. Two keep the thread pool busy while the main
 * thread filters (a block's sections decompress in about the time its filter takes), and each
 * one more is memory held and work wasted when the search stops early.
 */
export const READ_AHEAD = 2;

/** Limits of one search. */
export interface SearchLimits {
  /** `max_docs_scanned`: documents read to decide whether they match. */
  readonly maxDocsScanned: number;
  /** `query_timeout`: ms. */
  readonly timeoutMs: number;
}

/** How long a search runs before it lets other work (ingest, other searches) in. */
const SLICE_MS = 10;

class Cursor {
  pos = 0;
  constructor(
    readonly index: string,
    readonly block: OpenBlock,
    /** Matched rows in emission order. */
    readonly rows: Int32Array,
  ) {}
  get row(): number {
    return this.rows[this.pos]!;
  }
  tiebreak(row: number): string {
    return `${this.index}/${this.block.id(row)}`;
  }
}

/**
 * Runs a search over `candidates`.
 *
 * @example
 * const stats = await runSearch(req, candidates, filter, limits, (b) => console.log(b.length));
 */
export async function runSearch(
  req: SearchRequest,
  candidates: Candidate[],
  filter: Filter | undefined,
  limits: SearchLimits,
  onBlock: (block: ResultBlock) => boolean | void,
): Promise<{ docsScanned: number; docsMatched: number; bytesRead: number }> {
  const desc = req.order === 'desc';
  const from = req.from ?? -Infinity;
  const to = req.to ?? Infinity;
  const after = req.order === 'none' ? undefined : req.after;
  const stats = { docsScanned: 0, docsMatched: 0, bytesRead: 0 };
  const deadline = Date.now() + limits.timeoutMs;
  let sliceStart = Date.now();

  const check = async () => {
    req.signal?.throwIfAborted();
    const now = Date.now();
    if (now > deadline) throw new QueryLimitError('query_timeout', limits.timeoutMs);
    if (now - sliceStart >= SLICE_MS) {
      await new Promise((r) => setImmediate(r));
      req.signal?.throwIfAborted();
      sliceStart = Date.now();
    }
  };

  /** Opens a candidate: time range, `after`, then the filter. Undefined when nothing matches. */
  // One bitmap for every block of the search: open() and the filter are synchronous.
  let scratch = new Uint8Array(0);
  const open = (c: Candidate): Cursor | undefined => {
    const blk = c.open(stats);
    const n = blk.length;
    if (scratch.length < n) scratch = new Uint8Array(n);
    const bits = scratch.subarray(0, n);
    let scanned = 0;
    if (after === undefined && c.minMs >= from && c.maxMs < to) {
      bits.fill(1);
      scanned = n;
    } else {
      bits.fill(0);
      const times = blk.ms;
      for (let i = 0; i < n; i++) {
        const ms = times[i]!;
        if (ms < from || ms >= to) continue;
        if (after !== undefined && !isAfter(blk, c.index, i, after, desc)) continue;
        bits[i] = 1;
        scanned++;
      }
    }
    stats.docsScanned += scanned;
    if (stats.docsScanned > limits.maxDocsScanned) {
      throw new QueryLimitError('max_docs_scanned', limits.maxDocsScanned);
    }
    if (scanned > 0 && filter !== undefined) filter.apply(blk, bits);
    // `none` emits a block's rows as it opens it, and is done with them before the next opens.
    const rows = matchedRows(bits, desc, req.order !== 'none');
    if (rows.length === 0) {
      blk.release?.();
      return undefined;
    }
    stats.docsMatched += rows.length;
    return new Cursor(c.index, blk, rows);
  };

  /** Read-ahead started, by candidate; errors are left for `open` to meet. */
  const ahead = new Map<Candidate, Promise<void>>();
  /** Starts reading ahead `list[i, i + READ_AHEAD]` and waits for `list[i]`'s. */
  const ready = async (list: readonly Candidate[], i: number): Promise<void> => {
    for (let k = i; k < Math.min(list.length, i + 1 + READ_AHEAD); k++) {
      const c = list[k]!;
      if (c.prefetch !== undefined && !ahead.has(c)) {
        ahead.set(
          c,
          c.prefetch(stats).catch(() => undefined),
        );
      }
    }
    const c = list[i]!;
    const p = ahead.get(c);
    if (p === undefined) return;
    ahead.delete(c);
    let done = false;
    void p.then(() => (done = true));
    while (!done && c.helpAhead?.() === true) await new Promise((r) => setImmediate(r));
    await p;
  };

  const inRange = candidates.filter((c) => c.maxMs >= from && c.minMs < to);
  if (req.order === 'none') {
    for (let i = 0; i < inRange.length; i++) {
      const c = inRange[i]!;
      await check();
      await ready(inRange, i);
      const cur = open(c);
      if (cur === undefined) continue;
      try {
        if (onBlock(resultBlock(cur, 0, cur.rows.length, true)) === false) break;
      } finally {
        cur.block.release?.();
      }
    }
    return stats;
  }

  const cands = inRange.sort(desc ? (a, b) => b.maxMs - a.maxMs : (a, b) => a.minMs - b.minMs);
  // a before b in emission order
  const before = (a: Cursor, b: Cursor): boolean => {
    const ra = a.row;
    const rb = b.row;
    const d = a.block.ms[ra]! - b.block.ms[rb]! || a.block.ns[ra]! - b.block.ns[rb]!;
    if (d !== 0) return desc ? d > 0 : d < 0;
    const ta = a.tiebreak(ra);
    const tb = b.tiebreak(rb);
    return desc ? ta > tb : ta < tb;
  };
  const open_: Cursor[] = [];
  try {
    let ci = 0;
    for (;;) {
      while (ci < cands.length) {
        const c = cands[ci]!;
        if (open_.length > 0) {
          const t = best(open_, before);
          const ms = t.block.ms[t.row]!;
          if (desc ? c.maxMs < ms : c.minMs > ms) break;
        }
        await check();
        await ready(cands, ci);
        ci++;
        const cur = open(c);
        if (cur !== undefined) open_.push(cur);
      }
      if (open_.length === 0) break;
      const top = best(open_, before);
      let second: Cursor | undefined;
      for (const c of open_)
        if (c !== top && (second === undefined || before(c, second))) second = c;
      const frontier = cands[ci];
      const start = top.pos;
      for (;;) {
        top.pos++;
        if (top.pos >= top.rows.length) break;
        if (second !== undefined && before(second, top)) break;
        if (frontier !== undefined) {
          const ms = top.block.ms[top.row]!;
          if (desc ? ms <= frontier.maxMs : ms >= frontier.minMs) break;
        }
      }
      if (top.pos < top.rows.length) {
        if (onBlock(resultBlock(top, start, top.pos)) === false) break;
        continue;
      }
      open_.splice(open_.indexOf(top), 1);
      try {
        if (onBlock(resultBlock(top, start, top.pos)) === false) break;
      } finally {
        top.block.release?.();
      }
    }
  } finally {
    // Cursors left when the caller stopped the search, or when it failed.
    for (const c of open_) c.block.release?.();
  }
  return stats;
}

/** Rows found by {@link matchedRows} before they are copied out; grows to the largest block. */
let rowScratch = new Int32Array(0);

/**
 * The rows whose bit is 1, ascending (descending for `desc`). `bits` must start on a 4-byte
 * boundary. The bitmap is read a 32-bit word (four documents) at a time, and each word's bytes
 * are tested in it: after a selective filter most words are zero, and byte by byte the loop
 * cost ~10 % of a histogram's CPU. One pass into a scratch array, then, when `copy`, one copy of
 * the rows found (a first pass to count them cost as much as the second); else the scratch
 * itself, valid until the next call.
 */
function matchedRows(bits: Uint8Array, desc: boolean, copy: boolean): Int32Array {
  const n = bits.length;
  const words = n >> 2;
  const w32 = new Uint32Array(bits.buffer, bits.byteOffset, words);
  if (rowScratch.length < n) rowScratch = new Int32Array(n);
  const rows = rowScratch;
  let k = 0;
  // Bytes are 0 or 1; byte j of a word is document 4w + j (typed arrays are little-endian on
  // every platform Node runs on).
  if (desc) {
    for (let i = n - 1; i >= words << 2; i--) if (bits[i] === 1) rows[k++] = i;
    for (let w = words - 1; w >= 0; w--) {
      const v = w32[w]!;
      if (v === 0) continue;
      const i = w << 2;
      if ((v & 0xff000000) !== 0) rows[k++] = i + 3;
      if ((v & 0xff0000) !== 0) rows[k++] = i + 2;
      if ((v & 0xff00) !== 0) rows[k++] = i + 1;
      if ((v & 0xff) !== 0) rows[k++] = i;
    }
  } else {
    for (let w = 0; w < words; w++) {
      const v = w32[w]!;
      if (v === 0) continue;
      const i = w << 2;
      if ((v & 0xff) !== 0) rows[k++] = i;
      if ((v & 0xff00) !== 0) rows[k++] = i + 1;
      if ((v & 0xff0000) !== 0) rows[k++] = i + 2;
      if ((v & 0xff000000) !== 0) rows[k++] = i + 3;
    }
    for (let i = words << 2; i < n; i++) if (bits[i] === 1) rows[k++] = i;
  }
  return copy ? rows.slice(0, k) : rows.subarray(0, k);
}

function best(cursors: Cursor[], before: (a: Cursor, b: Cursor) => boolean): Cursor {
  let b = cursors[0]!;
  for (let i = 1; i < cursors.length; i++) if (before(cursors[i]!, b)) b = cursors[i]!;
  return b;
}

/** True when row `i` comes strictly after `p` in the search's order. */
function isAfter(blk: OpenBlock, index: string, i: number, p: Position, desc: boolean): boolean {
  const d = blk.ms[i]! - p.ms || blk.ns[i]! - p.ns;
  if (d !== 0) return desc ? d < 0 : d > 0;
  const tb = `${index}/${blk.id(i)}`;
  return desc ? tb < p.tiebreak : tb > p.tiebreak;
}

/** {@link resultBlock}'s times of `none` searches; grows to the largest block. */
let msScratch = new Float64Array(0);

/**
 * Rows `[a, b)` of `cur` as a result block. With `reuse`, its times lie in a scratch array that
 * the next such block overwrites (a result block is valid only during its callback): an
 * aggregation over a day's blocks otherwise allocates and collects an array per block.
 */
function resultBlock(cur: Cursor, a: number, b: number, reuse = false): ResultBlock {
  const n = b - a;
  if (reuse && msScratch.length < n) msScratch = new Float64Array(n);
  const ms = reuse ? msScratch.subarray(0, n) : new Float64Array(n);
  const from = cur.block.ms;
  const rows = cur.rows;
  for (let i = 0; i < n; i++) ms[i] = from[rows[a + i]!]!;
  return new CursorRows(cur, a, ms);
}

/**
 * Rows of a {@link Cursor} from `a` on, as a {@link ResultBlock}. A class rather than closures:
 * a search makes one per block it emits.
 */
class CursorRows implements ResultBlock {
  readonly index: string;
  readonly length: number;
  readonly ms: Float64Array;
  readonly #cur: Cursor;
  readonly #a: number;
  #ns: Int32Array | undefined;

  constructor(cur: Cursor, a: number, ms: Float64Array) {
    this.index = cur.index;
    this.length = ms.length;
    this.ms = ms;
    this.#cur = cur;
    this.#a = a;
  }

  /**
   * Copied when first read: aggregations never read them, and a segment block decodes its ns
   * only when asked.
   */
  get ns(): Int32Array {
    if (this.#ns === undefined) {
      const { rows, block } = this.#cur;
      const ns = new Int32Array(this.length);
      const all = block.ns;
      for (let i = 0; i < ns.length; i++) ns[i] = all[rows[this.#a + i]!]!;
      this.#ns = ns;
    }
    return this.#ns;
  }

  position(i: number): Position {
    const row = this.#cur.rows[this.#a + i]!;
    return { ms: this.ms[i]!, ns: this.ns[i]!, tiebreak: this.#cur.tiebreak(row) };
  }

  id(i: number): string {
    return this.#cur.block.id(this.#cur.rows[this.#a + i]!);
  }

  source(i: number): Record<string, unknown> {
    return this.#cur.block.source(this.#cur.rows[this.#a + i]!);
  }

  values(i: number, path: string): readonly FieldValue[] {
    return this.#cur.block.values(this.#cur.rows[this.#a + i]!, path);
  }

  codes(path: string): DocumentCodes | undefined {
    const dict = this.#cur.block.column(path)?.dict;
    if (dict === undefined) return undefined;
    const all = dict.codes;
    const rows = this.#cur.rows;
    const codes = new Int32Array(this.length);
    for (let i = 0; i < codes.length; i++) codes[i] = all[rows[this.#a + i]!]!;
    return { values: dict.values, codes };
  }
}
