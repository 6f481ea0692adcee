import { alloc, bytesEqual, grown, hashBytes, mix } from './memory';
import { out, outByte, outN, outRoom, outUvarint, setOutLength } from './output';
import {
  P_COUNT,
  P_KINDS,
  P_NUMS,
  P_ROWS,
  RAW,
  STRING,
  lowerBoundRows,
  pathRec,
  valueAt,
} from './paths';
import { TYPE_KEYWORD, TYPE_LISTED, TYPE_UNSURE, stringType } from './types';

// A plain column's tokens, as `frequent-tokens.ts`'s `ColumnTokenIndex` indexes them: the same
// blooms (whole column, or per page) and frequent-token section.

const FREQUENT_MIN_DOCS = 32;
const BLOOM_PROBES = 6;
const KIND_BITMAP: u8 = 0;
const KIND_DELTAS: u8 = 1;

/** Per table slot: h1, h2 (0: empty), last doc + 1, last page + 1, holders, text, length, moved. */
const TOK_REC = 32;
const T_H1 = 0;
const T_H2 = 4;
const T_LAST = 8;
const T_PAGE = 12;
const T_HOLD = 16;
const T_TEXT = 20;
const T_LEN = 24;
const T_MOVED = 28;

/** The table, and a spare one it grows into: both kept for later columns. */
let tokTable: usize = 0;
let tokTableCap: i32 = 0;
let tokSpare: usize = 0;
let tokSpareCap: i32 = 0;
let tokSlots: i32 = 0;
let tokCount: i32 = 0;
/** (slot, doc) for every document holding a token, in document order. */
let tokLog: usize = 0;
let tokLogCap: i32 = 0;
let tokLogN: i32 = 0;
/** (page, slot) the first time a page holds a token. */
let tokPages: usize = 0;
let tokPagesCap: i32 = 0;
let tokPagesN: i32 = 0;
let tokDocs: i32 = 0;
let tokPageDocs: i32 = 1;
let pageLengths: usize = 0;
let pageLengthsCap: i32 = 0;

function uvarintSize(v: u32): i32 {
  let n = 1;
  while (v >= 0x80) {
    v >>= 7;
    n++;
  }
  return n;
}

/** `bloom.ts`'s `bloomSize` at its 16 bits a key. */
function bloomBytes(keys: i32): i32 {
  return max(32, (keys + 1) >> 1) * 4;
}

/** `bloom.ts`'s `bloomAdd` into the `bytes` bytes at `bits`. */
function bloomSet(bits: usize, bytes: i32, h1: u32, h2: u32): void {
  const m = <u32>bytes * 8;
  let x = h1;
  for (let i = 0; i < BLOOM_PROBES; i++) {
    const bit = x % m;
    const at = bits + <usize>(bit >>> 3);
    store<u8>(at, <u8>((<u32>load<u8>(at)) | ((<u32>1) << (bit & 7))));
    x += h2;
  }
}

function pushPair(buf: usize, n: i32, a: i32, b: i32): void {
  store<i32>(buf + <usize>n * 4, a);
  store<i32>(buf + <usize>n * 4 + 4, b);
}

function holdToken(slot: i32, doc: i32): void {
  const rec = tokTable + <usize>slot * TOK_REC;
  if (load<i32>(rec + T_LAST) == doc + 1) return;
  store<i32>(rec + T_LAST, doc + 1);
  const page = doc / tokPageDocs;
  if (load<i32>(rec + T_PAGE) != page + 1) {
    store<i32>(rec + T_PAGE, page + 1);
    if (tokPagesN + 2 > tokPagesCap) {
      const cap = max(4096, tokPagesCap * 2);
      tokPages = grown(tokPages, tokPagesN * 4, cap * 4);
      tokPagesCap = cap;
    }
    pushPair(tokPages, tokPagesN, page, slot);
    tokPagesN += 2;
  }
  store<i32>(rec + T_HOLD, load<i32>(rec + T_HOLD) + 1);
  if (tokLogN + 2 > tokLogCap) {
    const cap = max(8192, tokLogCap * 2);
    tokLog = grown(tokLog, tokLogN * 4, cap * 4);
    tokLogCap = cap;
  }
  pushPair(tokLog, tokLogN, slot, doc);
  tokLogN += 2;
}

