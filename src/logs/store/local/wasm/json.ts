import { addEntry, addStringEntry, commit, rollback, startLine, touchTypes } from './entries';
import { alloc, bytesEqual } from './memory';
import {
  FALSE,
  NUMBER,
  P_FIRST,
  P_KEY,
  P_KEYLEN,
  P_NEXT,
  P_OBJECT,
  P_PARENT,
  TRUE,
  pathOf,
  pathRec,
  timePath,
} from './paths';
import {
  CLOSE_ARR,
  CLOSE_OBJ,
  KEY,
  LEAF,
  NULL,
  OPEN_ARR,
  OPEN_OBJ,
  op,
  setRowShape,
  shapeOf,
  startShape,
} from './shapes';
import { readTime, seenTime, setRowTime, startTime } from './times';
import { TYPE_BOOLEAN, TYPE_DATE, TYPE_DOUBLE, TYPE_LONG } from './types';

// The scanner: one JSON text, a row, read into its paths' entries, its shape and its time.

/** Line outcomes. */
const TAKEN: u8 = 0;
export const LEFT: u8 = 1;
export const EMPTY: u8 = 2;

const MAX_DEPTH = 200;

let pos: usize = 0;
let end: usize = 0;
/** Set when the current line cannot be taken; the scan of it stops. */
let left = false;
/** Objects begun (duplicate keys are told by the object they were last seen in). */
let objects: i32 = 0;
let depth: i32 = 0;
/** Decoded strings (escapes) are written here. */
let scratch: usize = 0;
let scratchCap: i32 = 0;
/** Where the last string's bytes are: in the input, or in `scratch` after decoding. */
let strPtr: usize = 0;
let strLen: i32 = 0;

function leave(): void {
  left = true;
  pos = end;
}

function skipSpace(): void {
  while (pos < end) {
    const c = load<u8>(pos);
    // A line break only within a span (`scanSpans`): a scan of lines ends each before it.
    if (c != 32 && c != 9 && c != 13 && c != 10) return;
    pos++;
  }
}

function hexDigit(c: u32): i32 {
  if (c >= 48 && c <= 57) return <i32>c - 48;
  const l = c | 0x20;
  if (l >= 97 && l <= 102) return <i32>l - 87;
  return -1;
}

function hex4(p: usize): i32 {
  if (p + 4 > end) return -1;
  const a = hexDigit(load<u8>(p));
  const b = hexDigit(load<u8>(p + 1));
  const c = hexDigit(load<u8>(p + 2));
  const d = hexDigit(load<u8>(p + 3));
  if ((a | b | c | d) < 0) return -1;
  return (a << 12) | (b << 8) | (c << 4) | d;
}

