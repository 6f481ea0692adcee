import { alloc, bytesEqual, grown, hashBytes, keep, mix } from './memory';
import { stringType } from './types';

// Paths, each with its dictionary of strings and its entries (the entries are added in
// `entries.ts`).
//
// Path 0 is the document; path k > 0 is key bytes under a parent path. Per path a record of
// PATH_REC bytes:
export const P_PARENT = 0; // i32
export const P_KEY = 4; // i32 pointer to the key bytes
export const P_KEYLEN = 8; // i32
const P_HASH = 12; // u32, of (parent, key)
export const P_OBJECT = 16; // i32: the object whose member it was last (duplicate keys)
export const P_LINE = 20; // i32: the line that last added an entry (rollback)
const P_DICT = 24; // i32 pointer: dictionary slots, i32 codes (0: empty)
const P_DICTCAP = 28; // i32
const P_VALUES = 32; // i32 pointer: per code, (pointer, length, hash, type) as 4 × i32; code 0 unused
export const P_NVALUES = 36; // i32: codes given (the next is this + 1)
const P_VALCAP = 40; // i32
export const P_ROWS = 44; // i32 pointer: per entry its row
export const P_KINDS = 48; // i32 pointer: per entry u8 kind
export const P_NUMS = 52; // i32 pointer: per entry f64 (a number, or a string's code)
export const P_COUNT = 56; // i32 entries
export const P_CAP = 60; // i32
export const P_TYPES = 64; // i32: the field types of the entries of taken lines (TYPE_* bits)
export const P_LINETYPES = 68; // i32: the types of the current line's entries
export const P_RAW = 72; // i32: 1 once the path's strings stopped repeating (see addStringEntry)
export const P_NEXT = 76; // i32: the key path that followed this one in its object last time
export const P_FIRST = 80; // i32: the first key path of this path's object last time
export const PATH_REC = 96;

/** Entry kinds. */
export const STRING: u8 = 1;
export const NUMBER: u8 = 2;
export const TRUE: u8 = 3;
export const FALSE: u8 = 4;
/** A string kept as it is, not coded: the entry holds its pointer and length (u32 each). */
export const RAW: u8 = 5;

export let paths: usize = 0;
let pathCap: i32 = 0;
let nPaths: i32 = 0;
let pathSlots: usize = 0;
let pathSlotCap: i32 = 0;
/** The path of the document's own `@timestamp` key, once seen (-1 before). */
export let timePath: i32 = -1;

/** Prepares the paths of an empty part. */
export function initPaths(): void {
  growPaths();
  nPaths = 1;
  store<i32>(pathRec(0) + P_OBJECT, -1);
  store<i32>(pathRec(0) + P_LINE, -1);
  rehashPaths(64);
}

/** Writes the paths' globals at `s`; returns where the next module's go. */
export function savePaths(s: usize): usize {
  store<i64>(s, <i64>paths);
  store<i64>(s + 8, pathCap);
  store<i64>(s + 16, nPaths);
  store<i64>(s + 24, <i64>pathSlots);
  store<i64>(s + 32, pathSlotCap);
  store<i64>(s + 40, timePath);
  return s + 48;
}

/** Takes the paths {@link savePaths} wrote at `s`; returns where the next module's are. */
export function loadPaths(s: usize): usize {
  paths = <usize>load<i64>(s);
  pathCap = <i32>load<i64>(s + 8);
  nPaths = <i32>load<i64>(s + 16);
  pathSlots = <usize>load<i64>(s + 24);
  pathSlotCap = <i32>load<i64>(s + 32);
  timePath = <i32>load<i64>(s + 40);
  return s + 48;
}

export function pathRec(id: i32): usize {
  return paths + <usize>id * PATH_REC;
}

function growPaths(): void {
  const cap = pathCap == 0 ? 64 : pathCap * 2;
  paths = grown(paths, pathCap * PATH_REC, cap * PATH_REC);
  memory.fill(paths + <usize>pathCap * PATH_REC, 0, <usize>(cap - pathCap) * PATH_REC);
  pathCap = cap;
}

function rehashPaths(cap: i32): void {
  pathSlots = alloc(cap * 4);
  memory.fill(pathSlots, 0, <usize>cap * 4);
  pathSlotCap = cap;
  for (let id = 1; id < nPaths; id++) {
    let i = load<u32>(pathRec(id) + P_HASH) & (<u32>(cap - 1));
    while (load<i32>(pathSlots + <usize>i * 4) != 0) i = (i + 1) & (<u32>(cap - 1));
    store<i32>(pathSlots + <usize>i * 4, id);
  }
}

/** The path of `key` (n bytes at p) under `parent`, added on first sight. */
export function pathOf(parent: i32, p: usize, n: i32): i32 {
  const h = mix(hashBytes(p, n) ^ (<u32>parent * 0x9e3779b1));
  const mask = <u32>(pathSlotCap - 1);
  let i = h & mask;
  while (true) {
    const id = load<i32>(pathSlots + <usize>i * 4);
    if (id == 0) break;
    const r = pathRec(id);
    if (
      load<u32>(r + P_HASH) == h &&
      load<i32>(r + P_PARENT) == parent &&
      load<i32>(r + P_KEYLEN) == n &&
      bytesEqual(<usize>load<i32>(r + P_KEY), p, n)
    )
      return id;
    i = (i + 1) & mask;
  }
  if (nPaths == pathCap) growPaths();
  const id = nPaths++;
  const r = pathRec(id);
  store<i32>(r + P_PARENT, parent);
  store<i32>(r + P_KEY, <i32>keep(p, n));
  store<i32>(r + P_KEYLEN, n);
  store<u32>(r + P_HASH, h);
  store<i32>(r + P_OBJECT, -1);
  store<i32>(r + P_LINE, -1);
  store<i32>(pathSlots + <usize>i * 4, id);
  if (nPaths * 2 > pathSlotCap) rehashPaths(pathSlotCap * 2);
  if (parent == 0 && isTimestampKey(p, n)) timePath = id;
  return id;
}