function clearTable(at: usize, slots: i32): void {
  memory.fill(at, 0, <usize>slots * TOK_REC);
}

function growTokens(): void {
  const slots = tokSlots * 2;
  if (slots > tokSpareCap) {
    tokSpare = alloc(slots * TOK_REC);
    tokSpareCap = slots;
  }
  clearTable(tokSpare, slots);
  const mask = <u32>(slots - 1);
  for (let k = 0; k < tokSlots; k++) {
    const old = tokTable + <usize>k * TOK_REC;
    if (load<u32>(old + T_H2) == 0) continue;
    let i = load<u32>(old + T_H1) & mask;
    while (load<u32>(tokSpare + <usize>i * TOK_REC + T_H2) != 0) i = (i + 1) & mask;
    memory.copy(tokSpare + <usize>i * TOK_REC, old, TOK_REC);
    store<i32>(old + T_MOVED, <i32>i);
  }
  for (let k = 0; k < tokLogN; k += 2) {
    const at = tokLog + <usize>k * 4;
    store<i32>(at, load<i32>(tokTable + <usize>load<i32>(at) * TOK_REC + T_MOVED));
  }
  for (let k = 1; k < tokPagesN; k += 2) {
    const at = tokPages + <usize>k * 4;
    store<i32>(at, load<i32>(tokTable + <usize>load<i32>(at) * TOK_REC + T_MOVED));
  }
  const t = tokTable;
  const c = tokTableCap;
  tokTable = tokSpare;
  tokTableCap = tokSpareCap;
  tokSpare = t;
  tokSpareCap = c;
  tokSlots = slots;
}

/** The slot of the token hashed (h1, h2) at `p`/`n`, added if new. */
function tokenSlot(h1: u32, h2: u32, p: usize, n: i32): i32 {
  if ((tokCount + 1) * 2 > tokSlots) growTokens();
  const mask = <u32>(tokSlots - 1);
  let i = h1 & mask;
  let rec = tokTable + <usize>i * TOK_REC;
  while (load<u32>(rec + T_H2) != 0) {
    if (load<u32>(rec + T_H2) == h2 && load<u32>(rec + T_H1) == h1) return <i32>i;
    i = (i + 1) & mask;
    rec = tokTable + <usize>i * TOK_REC;
  }
  store<u32>(rec + T_H1, h1);
  store<u32>(rec + T_H2, h2);
  store<i32>(rec + T_TEXT, <i32>p);
  store<i32>(rec + T_LEN, n);
  tokCount++;
  return <i32>i;
}

/**
 * Per byte, as a token character: lowercased for an ASCII letter, digit or `_`; 0 for a
 * separator; 255 past ASCII.
 */
const TOKEN_CHAR = memory.data<u8>([
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 0, 0, 0, 0,
  0, 0, 0, 97, 98, 99, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114,
  115, 116, 117, 118, 119, 120, 121, 122, 0, 0, 0, 0, 95, 0, 97, 98, 99, 100, 101, 102, 103, 104,
  105, 106, 107, 108, 109, 110, 111, 112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122, 0, 0, 0,
  0, 0, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
  255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
  255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
  255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
  255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
  255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
  255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
]);

/**
 * Holds the tokens of the string `p`/`n` for `doc`, as `ColumnTokenIndex`'s ASCII pass finds and
 * hashes them; false, holding nothing more, for a string with a byte past ASCII.
 */
function tokenizeAscii(p: usize, n: i32, doc: i32): bool {
  let a: u32 = 0;
  let b: u32 = 0;
  let start = -1;
  for (let i = 0; i < n; i++) {
    const c = <u32>load<u8>(TOKEN_CHAR + <usize>load<u8>(p + <usize>i));
    if (c == 0) {
      if (start >= 0) {
        const len = i - start;
        holdToken(tokenSlot(mix(a), mix(b ^ (<u32>len)) | 1, p + <usize>start, len), doc);
        start = -1;
      }
      continue;
    }
    if (c == 255) return false;
    if (start < 0) {
      start = i;
      a = 0x811c9dc5;
      b = 0x2c1b3c6d;
    }
    a = (a ^ c) * 0x01000193;
    b = (b ^ c) * 0x5bd1e995;
  }
  if (start >= 0) {
    const len = n - start;
    holdToken(tokenSlot(mix(a), mix(b ^ (<u32>len)) | 1, p + <usize>start, len), doc);
  }
  return true;
}

