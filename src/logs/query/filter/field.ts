/**
 * @module
 * What every value filter shares: which columns a {@link FieldSel} names in a block, and the
 * loop that narrows the bitmap by a per-value test. A document matches when any value of any
 * selected column passes. Dictionary columns test each distinct value once per block; others
 * test value by value with no allocation per document.
 */

import type { FieldValue } from '../../model/fields.js';
import {
  type Column,
  type Columns,
  type PackedCodes,
  PHRASE_MAYBE,
  PHRASE_YES,
} from '../filter.js';
import type { FieldSel } from '../query.js';

/** A test of one value, as filters implement it (a method, so the loop needs no closure). */
export interface ValueTest {
  test(value: FieldValue): boolean;
  /**
   * When set, only a string with one of these tokens (lowercase ASCII words) can pass: a column
   * that finds tokens in its bytes ({@link Column.findTokens}) then has only the documents
   * holding one tested.
   */
  readonly tokens?: readonly string[];
  /** True when every keyword string with one of {@link tokens} passes. */
  readonly tokensSuffice?: boolean;
  /**
   * When set, a string passes exactly when it is a keyword holding these words (lowercase
   * ASCII bytes) in order and adjacent: a column that reads phrases from its bytes
   * ({@link Column.phraseIn}) answers most candidates without decoding them.
   */
  readonly phrase?: readonly Uint8Array[];
}

/**
 * Whether `s` matches the `*` pattern whose literal pieces are `parts` (`a*b` is `['a', 'b']`),
 * as a whole and case-sensitively.
 *
 * @example
 * matchParts(['web-', ''], 'web-1'); // true
 * matchParts(['a', 'c', ''], 'abc'); // true
 */
export function matchParts(parts: readonly string[], s: string): boolean {
  const first = parts[0]!;
  if (parts.length === 1) return s === first;
  const last = parts[parts.length - 1]!;
  if (s.length < first.length + last.length || !s.startsWith(first) || !s.endsWith(last)) {
    return false;
  }
  // Leftmost placement of each middle piece leaves the most room for the rest.
  let at = first.length;
  const stop = s.length - last.length;
  for (let k = 1; k < parts.length - 1; k++) {
    const p = parts[k]!;
    const found = s.indexOf(p, at);
    if (found < 0 || found + p.length > stop) return false;
    at = found + p.length;
  }
  return true;
}

/**
 * The columns `sel` names in `cols`: one for a path the block has, those whose path matches a
 * pattern, or all.
 *
 * @example
 * selectColumns({ kind: 'pattern', parts: ['labels.', ''] }, cols); // every labels.* column
 */
export function selectColumns(sel: FieldSel, cols: Columns): Column[] {
  if (sel.kind === 'path') {
    const c = cols.column(sel.path);
    return c === undefined ? [] : [c];
  }
  const out: Column[] = [];
  for (const p of cols.paths()) {
    if (sel.kind === 'pattern' && !matchParts(sel.parts, p)) continue;
    const c = cols.column(p);
    if (c !== undefined) out.push(c);
  }
  return out;
}

/**
 * Clears `bits[i]` for every document that has no value passing `t` in the columns `sel`
 * names. Documents already 0 are not tested.
 *
 * @example
 * applyValueTest({ kind: 'path', path: 'n' }, { test: (v) => v === 1 }, cols, bits);
 */
export function applyValueTest(sel: FieldSel, t: ValueTest, cols: Columns, bits: Uint8Array): void {
  const columns = selectColumns(sel, cols);
  const hit = scratch(0, bits.length);
  for (const col of columns) markPassing(col, t, bits, hit);
  bits.set(hit);
}

/**
 * Zeroed bitmaps for {@link applyValueTest} (`k` 0) and {@link markPassing} (`k` 1), reused:
 * both are done with theirs before they return and nothing they call applies a filter, and a
 * search over a day's blocks otherwise allocated two 8 KiB arrays per block and column.
 */
