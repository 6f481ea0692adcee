/**
 * @module
 * Finds the string values of a column that may hold a token, in the column's bytes, without
 * decoding them. The string bytes are lowercased once (ASCII) and searched with
 * `Buffer.indexOf`, or, for a token with a rare letter, searched for that letter in either case
 * and the token compared around it. A hit counts when the bytes on either side are not ASCII
 * word characters, since a token is a maximal run of them (`model/tokenize.ts`). A byte from
 * 0x80 up beside a hit may belong to a letter or not, so such a hit counts too: the result is a
 * superset, which the filter confirms on the decoded values. Non-ASCII text can still produce an
 * ASCII token through lowercasing only by the Kelvin sign (U+212A, lowercased `k`; checked over
 * all of Unicode), so a value holding one counts for every token with a `k`.
 */

import { isAsciiWord } from '../../model/tokenize.js';
import { PHRASE_MAYBE, PHRASE_NO, PHRASE_YES } from '../../query/filter.js';

/**
 * The string values of a column: value `s` is `bytes[start[s], end[s])`, in increasing order,
 * all within `bytes[from, to)`. They are located as the scan reaches them ({@link locate}): a
 * rare word's page has its one hit anywhere, and locating every string first took a third of
 * the page's scan.
 */
export interface StringRuns {
  readonly bytes: Buffer;
  readonly start: Int32Array;
  readonly end: Int32Array;
  /** How many strings there are; `start` and `end` hold those located so far. */
  readonly count: number;
  /** Locates the strings through `s` (< {@link count}) and returns how many are located. */
  locate(s: number): number;
  readonly from: number;
  readonly to: number;
  /**
   * `bytes[from, to)` with ASCII lowercased (`lowered[k]` is `bytes[from + k]`), needed unless
   * every token has a rare letter ({@link lowerFor}).
   */
  readonly lowered: Buffer | undefined;
}

const KELVIN = Buffer.from('\u212a');

/**
 * Letters of at most ~1 % of English text (and of the benchmark's messages). A token with one is
 * found by looking for that letter in either case with `Buffer.indexOf` and comparing the token
 * around each place: in 128 KiB of messages, ~40 µs for `kraken` against ~80 µs to lowercase the
 * page and search the copy. For common letters the places are too many, and lowering wins.
 */
const RARE_LETTERS = 'jqxzvk';

/** Where in `token` a rare letter is, or -1. */
function rareLetterAt(token: string): number {
  for (const c of RARE_LETTERS) {
    const at = token.indexOf(c);
    if (at >= 0) return at;
  }
  return -1;
}

/**
 * Whether a scan for `tokens` needs the bytes lowercased ({@link StringRuns.lowered}).
 *
 * @example
 * lowerFor(['kraken']); // false
 */
export function lowerFor(tokens: readonly string[]): boolean {
  return tokens.some((t) => rareLetterAt(t) < 0);
}

/**
 * Sets `hit[s] = 1` for every string `s` of `runs` that may have `token` (lowercase
 * ASCII, `asciiToken` in model/tokenize.ts) among its tokens.
 *
 * @example
 * scanToken(runs, 'error', hit); // hit[s] === 1: string s may hold the token `error`
 */
export function scanToken(runs: StringRuns, token: string, hit: Uint8Array): void {
  const { bytes, start, end } = runs;
  const find = finder(runs, token);
  const n = runs.count;
  let located = 0;
  let s = 0;
  let at = runs.from;
  while (s < n) {
    const a = find(at);
    if (a < 0) break;
    for (; s < n; s++) {
      if (s >= located) located = runs.locate(s);
      if (end[s]! > a) break;
    }
    if (s === n) break;
    if (a < start[s]!) {
      // Inside the length prefix between two strings.
      at = start[s]!;
      continue;
    }
    const e = a + token.length;
    if (
      e > end[s]! ||
      (a > start[s]! && isAsciiWord(bytes[a - 1]!)) ||
      (e < end[s]! && isAsciiWord(bytes[e]!))
    ) {
      at = a + 1;
      continue;
    }
    hit[s] = 1;
    at = end[s]!;
    s++;
  }
  if (token.includes('k')) markContaining(runs, KELVIN, hit);
}

/**
 * A search of `runs`' bytes for `token`, case aside: from a byte on, the first place where it
 * is (-1 for none).
 */
function finder(runs: StringRuns, token: string): (at: number) => number {
  const { bytes, from, to, lowered } = runs;
  const len = token.length;
  const j = lowered === undefined ? rareLetterAt(token) : -1;
  if (j < 0) {
    if (lowered === undefined) throw new Error(`scanning for ${token} needs the lowered bytes`);
    const needle = Buffer.from(token, 'latin1');
    return (at) => {
      const p = lowered.indexOf(needle, at - from);
      return p < 0 || p + len > to - from ? -1 : p + from;
    };
  }
  const small = token.charCodeAt(j);
  const capital = small - 0x20;
  // The next place of each case of the letter at or after the last place asked for.
  let nextSmall = -2;
  let nextCapital = -2;
  return (at) => {
    for (;;) {
      const q = at + j;
      if (nextSmall !== -1 && nextSmall < q) nextSmall = bytes.indexOf(small, q);
      if (nextCapital !== -1 && nextCapital < q) nextCapital = bytes.indexOf(capital, q);
      const c =
        nextSmall < 0
          ? nextCapital
          : nextCapital < 0
            ? nextSmall
            : Math.min(nextSmall, nextCapital);
      if (c < 0 || c - j + len > to) return -1;
      const a = c - j;
      if (a >= from && equalsLowered(bytes, a, token)) return a;
      at = a + 1;
    }
  };
}