/**
 * Indexes the tokens of path `path`'s keyword strings in the rows `[rowStart, rowEnd)`, a block
 * of that many documents in pages of `pageDocs`. False when a string is past ASCII or of a type
 * this core leaves to JavaScript: JavaScript indexes the column then.
 */
export function indexColumn(path: i32, rowStart: i32, rowEnd: i32, pageDocs: i32): bool {
  const r = pathRec(path);
  const rows = <usize>load<i32>(r + P_ROWS);
  const count = load<i32>(r + P_COUNT);
  const kinds = <usize>load<i32>(r + P_KINDS);
  const nums = <usize>load<i32>(r + P_NUMS);
  const from = lowerBoundRows(rows, count, rowStart);
  const to = lowerBoundRows(rows, count, rowEnd);
  tokDocs = rowEnd - rowStart;
  tokPageDocs = max(1, pageDocs);
  tokSlots = 1024;
  if (tokSlots > tokTableCap) {
    tokTable = alloc(tokSlots * TOK_REC);
    tokTableCap = tokSlots;
  }
  clearTable(tokTable, tokSlots);
  tokCount = tokLogN = tokPagesN = 0;
  for (let k = from; k < to; k++) {
    const kind = load<u8>(kinds + <usize>k);
    let type: i32;
    let at: usize;
    let n: i32;
    if (kind == RAW) {
      const bits = load<u64>(nums + <usize>k * 8);
      at = <usize>(<u32>bits);
      n = <i32>(bits >> 32);
      type = stringType(at, n);
    } else if (kind == STRING) {
      const v = valueAt(r, <i32>load<f64>(nums + <usize>k * 8));
      at = <usize>load<i32>(v);
      n = load<i32>(v + 4);
      type = load<i32>(v + 12) & ~TYPE_LISTED;
    } else continue;
    if (type == TYPE_UNSURE) return false;
    if (type != TYPE_KEYWORD) continue;
    if (!tokenizeAscii(at, n, load<i32>(rows + <usize>k * 4) - rowStart)) return false;
  }
  return true;
}

/** The bloom over every token {@link indexColumn} found; returns its length, at {@link columnBytes}. */
export function columnBloom(): i32 {
  const n = bloomBytes(tokCount);
  setOutLength(0);
  outRoom(n);
  memory.fill(out, 0, <usize>n);
  for (let k = 0; k < tokSlots; k++) {
    const rec = tokTable + <usize>k * TOK_REC;
    const h2 = load<u32>(rec + T_H2);
    if (h2 != 0) bloomSet(out, n, load<u32>(rec + T_H1), h2);
  }
  setOutLength(n);
  return n;
}

/**
 * Per page, the bloom over its tokens, end to end at {@link columnBytes}; each one's length at
 * {@link pageBloomLengths}, an i32 a page. Returns the number of pages.
 */
export function pageBlooms(): i32 {
  const pages = (tokDocs + tokPageDocs - 1) / tokPageDocs;
  if (pages > pageLengthsCap) {
    pageLengthsCap = max(pages, pageLengthsCap * 2);
    pageLengths = alloc(pageLengthsCap * 4);
  }
  memory.fill(pageLengths, 0, <usize>pages * 4);
  for (let k = 0; k < tokPagesN; k += 2) {
    const at = pageLengths + <usize>load<i32>(tokPages + <usize>k * 4) * 4;
    store<i32>(at, load<i32>(at) + 1);
  }
  let total = 0;
  for (let p = 0; p < pages; p++) {
    const at = pageLengths + <usize>p * 4;
    const n = bloomBytes(load<i32>(at));
    store<i32>(at, n);
    total += n;
  }
  setOutLength(0);
  outRoom(total);
  memory.fill(out, 0, <usize>total);
  // Pages come in order: each one's bloom starts where the one before ended.
  let page = -1;
  let bits: usize = 0;
  let bytes = 0;
  for (let k = 0; k < tokPagesN; k += 2) {
    const p = load<i32>(tokPages + <usize>k * 4);
    while (page < p) {
      bits += <usize>bytes;
      page++;
      bytes = load<i32>(pageLengths + <usize>page * 4);
    }
    const rec = tokTable + <usize>load<i32>(tokPages + <usize>k * 4 + 4) * TOK_REC;
    bloomSet(out + bits, bytes, load<u32>(rec + T_H1), load<u32>(rec + T_H2));
  }
  setOutLength(total);
  return pages;
}