const scratches = [new Uint8Array(0), new Uint8Array(0)];

function scratch(k: 0 | 1, n: number): Uint8Array {
  if (scratches[k]!.length < n) scratches[k] = new Uint8Array(n);
  const out = scratches[k]!.subarray(0, n);
  out.fill(0);
  return out;
}

/**
 * Sets `hit[i]` for every document `i` with `bits[i]` set (and `hit[i]` not yet) that has a
 * value in `col` passing `t`. One loop per kind of column, each without calls per document
 * where it can: a search over every block of a day runs these loops over every document.
 */
function markPassing(col: Column, t: ValueTest, bits: Uint8Array, hit: Uint8Array): void {
  const n = bits.length;
  if (t.tokens !== undefined && col.findTokens !== undefined && col.dict === undefined) {
    const found = scratch(1, n);
    if (col.findTokens(t.tokens, found) && t.tokensSuffice === true) {
      orAnd(hit, bits, found);
      return;
    }
    // A rare word marks a few documents of a block: its words of `found` are skipped four
    // documents at a time.
    const words = (found.byteOffset & 3) === 0 ? n >> 2 : 0;
    const f = new Uint32Array(found.buffer, found.byteOffset, words);
    for (let w = 0; w < words; w++) {
      if (f[w] !== 0)
        for (let i = w << 2; i < (w + 1) << 2; i++) confirm(col, t, i, bits, found, hit);
    }
    for (let i = words << 2; i < n; i++) confirm(col, t, i, bits, found, hit);
    return;
  }
  const dict = col.dict;
  if (dict !== undefined) {
    // Each distinct value is tested once (a block has at most 255, or 65 535 in a dictionary
    // with 16-bit codes), then the loop is a lookup: `pass[code + 1]`, code -1 (no value) failing.
    const pass = passTable(dict.values.length + 1);
    for (let k = 0; k < dict.values.length; k++) pass[k + 1] = t.test(dict.values[k]!) ? 1 : 0;
    const aligned = ((hit.byteOffset | bits.byteOffset) & 3) === 0;
    if (dict.packed !== undefined && aligned) {
      markPacked(dict.packed, pass, bits, hit);
      return;
    }
    const bytes = dict.codeBytes;
    if (bytes !== undefined && aligned) {
      // Four documents a word: about half the time of the loop below.
      const words = n >> 2;
      const h = new Uint32Array(hit.buffer, hit.byteOffset, words);
      const b = new Uint32Array(bits.buffer, bits.byteOffset, words);
      for (let w = 0; w < words; w++) {
        const i = w << 2;
        const p =
          pass[bytes[i]!]! |
          (pass[bytes[i + 1]!]! << 8) |
          (pass[bytes[i + 2]!]! << 16) |
          (pass[bytes[i + 3]!]! << 24);
        h[w]! |= b[w]! & p;
      }
      for (let i = words << 2; i < n; i++) hit[i]! |= bits[i]! & pass[bytes[i]!]!;
      return;
    }
    if (bytes !== undefined) {
      for (let i = 0; i < n; i++) hit[i]! |= bits[i]! & pass[bytes[i]!]!;
      return;
    }
    const codes = dict.codes;
    for (let i = 0; i < n; i++) hit[i]! |= bits[i]! & pass[codes[i]! + 1]!;
    return;
  }
  for (let i = 0; i < n; i++) {
    if (bits[i] !== 0 && hit[i] === 0 && anyPasses(col, t, i)) hit[i] = 1;
  }
}

/** {@link passTable}'s table, reused: a new one per block and column was garbage to collect. */
let passScratch = new Uint8Array(256);

/**
 * A zeroed table of at least 256 entries (so that any byte indexes it: the loop then has no
 * out-of-range case) and `n`.
 */
function passTable(n: number): Uint8Array {
  if (passScratch.length < n) passScratch = new Uint8Array(n);
  passScratch.fill(0);
  return passScratch;
}

