/**
 * @module
 * Tells, from its bytes, whether a message is a JSON object whose keys can be lifted as its
 * text stands (`json-fields.ts`: no key the agent sets itself, no `message`), without
 * `JSON.parse` and the objects it builds. A full validation, as strict as `JSON.parse`, since the
 * text goes into the record unchanged: what `JSON.parse` would refuse must not pass. Anything this
 * does not decide cheaply — a key with escapes, non-ASCII bytes, deep nesting — is left to
 * `liftJson`.
 */

import { RESERVED as LIFTED_RESERVED } from './json-fields.js';

/** What {@link scanJsonObject} found. */
export const enum JsonScan {
  /** Not a JSON object: the message is not lifted. */
  NotObject = 0,
  /** A JSON object whose members can be copied as they are. */
  Plain = 1,
  /** Decide with `liftJson`: a reserved or escaped key, non-ASCII bytes, deep nesting. */
  Undecided = 2,
}

const INVALID = -1;
const UNDECIDED = -2;
/** Deeper documents are left to JSON.parse, which has its own limit. */
const MAX_DEPTH = 64;

/** Keys `liftJson` moves (or takes as the message): their records take the text way. */
const RESERVED = ['message', ...LIFTED_RESERVED].map((k) => Buffer.from(k, 'latin1'));

/**
 * Scans `buf[start, end)`, which begins with `{` and ends with `}`.
 *
 * @example
 * scanJsonObject(Buffer.from('{"level":"warn"}'), 0, 16); // JsonScan.Plain
 */
export function scanJsonObject(buf: Buffer, start: number, end: number): JsonScan {
  let i = ws(buf, start + 1, end);
  if (at(buf, i, end) === 0x7d /* } */)
    return ws(buf, i + 1, end) === end ? JsonScan.Plain : JsonScan.NotObject;
  let undecided = false;
  for (;;) {
    if (at(buf, i, end) !== 0x22) return JsonScan.NotObject;
    const keyEnd = string(buf, i, end);
    if (keyEnd === INVALID) return JsonScan.NotObject;
    if (keyEnd === UNDECIDED) return JsonScan.Undecided;
    // An escaped key may spell a reserved one: liftJson decides.
    if (sawEscape || reserved(buf, i + 1, keyEnd - 1)) undecided = true;
    i = ws(buf, keyEnd, end);
    if (at(buf, i, end) !== 0x3a /* : */) return JsonScan.NotObject;
    i = value(buf, ws(buf, i + 1, end), end, 1);
    if (i === INVALID) return JsonScan.NotObject;
    if (i === UNDECIDED) return JsonScan.Undecided;
    i = ws(buf, i, end);
    if (at(buf, i, end) === 0x2c /* , */) {
      i = ws(buf, i + 1, end);
      continue;
    }
    if (at(buf, i, end) !== 0x7d || ws(buf, i + 1, end) !== end) return JsonScan.NotObject;
    return undecided ? JsonScan.Undecided : JsonScan.Plain;
  }
}

/** `buf[i]`, or -1 past the end: the buffer goes on with other lines. */
function at(buf: Buffer, i: number, end: number): number {
  return i < end ? buf[i]! : -1;
}

function ws(buf: Buffer, i: number, end: number): number {
  while (i < end) {
    const b = buf[i]!;
    if (b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09) break;
    i++;
  }
  return i;
}

/** Whether the key `buf[start, end)` (no escapes) is one `liftJson` moves. */
function reserved(buf: Buffer, start: number, end: number): boolean {
  next: for (const k of RESERVED) {
    if (k.length !== end - start) continue;
    for (let j = 0; j < k.length; j++) if (buf[start + j] !== k[j]) continue next;
    return true;
  }
  return false;
}

/** Whether the last string {@link string} scanned had escapes. */
let sawEscape = false;