/** Scratch of {@link frequentSection}: i32s, grown as needed and kept. */
let freqScratch: usize = 0;
let freqScratchCap: i32 = 0;

/** Token `a`'s text against `b`'s, lowercased, as JavaScript orders strings. */
function tokenBefore(a: usize, b: usize): bool {
  const pa = <usize>load<i32>(a + T_TEXT);
  const na = load<i32>(a + T_LEN);
  const pb = <usize>load<i32>(b + T_TEXT);
  const nb = load<i32>(b + T_LEN);
  const n = min(na, nb);
  for (let i = 0; i < n; i++) {
    let x = <u32>load<u8>(pa + <usize>i);
    let y = <u32>load<u8>(pb + <usize>i);
    if (x >= 65 && x <= 90) x |= 0x20;
    if (y >= 65 && y <= 90) y |= 0x20;
    if (x != y) return x < y;
  }
  return na < nb;
}

/** `frequent-tokens.ts`'s `encodeDocs` of the `n` documents at `docs`, into {@link out}. */
function encodeDocs(docs: usize, n: i32): void {
  const bitmapBytes = (tokDocs + 7) >> 3;
  let deltaBytes = uvarintSize(<u32>n);
  let prev = -1;
  for (let k = 0; k < n; k++) {
    const d = load<i32>(docs + <usize>k * 4);
    deltaBytes += uvarintSize(<u32>(d - prev - 1));
    prev = d;
  }
  if (deltaBytes < bitmapBytes) {
    outByte(KIND_DELTAS);
    outUvarint(<u32>deltaBytes);
    outUvarint(<u32>n);
    prev = -1;
    for (let k = 0; k < n; k++) {
      const d = load<i32>(docs + <usize>k * 4);
      outUvarint(<u32>(d - prev - 1));
      prev = d;
    }
    return;
  }
  outByte(KIND_BITMAP);
  outUvarint(<u32>bitmapBytes);
  outRoom(bitmapBytes);
  const bits = out + <usize>outN;
  memory.fill(bits, 0, <usize>bitmapBytes);
  for (let k = 0; k < n; k++) {
    const d = load<i32>(docs + <usize>k * 4);
    const at = bits + <usize>(d >> 3);
    store<u8>(at, <u8>((<i32>load<u8>(at)) | (1 << (d & 7))));
  }
  setOutLength(outN + bitmapBytes);
}

/**
 * The frequent-token section of what {@link indexColumn} found, as `frequent-tokens.ts` writes
 * it; returns its length, at {@link columnBytes} (0: no token is frequent).
 */
