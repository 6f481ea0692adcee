import { alloc, bytesEqual, grown, hashBytes, mix } from './memory';
import { out, outByte, outF64, outN, outRoom, outU32At, outUvarint, setOutLength } from './output';
import {
  FALSE,
  NUMBER,
  P_COUNT,
  P_KINDS,
  P_NUMS,
  P_NVALUES,
  P_RAW,
  P_ROWS,
  RAW,
  STRING,
  TRUE,
  entryBytes,
  lowerBoundRows,
  pathRec,
  strAt,
  strN,
} from './paths';

// A path's column for a block of rows, as `column.ts`'s `encodeColumn` writes it, byte for byte.

const KIND_PLAIN: u8 = 0;
const KIND_DICT: u8 = 1;
const KIND_WIDE_DICT: u8 = 4;
const MAX_DICT = 255;
const MAX_WIDE_DICT = 65535;
const WIDE_DICT_DOCS = 8;
const DICT_SAMPLE = 256;
const DICT_SAMPLE_MOST = 240;

const TAG_STRING: u8 = 0;
const TAG_INT: u8 = 1;
const TAG_FLOAT: u8 = 2;
const TAG_FALSE: u8 = 3;
const TAG_TRUE: u8 = 4;

/** `column-values.ts`'s `isVarintable`: an integer whose zig-zag doubling stays exact; not -0. */
function varintable(v: f64): bool {
  return v == Math.floor(v) && Math.abs(v) <= 2251799813685248 && !(v == 0 && 1 / v < 0);
}

/** Entries of the column being encoded: the ones `encodeValues` writes, in order. */
let picked: usize = 0;
let pickedCap: i32 = 0;
let nPicked: i32 = 0;
/** Per entry of the range, its block code. */
let blockCodes: usize = 0;
let blockCodesCap: i32 = 0;
/** Per part code, (stamp, block code): a string's block code without hashing it again. */
let remap: usize = 0;
let remapCap: i32 = 0;
let remapStamp: i32 = 0;
/** Numbers of the block: open addressing on their bits (-0 as 0), (bits, code + 1). */
let numSlots: usize = 0;
let numSlotCap: i32 = 0;

function pick(e: i32): void {
  if (nPicked == pickedCap) {
    const cap = pickedCap == 0 ? 1024 : pickedCap * 2;
    picked = grown(picked, pickedCap * 4, cap * 4);
    pickedCap = cap;
  }
  store<i32>(picked + <usize>nPicked * 4, e);
  nPicked++;
}

/** `column-values.ts`'s `encodeValues` for the picked entries of path record `r`. */
function encodeValues(r: usize): void {
  const kinds = <usize>load<i32>(r + P_KINDS);
  const nums = <usize>load<i32>(r + P_NUMS);
  outRoom(nPicked);
  for (let k = 0; k < nPicked; k++) {
    const e = <usize>load<i32>(picked + <usize>k * 4);
    const kind = load<u8>(kinds + e);
    let tag = TAG_STRING;
    if (kind == TRUE) tag = TAG_TRUE;
    else if (kind == FALSE) tag = TAG_FALSE;
    else if (kind == NUMBER) tag = varintable(load<f64>(nums + e * 8)) ? TAG_INT : TAG_FLOAT;
    store<u8>(out + <usize>(outN + k), tag);
  }
  setOutLength(outN + nPicked);
  const lenAt = outN;
  outRoom(4);
  setOutLength(outN + 4);
  for (let k = 0; k < nPicked; k++) {
    const e = <usize>load<i32>(picked + <usize>k * 4);
    if (load<u8>(kinds + e) != NUMBER) continue;
    const v = load<f64>(nums + e * 8);
    if (varintable(v)) outUvarint(v >= 0 ? <u64>(v * 2) : <u64>(-v * 2 - 1));
    else outF64(v);
  }
  outU32At(lenAt, <u32>(outN - lenAt - 4));
  for (let k = 0; k < nPicked; k++) {
    const e = load<i32>(picked + <usize>k * 4);
    const kind = load<u8>(kinds + <usize>e);
    if (kind != STRING && kind != RAW) continue;
    entryBytes(r, e);
    outUvarint(<u64>strN);
    outRoom(strN);
    memory.copy(out + <usize>outN, strAt, <usize>strN);
    setOutLength(outN + strN);
  }
}

/**
 * The block code of number `v` (SameValueZero, as a `Map` keys it); -1 when it is new, and
 * then, with `add`, it gets `code`.
 */
function numberCode(v: f64, code: i32, add: bool): i32 {
  const bits = reinterpret<u64>(v == 0 ? 0.0 : v);
  const mask = <u32>(numSlotCap - 1);
  let i = mix((<u32>bits) ^ (<u32>(bits >> 32))) & mask;
  while (true) {
    const s = numSlots + <usize>i * 12;
    const c = load<i32>(s + 8);
    if (c == 0) {
      if (add) {
        store<u64>(s, bits);
        store<i32>(s + 8, code + 1);
      }
      return -1;
    }
    if (load<u64>(s) == bits) return c - 1;
    i = (i + 1) & mask;
  }
}

/** Strings of the block by their bytes: (pointer, length, hash, code + 1) per slot. */
let strSlots: usize = 0;
let strSlotCap: i32 = 0;

/** {@link numberCode} for a string by its bytes. */
function stringCode(p: usize, n: i32, code: i32, add: bool): i32 {
  const h = hashBytes(p, n);
  const mask = <u32>(strSlotCap - 1);
  let i = h & mask;
  while (true) {
    const s = strSlots + <usize>i * 16;
    const c = load<i32>(s + 12);
    if (c == 0) {
      if (add) {
        store<i32>(s, <i32>p);
        store<i32>(s + 4, n);
        store<u32>(s + 8, h);
        store<i32>(s + 12, code + 1);
      }
      return -1;
    }
    if (load<u32>(s + 8) == h && load<i32>(s + 4) == n && bytesEqual(<usize>load<i32>(s), p, n))
      return c - 1;
    i = (i + 1) & mask;
  }
}