/** The end of the string at `buf[i]` (a `"`), past its closing quote; UNDECIDED for non-ASCII. */
function string(buf: Buffer, i: number, end: number): number {
  sawEscape = false;
  for (i++; i < end; i++) {
    const b = buf[i]!;
    if (b === 0x22) return i + 1;
    if (b < 0x20) return INVALID;
    if (b >= 0x80) return UNDECIDED;
    if (b !== 0x5c) continue;
    sawEscape = true;
    const e = buf[++i];
    if (e === 0x75 /* u */) {
      for (let k = 0; k < 4; k++) if (!hex(buf[++i])) return INVALID;
    } else if (
      e !== 0x22 &&
      e !== 0x5c &&
      e !== 0x2f &&
      e !== 0x62 &&
      e !== 0x66 &&
      e !== 0x6e &&
      e !== 0x72 &&
      e !== 0x74
    ) {
      return INVALID;
    }
  }
  return INVALID;
}

function hex(b: number | undefined): boolean {
  return (
    b !== undefined && ((b >= 0x30 && b <= 0x39) || ((b | 0x20) >= 0x61 && (b | 0x20) <= 0x66))
  );
}

function digits(buf: Buffer, i: number, end: number): number {
  while (i < end && buf[i]! >= 0x30 && buf[i]! <= 0x39) i++;
  return i;
}

/** The end of the value at `buf[i]`, INVALID, or UNDECIDED. */
function value(buf: Buffer, i: number, end: number, depth: number): number {
  const b = at(buf, i, end);
  // Escapes in values are copied as they are; only keys' escapes matter.
  if (b === 0x22) return string(buf, i, end);
  if (b === 0x7b || b === 0x5b) {
    if (depth >= MAX_DEPTH) return UNDECIDED;
    return b === 0x7b ? object(buf, i, end, depth + 1) : array(buf, i, end, depth + 1);
  }
  if (b === 0x74) return literal(buf, i, end, 'true');
  if (b === 0x66) return literal(buf, i, end, 'false');
  if (b === 0x6e) return literal(buf, i, end, 'null');
  return number(buf, i, end);
}

function literal(buf: Buffer, i: number, end: number, word: string): number {
  if (i + word.length > end) return INVALID;
  for (let k = 0; k < word.length; k++) if (buf[i + k] !== word.charCodeAt(k)) return INVALID;
  return i + word.length;
}

function number(buf: Buffer, i: number, end: number): number {
  if (at(buf, i, end) === 0x2d /* - */) i++;
  if (at(buf, i, end) === 0x30) i++;
  else {
    const d = digits(buf, i, end);
    if (d === i) return INVALID;
    i = d;
  }
  if (at(buf, i, end) === 0x2e /* . */) {
    const d = digits(buf, i + 1, end);
    if (d === i + 1) return INVALID;
    i = d;
  }
  if (at(buf, i, end) === 0x65 || at(buf, i, end) === 0x45) {
    i++;
    if (at(buf, i, end) === 0x2b || at(buf, i, end) === 0x2d) i++;
    const d = digits(buf, i, end);
    if (d === i) return INVALID;
    i = d;
  }
  return i;
}

function object(buf: Buffer, i: number, end: number, depth: number): number {
  i = ws(buf, i + 1, end);
  if (at(buf, i, end) === 0x7d) return i + 1;
  for (;;) {
    if (at(buf, i, end) !== 0x22) return INVALID;
    i = value(buf, i, end, depth);
    if (i < 0) return i;
    i = ws(buf, i, end);
    if (at(buf, i, end) !== 0x3a) return INVALID;
    i = value(buf, ws(buf, i + 1, end), end, depth);
    if (i < 0) return i;
    i = ws(buf, i, end);
    if (at(buf, i, end) === 0x2c) {
      i = ws(buf, i + 1, end);
      continue;
    }
    return at(buf, i, end) === 0x7d ? i + 1 : INVALID;
  }
}

function array(buf: Buffer, i: number, end: number, depth: number): number {
  i = ws(buf, i + 1, end);
  if (at(buf, i, end) === 0x5d) return i + 1;
  for (;;) {
    i = value(buf, i, end, depth);
    if (i < 0) return i;
    i = ws(buf, i, end);
    if (at(buf, i, end) === 0x2c) {
      i = ws(buf, i + 1, end);
      continue;
    }
    return at(buf, i, end) === 0x5d ? i + 1 : INVALID;
  }
}