/**
 * `hit[i] |= bits[i] & pass[code + 1]` for every document `i` of a dictionary column whose codes
 * are bit-packed (`packed`): eight codes are `width` bytes, read as one integer and looked up
 * without unpacking them into an array first (a histogram unpacked 8 192 a block for this loop
 * alone). `hit` and `bits` start on 4-byte boundaries.
 */
function markPacked(packed: PackedCodes, pass: Uint8Array, bits: Uint8Array, hit: Uint8Array) {
  const { bytes: pb, width: w, base } = packed;
  const n = bits.length;
  const mask = (1 << w) - 1;
  const words = n >> 2;
  const h = new Uint32Array(hit.buffer, hit.byteOffset, words);
  const b = new Uint32Array(bits.buffer, bits.byteOffset, words);
  let i = 0;
  let p = packed.off;
  // The bytes read past the eight codes (past the end of `pb` only as undefined, read as 0) are
  // never shifted down into a code.
  for (const whole = n - 7; i < whole; i += 8, p += w) {
    const v = pb[p]! | (pb[p + 1]! << 8) | (pb[p + 2]! << 16) | (pb[p + 3]! << 24);
    const lo =
      pass[base + (v & mask)]! |
      (pass[base + ((v >>> w) & mask)]! << 8) |
      (pass[base + ((v >>> (2 * w)) & mask)]! << 16) |
      (pass[base + ((v >>> (3 * w)) & mask)]! << 24);
    const hi =
      pass[base + ((v >>> (4 * w)) & mask)]! |
      (pass[base + ((v >>> (5 * w)) & mask)]! << 8) |
      (pass[base + ((v >>> (6 * w)) & mask)]! << 16) |
      (pass[base + ((v >>> (7 * w)) & mask)]! << 24);
    const k = i >> 2;
    h[k]! |= b[k]! & lo;
    h[k + 1]! |= b[k + 1]! & hi;
  }
  for (; i < n; i++) {
    const pos = i * w;
    const at = packed.off + (pos >> 3);
    const v = pb[at]! | (pb[at + 1]! << 8);
    hit[i]! |= bits[i]! & pass[base + ((v >> (pos & 7)) & mask)]!;
  }
}

/** `hit[i] |= bits[i] & found[i]` for all `i`, four bytes at a time where the arrays allow. */
function orAnd(hit: Uint8Array, bits: Uint8Array, found: Uint8Array): void {
  const n = hit.length;
  let i = 0;
  if (((hit.byteOffset | bits.byteOffset | found.byteOffset) & 3) === 0) {
    const words = n >> 2;
    const h = new Uint32Array(hit.buffer, hit.byteOffset, words);
    const b = new Uint32Array(bits.buffer, bits.byteOffset, words);
    const f = new Uint32Array(found.buffer, found.byteOffset, words);
    for (let w = 0; w < words; w++) h[w]! |= b[w]! & f[w]!;
    i = words << 2;
  }
  for (; i < n; i++) hit[i]! |= bits[i]! & found[i]!;
}

/** Sets `hit[i]` when document `i`, marked in `bits` and `found`, has a value passing `t`. */
function confirm(
  col: Column,
  t: ValueTest,
  i: number,
  bits: Uint8Array,
  found: Uint8Array,
  hit: Uint8Array,
): void {
  if (bits[i] === 0 || found[i] === 0 || hit[i] !== 0) return;
  const v =
    t.phrase === undefined || col.phraseIn === undefined ? PHRASE_MAYBE : col.phraseIn(i, t.phrase);
  if (v === PHRASE_YES || (v === PHRASE_MAYBE && anyPasses(col, t, i))) hit[i] = 1;
}

function anyPasses(col: Column, t: ValueTest, i: number): boolean {
  const vs = col.values(i);
  for (let k = 0; k < vs.length; k++) if (t.test(vs[k]!)) return true;
  return false;
}