/** Whether `bytes` at `at` holds `token` (lowercase ASCII) with ASCII case aside. */
function equalsLowered(bytes: Buffer, at: number, token: string): boolean {
  for (let k = 0; k < token.length; k++) {
    const b = bytes[at + k]!;
    if ((b >= 0x41 && b <= 0x5a ? b | 0x20 : b) !== token.charCodeAt(k)) return false;
  }
  return true;
}

function markContaining(runs: StringRuns, needle: Buffer, hit: Uint8Array): void {
  const { bytes, start, end, from: base, to: stop } = runs;
  const n = runs.count;
  let located = 0;
  let s = 0;
  let from = base;
  for (;;) {
    const p = bytes.indexOf(needle, from);
    if (p < 0 || p >= stop) return;
    for (; s < n; s++) {
      if (s >= located) located = runs.locate(s);
      if (end[s]! > p) break;
    }
    if (s === n) return;
    if (p >= start[s]!) {
      hit[s] = 1;
      from = end[s]!;
    } else from = p + 1;
  }
}

/**
 * Whether the ASCII string `bytes[lo, hi)` could be read as a date or an address
 * (`model/fields.ts` `typeOf`), which a phrase never matches: a date starts with four digits and
 * a dash, an address has only hex digits, dots and colons.
 */
function mayBeTyped(bytes: Buffer, lo: number, hi: number): boolean {
  if (hi - lo >= 10 && bytes[lo + 4] === 0x2d) {
    let digits = 0;
    for (let i = lo; i < lo + 4; i++) if (bytes[i]! >= 0x30 && bytes[i]! <= 0x39) digits++;
    if (digits === 4) return true;
  }
  for (let i = lo; i < hi; i++) {
    const c = bytes[i]! | 0x20;
    const hexOrSep = (c >= 0x30 && c <= 0x3a) || (c >= 0x61 && c <= 0x66) || bytes[i] === 0x2e;
    if (!hexOrSep) return false;
  }
  return true;
}

/**
 * Whether the UTF-8 string `bytes[lo, hi)` holds `phrase` (lowercase ASCII tokens) in order
 * and adjacent as the tokenizer reads it: each token bounded by ASCII non-word bytes or the
 * string's ends, only ASCII non-word bytes between them. Letters are compared case-insensitively
 * on the fly, so nothing is copied or decoded. Exact for ASCII strings that cannot be read as a
 * date or an address; otherwise a found phrase is only {@link PHRASE_MAYBE}, and so is a missing
 * one when the string has a Kelvin sign (lowercased `k`).
 *
 * @example
 * phraseInBytes(buf, start, end, [Buffer.from('connection'), Buffer.from('refused')]);
 */
export function phraseInBytes(
  bytes: Buffer,
  lo: number,
  hi: number,
  phrase: readonly Uint8Array[],
): number {
  let ascii = true;
  for (let i = lo; i < hi; i++) {
    if (bytes[i]! >= 0x80) {
      ascii = false;
      break;
    }
  }
  const first = phrase[0]!;
  const c0 = first[0]!;
  let found = PHRASE_NO;
  for (let p = lo; p + first.length <= hi && found !== PHRASE_YES; p++) {
    if ((bytes[p]! | 0x20) !== c0 && bytes[p] !== c0) continue;
    const v = phraseFrom(bytes, lo, hi, p, phrase);
    if (v !== PHRASE_NO) found = v;
  }
  if (found === PHRASE_YES) return ascii && !mayBeTyped(bytes, lo, hi) ? PHRASE_YES : PHRASE_MAYBE;
  if (found === PHRASE_NO && !ascii && phrase.some((t) => t.includes(0x6b))) {
    const k = bytes.indexOf(KELVIN, lo);
    return k >= 0 && k < hi ? PHRASE_MAYBE : PHRASE_NO;
  }
  return found;
}

/** A byte lowercased when it is an ASCII capital. */
function lower(c: number): number {
  return c >= 0x41 && c <= 0x5a ? c | 0x20 : c;
}

/**
 * What the byte at `i` of the string `[lo, hi)` makes of a token's edge: no boundary
 * (a word byte), a boundary (an ASCII non-word byte or the string's end), or unknown (non-ASCII).
 */
function edge(bytes: Uint8Array, lo: number, hi: number, i: number): number {
  if (i < lo || i >= hi) return PHRASE_YES;
  const c = bytes[i]!;
  return c >= 0x80 ? PHRASE_MAYBE : isAsciiWord(c) ? PHRASE_NO : PHRASE_YES;
}

/** The phrase read from byte `p` of the string `[lo, hi)`. */
function phraseFrom(
  bytes: Uint8Array,
  lo: number,
  hi: number,
  p: number,
  phrase: readonly Uint8Array[],
): number {
  let verdict = edge(bytes, lo, hi, p - 1);
  if (verdict === PHRASE_NO) return PHRASE_NO;
  let at = p;
  for (let t = 0; t < phrase.length; t++) {
    const token = phrase[t]!;
    if (t > 0) {
      while (at < hi && bytes[at]! < 0x80 && !isAsciiWord(bytes[at]!)) at++;
      if (at >= hi) return PHRASE_NO;
      if (bytes[at]! >= 0x80) return PHRASE_MAYBE;
    }
    if (at + token.length > hi) return PHRASE_NO;
    for (let j = 0; j < token.length; j++) if (lower(bytes[at + j]!) !== token[j]) return PHRASE_NO;
    at += token.length;
    const after = edge(bytes, lo, hi, at);
    if (after === PHRASE_NO) return PHRASE_NO;
    if (after === PHRASE_MAYBE) verdict = PHRASE_MAYBE;
  }
  return verdict;
}