/**
 * Writes path `path`'s column for the block of rows `[rowStart, rowEnd)` as `column.ts`'s
 * `encodeColumn` writes it; returns its length, at {@link columnBytes}.
 */
export function encodeColumn(path: i32, rowStart: i32, rowEnd: i32): i32 {
  return encodeEntries(pathRec(path), rowStart, rowEnd);
}

/** {@link encodeColumn} of the entries of the path record at `r` (a path's, or the ids'). */
export function encodeEntries(r: usize, rowStart: i32, rowEnd: i32): i32 {
  setOutLength(0);
  nPicked = 0;
  const rows = <usize>load<i32>(r + P_ROWS);
  const count = load<i32>(r + P_COUNT);
  const kinds = <usize>load<i32>(r + P_KINDS);
  const nums = <usize>load<i32>(r + P_NUMS);
  const from = lowerBoundRows(rows, count, rowStart);
  const to = lowerBoundRows(rows, count, rowEnd);
  const docs = rowEnd - rowStart;
  let multi = false;
  for (let k = from + 1; k < to; k++)
    if (load<i32>(rows + <usize>k * 4) == load<i32>(rows + <usize>(k - 1) * 4)) multi = true;
  if (!multi) {
    const values = load<i32>(r + P_NVALUES);
    if (values + 1 > remapCap) {
      remapCap = (values + 1) * 2;
      remap = alloc(remapCap * 8);
      memory.fill(remap, 0, <usize>remapCap * 8);
    }
    remapStamp++;
    const n = to - from;
    if (n > blockCodesCap) {
      blockCodesCap = n * 2;
      blockCodes = alloc(blockCodesCap * 4);
    }
    let slots = 16;
    while (slots < n * 2) slots *= 2;
    if (slots > numSlotCap) {
      numSlotCap = slots;
      numSlots = alloc(slots * 12);
    }
    memory.fill(numSlots, 0, <usize>numSlotCap * 12);
    // Strings kept raw compare by their bytes, coded ones with them: one table for both.
    const raw = load<i32>(r + P_RAW) != 0;
    if (raw) {
      if (slots > strSlotCap) {
        strSlotCap = slots;
        strSlots = alloc(slots * 16);
      }
      memory.fill(strSlots, 0, <usize>strSlotCap * 16);
    }
    let most = max(MAX_DICT, min(MAX_WIDE_DICT, docs / WIDE_DICT_DOCS));
    let trueCode = -1;
    let falseCode = -1;
    let ok = true;
    for (let k = from; k < to; k++) {
      const i = k - from;
      if (i == DICT_SAMPLE && nPicked > DICT_SAMPLE_MOST) most = min(most, MAX_DICT);
      const kind = load<u8>(kinds + <usize>k);
      let code = -1;
      if (raw && (kind == STRING || kind == RAW)) {
        entryBytes(r, k);
        code = stringCode(strAt, strN, nPicked, nPicked < most);
      } else if (kind == STRING) {
        const m = remap + <usize>(<i32>load<f64>(nums + <usize>k * 8)) * 8;
        if (load<i32>(m) == remapStamp) code = load<i32>(m + 4);
        else if (nPicked < most) {
          store<i32>(m, remapStamp);
          store<i32>(m + 4, nPicked);
        }
      } else if (kind == NUMBER) {
        code = numberCode(load<f64>(nums + <usize>k * 8), nPicked, nPicked < most);
      } else if (kind == TRUE) {
        code = trueCode;
        if (code < 0 && nPicked < most) trueCode = nPicked;
      } else {
        code = falseCode;
        if (code < 0 && nPicked < most) falseCode = nPicked;
      }
      if (code < 0) {
        if (nPicked >= most) {
          ok = false;
          break;
        }
        code = nPicked;
        pick(k);
      }
      store<i32>(blockCodes + <usize>i * 4, code);
    }
    if (ok) {
      const wide = nPicked > MAX_DICT;
      outByte(wide ? KIND_WIDE_DICT : KIND_DICT);
      outUvarint(<u64>nPicked);
      encodeValues(r);
      outRoom(wide ? 2 * docs : docs);
      let k = from;
      let n = outN;
      for (let row = rowStart; row < rowEnd; row++) {
        let code = 0;
        if (k < to && load<i32>(rows + <usize>k * 4) == row) {
          code = load<i32>(blockCodes + <usize>(k - from) * 4) + 1;
          k++;
        }
        store<u8>(out + <usize>n, <u8>code);
        n++;
        if (wide) {
          store<u8>(out + <usize>n, <u8>(code >>> 8));
          n++;
        }
      }
      setOutLength(n);
      return n;
    }
    nPicked = 0;
  }
  outByte(KIND_PLAIN);
  outUvarint(<u64>(to - from));
  let k = from;
  for (let row = rowStart; row < rowEnd; row++) {
    let c = 0;
    while (k < to && load<i32>(rows + <usize>k * 4) == row) {
      c++;
      k++;
    }
    outUvarint(<u64>c);
  }
  for (let e = from; e < to; e++) pick(e);
  encodeValues(r);
  return outN;
}

/** Where {@link encodeColumn} wrote. */
export function columnBytes(): usize {
  return out;
}

/** Forgets the encoder's buffers, another instance's (see `loadState`). */
export function forgetColumnEncoder(): void {
  picked = blockCodes = remap = numSlots = strSlots = 0;
  pickedCap = blockCodesCap = remapCap = numSlotCap = strSlotCap = 0;
}