/** Length of the valid UTF-8 sequence at p (first byte ≥ 0x80), or 0. */
function utf8Length(p: usize): i32 {
  const c = <u32>load<u8>(p);
  let n = 0;
  let min: u32 = 0;
  let cp: u32 = 0;
  if (c >= 0xc2 && c <= 0xdf) {
    n = 2;
    cp = c & 0x1f;
    min = 0x80;
  } else if (c >= 0xe0 && c <= 0xef) {
    n = 3;
    cp = c & 0x0f;
    min = 0x800;
  } else if (c >= 0xf0 && c <= 0xf4) {
    n = 4;
    cp = c & 0x07;
    min = 0x10000;
  } else return 0;
  if (p + <usize>n > end) return 0;
  for (let k = 1; k < n; k++) {
    const d = <u32>load<u8>(p + <usize>k);
    if ((d & 0xc0) != 0x80) return 0;
    cp = (cp << 6) | (d & 0x3f);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
  return n;
}

function scratchByte(at: i32, b: u32): void {
  store<u8>(scratch + <usize>at, <u8>b);
}

function ensureScratch(n: i32): void {
  if (n <= scratchCap) return;
  let cap = scratchCap == 0 ? 4096 : scratchCap;
  while (cap < n) cap *= 2;
  scratch = alloc(cap);
  scratchCap = cap;
}

/**
 * Reads the string whose opening quote is at `pos` into (strPtr, strLen) and moves past its
 * closing quote. Escapes are decoded into `scratch`.
 */
function readString(): void {
  const start = pos + 1;
  let p = start;
  const quote = i8x16.splat(34);
  const slash = i8x16.splat(92);
  const low = i8x16.splat(32);
  // Quotes, backslashes, control characters and non-ASCII bytes stop the fast loop.
  while (p + 16 <= end) {
    const v = v128.load(p);
    const stop = v128.or(v128.or(i8x16.eq(v, quote), i8x16.eq(v, slash)), i8x16.lt_u(v, low));
    const m = i8x16.bitmask(v128.or(stop, i8x16.lt_s(v, i8x16.splat(0))));
    if (m == 0) {
      p += 16;
      continue;
    }
    p += <usize>ctz(m);
    break;
  }
  while (p < end) {
    const c = <u32>load<u8>(p);
    if (c == 34) {
      strPtr = start;
      strLen = <i32>(p - start);
      pos = p + 1;
      return;
    }
    if (c == 92) break;
    if (c < 32) return leave();
    if (c >= 0x80) {
      const n = utf8Length(p);
      if (n == 0) return leave();
      p += <usize>n;
    } else p++;
  }
  if (p >= end) return leave();
  // Escapes: copy what came before, then decode.
  let n = <i32>(p - start);
  ensureScratch(<i32>(end - start));
  memory.copy(scratch, start, <usize>n);
  while (p < end) {
    const c = <u32>load<u8>(p);
    if (c == 34) {
      strPtr = scratch;
      strLen = n;
      pos = p + 1;
      return;
    }
    if (c < 32) return leave();
    if (c >= 0x80) {
      const k = utf8Length(p);
      if (k == 0) return leave();
      memory.copy(scratch + <usize>n, p, <usize>k);
      n += k;
      p += <usize>k;
      continue;
    }
    if (c != 92) {
      scratchByte(n++, c);
      p++;
      continue;
    }
    if (p + 1 >= end) return leave();
    const e = <u32>load<u8>(p + 1);
    p += 2;
    if (e == 34 || e == 92 || e == 47) scratchByte(n++, e);
    else if (e == 98) scratchByte(n++, 8);
    else if (e == 102) scratchByte(n++, 12);
    else if (e == 110) scratchByte(n++, 10);
    else if (e == 114) scratchByte(n++, 13);
    else if (e == 116) scratchByte(n++, 9);
    else if (e == 117) {
      let cp = hex4(p);
      if (cp < 0) return leave();
      p += 4;
      if (cp >= 0xd800 && cp <= 0xdbff) {
        // A pair gives one code point; a lone surrogate has no UTF-8 form.
        if (p + 6 > end || load<u8>(p) != 92 || load<u8>(p + 1) != 117) return leave();
        const lo = hex4(p + 2);
        if (lo < 0xdc00 || lo > 0xdfff) return leave();
        p += 6;
        cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
      } else if (cp >= 0xdc00 && cp <= 0xdfff) return leave();
      const u = <u32>cp;
      if (u < 0x80) scratchByte(n++, u);
      else if (u < 0x800) {
        scratchByte(n++, 0xc0 | (u >> 6));
        scratchByte(n++, 0x80 | (u & 0x3f));
      } else if (u < 0x10000) {
        scratchByte(n++, 0xe0 | (u >> 12));
        scratchByte(n++, 0x80 | ((u >> 6) & 0x3f));
        scratchByte(n++, 0x80 | (u & 0x3f));
      } else {
        scratchByte(n++, 0xf0 | (u >> 18));
        scratchByte(n++, 0x80 | ((u >> 12) & 0x3f));
        scratchByte(n++, 0x80 | ((u >> 6) & 0x3f));
        scratchByte(n++, 0x80 | (u & 0x3f));
      }
    } else return leave();
  }
  leave();
}

/** Powers of ten that doubles hold exactly (10^0 … 10^22). */
const POW10: StaticArray<f64> = [
  1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17,
  1e18, 1e19, 1e20, 1e21, 1e22,
];

/**
 * A number as JSON's grammar has it, converted exactly when its digits fit 2^53 and its power
 * of ten is at most 22 either way (one correctly rounded multiplication or division: Clinger's
 * fast path); any other number leaves the line.
 */
function readNumber(path: i32): void {
  let neg = false;
  if (load<u8>(pos) == 45) {
    neg = true;
    pos++;
  }
  if (pos >= end) return leave();
  let digits: u64 = 0;
  let nDigits = 0;
  let scale = 0;
  let c = <u32>load<u8>(pos);
  if (c == 48) {
    pos++;
  } else if (c >= 49 && c <= 57) {
    while (pos < end) {
      c = load<u8>(pos);
      if (c < 48 || c > 57) break;
      digits = digits * 10 + <u64>(c - 48);
      nDigits++;
      pos++;
    }
  } else return leave();
  if (pos < end && load<u8>(pos) == 46) {
    pos++;
    const first = pos;
    while (pos < end) {
      c = load<u8>(pos);
      if (c < 48 || c > 57) break;
      if (digits != 0 || c != 48) nDigits++;
      digits = digits * 10 + <u64>(c - 48);
      scale--;
      pos++;
    }
    if (pos == first) return leave();
  }
  if (pos < end && (load<u8>(pos) | 0x20) == 101) {
    pos++;
    let eneg = false;
    if (pos < end && (load<u8>(pos) == 43 || load<u8>(pos) == 45)) {
      eneg = load<u8>(pos) == 45;
      pos++;
    }
    const first = pos;
    let e = 0;
    while (pos < end) {
      c = load<u8>(pos);
      if (c < 48 || c > 57) break;
      if (e < 10000) e = e * 10 + <i32>(c - 48);
      pos++;
    }
    if (pos == first) return leave();
    scale += eneg ? -e : e;
  }
  if (nDigits > 19 || digits > (<u64>1) << 53) return leave();
  let v = <f64>digits;
  if (digits != 0) {
    if (scale < -22 || scale > 22) return leave();
    v = scale < 0 ? v / POW10[-scale] : v * POW10[scale];
  }
  // Number.isInteger, as `typeOf` decides long against double.
  addEntry(path, NUMBER, neg ? -v : v, v == Math.floor(v) ? TYPE_LONG : TYPE_DOUBLE);
}

function literal(word: u64, n: i32): bool {
  if (pos + <usize>n > end) return false;
  let got: u64 = 0;
  for (let k = 0; k < n; k++) got |= (<u64>load<u8>(pos + <usize>k)) << (<u64>k * 8);
  if (got != word) return false;
  pos += <usize>n;
  return true;
}

/** "true", "false", "null" as little-endian words. */
const TRUE_WORD: u64 = 0x65757274;
const FALSE_WORD: u64 = 0x65736c6166;
const NULL_WORD: u64 = 0x6c6c756e;

function readValue(path: i32): void {
  skipSpace();
  if (pos >= end) return leave();
  const c = load<u8>(pos);
  if (c == 34) {
    readString();
    if (left) return;
    if (path == timePath && readTime(strPtr, strLen)) {
      // A time code: no value in the column, and its type is the date it was read as.
      touchTypes(path, TYPE_DATE);
    } else {
      addStringEntry(path, strPtr, strLen);
    }
    op(LEAF);
  } else if (c == 123) readObject(path);
  else if (c == 91) readArray(path);
  else if (c == 116) {
    if (!literal(TRUE_WORD, 4)) return leave();
    addEntry(path, TRUE, 1, TYPE_BOOLEAN);
    op(LEAF);
  } else if (c == 102) {
    if (!literal(FALSE_WORD, 5)) return leave();
    addEntry(path, FALSE, 0, TYPE_BOOLEAN);
    op(LEAF);
  } else if (c == 110) {
    if (!literal(NULL_WORD, 4)) return leave();
    op(NULL);
  } else {
    readNumber(path);
    if (left) return;
    op(LEAF);
  }
}

/** True for an array index ("0", or digits without a leading zero up to 4294967294). */
function arrayIndex(p: usize, n: i32): bool {
  if (n == 0 || n > 10) return false;
  if (load<u8>(p) == 48) return n == 1;
  let v: u64 = 0;
  for (let k = 0; k < n; k++) {
    const c = <u32>load<u8>(p + <usize>k);
    if (c < 48 || c > 57) return false;
    v = v * 10 + <u64>(c - 48);
  }
  return v <= 4294967294;
}

function readObject(path: i32): void {
  if (++depth > MAX_DEPTH) return leave();
  const me = ++objects;
  pos++;
  op(OPEN_OBJ);
  skipSpace();
  if (pos < end && load<u8>(pos) == 125) {
    pos++;
    op(CLOSE_OBJ);
    depth--;
    return;
  }
  // Documents repeat their keys in order: the key that followed last time is tried first, by
  // its bytes, before the path table's hash.
  let guess = load<i32>(pathRec(path) + P_FIRST);
  let prev = -1;
  while (true) {
    skipSpace();
    if (pos >= end || load<u8>(pos) != 34) return leave();
    readString();
    if (left) return;
    // JavaScript puts array-index keys first and keeps one member per key: not this scan's
    // order or count.
    if (arrayIndex(strPtr, strLen)) return leave();
    let child = guess;
    const g = pathRec(guess);
    if (
      guess <= 0 ||
      load<i32>(g + P_PARENT) != path ||
      load<i32>(g + P_KEYLEN) != strLen ||
      !bytesEqual(<usize>load<i32>(g + P_KEY), strPtr, strLen)
    ) {
      child = pathOf(path, strPtr, strLen);
      store<i32>(prev < 0 ? pathRec(path) + P_FIRST : pathRec(prev) + P_NEXT, child);
    }
    prev = child;
    const r = pathRec(child);
    guess = load<i32>(r + P_NEXT);
    if (load<i32>(r + P_OBJECT) == me) return leave();
    store<i32>(r + P_OBJECT, me);
    op(KEY + child);
    skipSpace();
    if (pos >= end || load<u8>(pos) != 58) return leave();
    pos++;
    readValue(child);
    if (left) return;
    skipSpace();
    if (pos >= end) return leave();
    const d = load<u8>(pos++);
    if (d == 125) break;
    if (d != 44) return leave();
  }
  op(CLOSE_OBJ);
  depth--;
}

function readArray(path: i32): void {
  if (++depth > MAX_DEPTH) return leave();
  // An array at `@timestamp` is not a time `parseTime` reads.
  if (path == timePath) seenTime();
  pos++;
  op(OPEN_ARR);
  skipSpace();
  if (pos < end && load<u8>(pos) == 93) {
    pos++;
    op(CLOSE_ARR);
    depth--;
    return;
  }
  while (true) {
    readValue(path);
    if (left) return;
    skipSpace();
    if (pos >= end) return leave();
    const d = load<u8>(pos++);
    if (d == 93) break;
    if (d != 44) return leave();
  }
  op(CLOSE_ARR);
  depth--;
}

/** Begins row `r`, scanned here or walked by JavaScript. */
export function startRow(r: i32): void {
  left = false;
  depth = 0;
  startLine(r);
  startShape();
  startTime(r);
}

/** Scans the text at `[p, e)` as row `r` (if it is not blank); returns the line's outcome. */
export function scanLine(p: usize, e: usize, r: i32): u8 {
  pos = p;
  end = e;
  skipSpace();
  if (pos == end) return EMPTY;
  startRow(r);
  if (load<u8>(pos) != 123) return LEFT;
  readObject(0);
  if (!left) {
    skipSpace();
    if (pos != end) left = true;
  }
  if (left) {
    rollback();
    return LEFT;
  }
  commit();
  setRowShape(r, shapeOf());
  setRowTime(r);
  return TAKEN;
}

/** Writes the scanner's globals at `s`; returns where the next module's go. */
export function saveScanner(s: usize): usize {
  store<i64>(s, objects);
  return s + 8;
}

/** Takes what {@link saveScanner} wrote at `s`; returns where the next module's are. */
export function loadScanner(s: usize): usize {
  objects = <i32>load<i64>(s);
  scratch = 0;
  scratchCap = 0;
  return s + 8;
}
