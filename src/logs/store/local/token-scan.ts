/**
 * @module
 * Finds the string values of a column that may hold a token, in the column's bytes, without
 * decoding them. The string bytes are lowercased once (ASCII) and searched with
 * `Buffer.indexOf`; a hit counts when the bytes on either side are not ASCII word characters,
 * since a token is a maximal run of them (`model/tokenize.ts`). A byte from 0x80 up beside a hit
 * may belong to a letter or not, so such a hit counts too: the result is a superset, which the
 * filter confirms on the decoded values. Non-ASCII text can still produce an ASCII token through
 * lowercasing only by the Kelvin sign (U+212A, lowercased `k`; checked over all of Unicode), so a
 * value holding one counts for every token with a `k`.
 */

import { isAsciiWord } from '../../model/tokenize.js';

/** The string values of a column: value `s` is `bytes[start[s], end[s])`, in increasing order. */
export interface StringRuns {
  readonly bytes: Buffer;
  readonly start: Int32Array;
  readonly end: Int32Array;
  /** `bytes[from, to)` with ASCII lowercased: `lowered[k]` is `bytes[from + k]`. */
  readonly lowered: Buffer;
  readonly from: number;
}

const KELVIN = Buffer.from('\u212a');

/**
 * Sets `hit[s] = 1` for every string `s` of `runs` that may have `token` (lowercase
 * ASCII, `asciiToken` in model/tokenize.ts) among its tokens.
 *
 * @example
 * scanToken(runs, 'error', hit); // hit[s] === 1: string s may hold the token `error`
 */
export function scanToken(runs: StringRuns, token: string, hit: Uint8Array): void {
  const { bytes, start, end, lowered, from: base } = runs;
  const needle = Buffer.from(token, 'latin1');
  const n = start.length;
  let s = 0;
  let from = 0;
  while (s < n) {
    const p = lowered.indexOf(needle, from);
    if (p < 0) break;
    const a = p + base;
    while (s < n && end[s]! <= a) s++;
    if (s === n) break;
    if (a < start[s]!) {
      // Inside the length prefix between two strings.
      from = start[s]! - base;
      continue;
    }
    const e = a + needle.length;
    if (
      e > end[s]! ||
      (a > start[s]! && isAsciiWord(bytes[a - 1]!)) ||
      (e < end[s]! && isAsciiWord(bytes[e]!))
    ) {
      from = p + 1;
      continue;
    }
    hit[s] = 1;
    from = end[s]! - base;
    s++;
  }
  if (token.includes('k')) markContaining(runs, KELVIN, hit);
}

function markContaining(runs: StringRuns, needle: Buffer, hit: Uint8Array): void {
  const { bytes, start, end, from: base } = runs;
  const stop = base + runs.lowered.length;
  let s = 0;
  let from = base;
  for (;;) {
    const p = bytes.indexOf(needle, from);
    if (p < 0 || p >= stop) return;
    while (s < start.length && end[s]! <= p) s++;
    if (s === start.length) return;
    if (p >= start[s]!) {
      hit[s] = 1;
      from = end[s]!;
    } else from = p + 1;
  }
}