export function frequentSection(): i32 {
  const least = max(FREQUENT_MIN_DOCS, (tokDocs + 63) >> 6);
  let nf = 0;
  let held = 0;
  for (let k = 0; k < tokSlots; k++) {
    const rec = tokTable + <usize>k * TOK_REC;
    if (load<u32>(rec + T_H2) == 0 || load<i32>(rec + T_HOLD) < least) continue;
    nf++;
    held += load<i32>(rec + T_HOLD);
  }
  setOutLength(0);
  if (nf == 0) return 0;
  // slots, docs' starts and fill points, distinct payloads' (start, length, hash), refs, docs
  const need = 7 * nf + 1 + held;
  if (need > freqScratchCap) {
    freqScratchCap = max(need, freqScratchCap * 2);
    freqScratch = alloc(freqScratchCap * 4);
  }
  const slots = freqScratch;
  const starts = slots + <usize>nf * 4;
  const fill = starts + <usize>(nf + 1) * 4;
  const pays = fill + <usize>nf * 4;
  const refs = pays + <usize>nf * 12;
  const docs = refs + <usize>nf * 4;
  let j = 0;
  for (let k = 0; k < tokSlots; k++) {
    const rec = tokTable + <usize>k * TOK_REC;
    if (load<u32>(rec + T_H2) == 0 || load<i32>(rec + T_HOLD) < least) continue;
    // In order of text: insertion, as there are a few dozen.
    let i = j++;
    while (i > 0) {
      const prev = load<i32>(slots + <usize>(i - 1) * 4);
      if (!tokenBefore(rec, tokTable + <usize>prev * TOK_REC)) break;
      store<i32>(slots + <usize>i * 4, prev);
      i--;
    }
    store<i32>(slots + <usize>i * 4, k);
  }
  let at = 0;
  for (j = 0; j < nf; j++) {
    const rec = tokTable + <usize>load<i32>(slots + <usize>j * 4) * TOK_REC;
    store<i32>(rec + T_MOVED, j);
    store<i32>(starts + <usize>j * 4, at);
    store<i32>(fill + <usize>j * 4, at);
    at += load<i32>(rec + T_HOLD);
  }
  store<i32>(starts + <usize>nf * 4, at);
  for (let k = 0; k < tokLogN; k += 2) {
    const rec = tokTable + <usize>load<i32>(tokLog + <usize>k * 4) * TOK_REC;
    if (load<i32>(rec + T_HOLD) < least) continue;
    const f = fill + <usize>load<i32>(rec + T_MOVED) * 4;
    const d = load<i32>(f);
    store<i32>(docs + <usize>d * 4, load<i32>(tokLog + <usize>k * 4 + 4));
    store<i32>(f, d + 1);
  }
  // The distinct payloads first, from offset 0; the header goes before them once its size is known.
  let distinct = 0;
  for (j = 0; j < nf; j++) {
    const from = load<i32>(starts + <usize>j * 4);
    const start = outN;
    encodeDocs(docs + <usize>from * 4, load<i32>(starts + <usize>(j + 1) * 4) - from);
    const len = outN - start;
    const h = hashBytes(out + <usize>start, len);
    let ref = 0;
    for (; ref < distinct; ref++) {
      const p = pays + <usize>ref * 12;
      if (
        load<u32>(p + 8) == h &&
        load<i32>(p + 4) == len &&
        bytesEqual(out + <usize>load<i32>(p), out + <usize>start, len)
      )
        break;
    }
    if (ref == distinct) {
      const p = pays + <usize>distinct * 12;
      store<i32>(p, start);
      store<i32>(p + 4, len);
      store<u32>(p + 8, h);
      distinct++;
    } else setOutLength(start);
    store<i32>(refs + <usize>j * 4, ref);
  }
  const table = outN;
  let head = uvarintSize(<u32>tokDocs) + uvarintSize(<u32>nf) + uvarintSize(<u32>distinct);
  for (j = 0; j < nf; j++) {
    const len = load<i32>(tokTable + <usize>load<i32>(slots + <usize>j * 4) * TOK_REC + T_LEN);
    head += uvarintSize(<u32>len) + len + uvarintSize(<u32>load<i32>(refs + <usize>j * 4));
  }
  outRoom(head);
  memory.copy(out + <usize>head, out, <usize>table);
  setOutLength(0);
  outUvarint(<u32>tokDocs);
  outUvarint(<u32>nf);
  outUvarint(<u32>distinct);
  for (j = 0; j < nf; j++) {
    const rec = tokTable + <usize>load<i32>(slots + <usize>j * 4) * TOK_REC;
    const p = <usize>load<i32>(rec + T_TEXT);
    const len = load<i32>(rec + T_LEN);
    outUvarint(<u32>len);
    for (let i = 0; i < len; i++) {
      let c = <u32>load<u8>(p + <usize>i);
      if (c >= 65 && c <= 90) c |= 0x20;
      store<u8>(out + <usize>(outN + i), <u8>c);
    }
    setOutLength(outN + len);
    outUvarint(<u32>load<i32>(refs + <usize>j * 4));
  }
  setOutLength(head + table);
  return outN;
}

export function pageBloomLengths(): usize {
  return pageLengths;
}

/** Forgets the index's tables and buffers, another instance's (see `loadState`). */
export function forgetTokens(): void {
  tokTable = tokSpare = tokLog = tokPages = pageLengths = freqScratch = 0;
  tokTableCap = tokSpareCap = tokLogCap = tokPagesCap = pageLengthsCap = freqScratchCap = 0;
}