function isTimestampKey(p: usize, n: i32): bool {
  // "@timestamp"
  return n == 10 && load<u64>(p) == 0x617473656d697440 && load<u16>(p + 8) == 0x706d;
}

// ---- dictionaries ----

const VALUE_REC = 16;

export function valueAt(r: usize, code: i32): usize {
  return <usize>load<i32>(r + P_VALUES) + <usize>code * VALUE_REC;
}

function rehashDict(r: usize, cap: i32): void {
  const slots = alloc(cap * 4);
  memory.fill(slots, 0, <usize>cap * 4);
  const n = load<i32>(r + P_NVALUES);
  for (let code = 1; code <= n; code++) {
    let i = load<u32>(valueAt(r, code) + 8) & (<u32>(cap - 1));
    while (load<i32>(slots + <usize>i * 4) != 0) i = (i + 1) & (<u32>(cap - 1));
    store<i32>(slots + <usize>i * 4, code);
  }
  store<i32>(r + P_DICT, <i32>slots);
  store<i32>(r + P_DICTCAP, cap);
}

/** The code of string `p`/`n` in path record `r`'s dictionary, added on first sight. */
export function codeOf(r: usize, p: usize, n: i32): i32 {
  let count = load<i32>(r + P_NVALUES);
  if ((count + 1) * 2 > load<i32>(r + P_DICTCAP)) {
    const cap = load<i32>(r + P_DICTCAP);
    rehashDict(r, cap == 0 ? 64 : cap * 2);
  }
  const slots = <usize>load<i32>(r + P_DICT);
  const mask = <u32>(load<i32>(r + P_DICTCAP) - 1);
  const h = hashBytes(p, n);
  let i = h & mask;
  while (true) {
    const code = load<i32>(slots + <usize>i * 4);
    if (code == 0) break;
    const v = valueAt(r, code);
    if (load<u32>(v + 8) == h && load<i32>(v + 4) == n && bytesEqual(<usize>load<i32>(v), p, n))
      return code;
    i = (i + 1) & mask;
  }
  count++;
  const valCap = load<i32>(r + P_VALCAP);
  if (count >= valCap) {
    const cap = valCap == 0 ? 64 : valCap * 2;
    store<i32>(
      r + P_VALUES,
      <i32>grown(<usize>load<i32>(r + P_VALUES), valCap * VALUE_REC, cap * VALUE_REC),
    );
    store<i32>(r + P_VALCAP, cap);
  }
  const v = valueAt(r, count);
  store<i32>(v, <i32>keep(p, n));
  store<i32>(v + 4, n);
  store<u32>(v + 8, h);
  store<i32>(v + 12, stringType(p, n));
  store<i32>(r + P_NVALUES, count);
  store<i32>(slots + <usize>i * 4, count);
  return count;
}

/** Where the last string {@link entryBytes} read is. */
export let strAt: usize = 0;
export let strN: i32 = 0;

/** Entry `e` of path record `r` (a STRING or RAW one): its bytes into (strAt, strN). */
export function entryBytes(r: usize, e: i32): void {
  const bits = load<u64>(<usize>load<i32>(r + P_NUMS) + <usize>e * 8);
  if (load<u8>(<usize>load<i32>(r + P_KINDS) + <usize>e) == RAW) {
    strAt = <usize>(<u32>bits);
    strN = <i32>(bits >> 32);
    return;
  }
  const v = valueAt(r, <i32>reinterpret<f64>(bits));
  strAt = <usize>load<i32>(v);
  strN = load<i32>(v + 4);
}

/** The first of `n` entries' rows at `rows` (ascending) that is at least `row`. */
export function lowerBoundRows(rows: usize, n: i32, row: i32): i32 {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (load<i32>(rows + <usize>mid * 4) < row) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

// What JavaScript reads of paths and their entries.

export function pathCount(): i32 {
  return nPaths;
}
export function pathParent(id: i32): i32 {
  return load<i32>(pathRec(id) + P_PARENT);
}
export function pathKey(id: i32): usize {
  return <usize>load<i32>(pathRec(id) + P_KEY);
}
export function pathKeyLength(id: i32): i32 {
  return load<i32>(pathRec(id) + P_KEYLEN);
}
export function entryCount(id: i32): i32 {
  return load<i32>(pathRec(id) + P_COUNT);
}
export function entryRows(id: i32): usize {
  return <usize>load<i32>(pathRec(id) + P_ROWS);
}
export function entryKinds(id: i32): usize {
  return <usize>load<i32>(pathRec(id) + P_KINDS);
}
export function entryValues(id: i32): usize {
  return <usize>load<i32>(pathRec(id) + P_NUMS);
}
export function valueCount(id: i32): i32 {
  return load<i32>(pathRec(id) + P_NVALUES);
}
export function valueBytes(id: i32, code: i32): usize {
  return <usize>load<i32>(valueAt(pathRec(id), code));
}
export function valueLength(id: i32, code: i32): i32 {
  return load<i32>(valueAt(pathRec(id), code) + 4);
}
export function pathTypes(id: i32): i32 {
  return load<i32>(pathRec(id) + P_TYPES);
}
/** Entry `k` of path `id`, a string (coded or raw): where its bytes are. */
export function entryString(id: i32, k: i32): usize {
  entryBytes(pathRec(id), k);
  return strAt;
}
/** The length of the string {@link entryString} last gave. */
export function entryStringLength(): i32 {
  return strN;
}
