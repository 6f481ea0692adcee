// AssemblyScript, compiled to WebAssembly by `scripts/build.mjs` (not by tsc): the log store's
// ingest core. One instance holds one memory part: JSON lines are scanned from linear memory
// straight into per-path columns (dictionary codes for strings, doubles for numbers) and one
// shape per document, with no JavaScript object per document or value. Memory is only ever
// allocated (the stub runtime's bump allocator): a part's instance is dropped whole when its
// segments replace it. The prototype this grew from, and why WebAssembly: bench/RESULTS.md,
// "A WebAssembly ingest core, prototyped and measured".
//
// A line the scanner does not take whole (invalid JSON, or JSON whose meaning in JavaScript it
// does not reproduce: duplicate keys, array-index keys, lone surrogates, numbers outside the
// exactly convertible range, invalid UTF-8, deep nesting, a top level other than an object) is
// left to the JavaScript walk: its status says so and nothing of it stays in the columns.

// ---- memory ----

/**
 * The next free byte. The core allocates by moving it (never by the runtime's allocator), so
 * that a part's whole state is its memory below `top` and the globals {@link saveState} writes:
 * what a flush job carries to the worker thread.
 */
let top: usize = 0;

function alloc(bytes: i32): usize {
  if (top == 0) top = (__heap_base + 15) & ~(<usize>15);
  const at = top;
  top = (top + <usize>max(bytes, 8) + 15) & ~(<usize>15);
  const pages = <i32>((top + 0xffff) >> 16);
  const have = memory.size();
  // By at least the memory's size (each growth costs V8 a new buffer: growing by what each
  // allocation needed made the scan three times slower), or by what is needed near the limit.
  if (pages > have && memory.grow(max(pages - have, have)) < 0 && memory.grow(pages - have) < 0)
    unreachable();
  return at;
}

function grown(ptr: usize, bytes: i32, need: i32): usize {
  const out = alloc(need);
  if (bytes > 0) memory.copy(out, ptr, <usize>bytes);
  return out;
}

function mix(h: u32): u32 {
  h ^= h >>> 16;
  h *= 0x85ebca6b;
  h ^= h >>> 13;
  h *= 0xc2b2ae35;
  return h ^ (h >>> 16);
}

function hashBytes(p: usize, n: i32): u32 {
  let h64: u64 = 0xcbf29ce484222325 ^ (<u64>n);
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    h64 = (h64 ^ load<u64>(p + <usize>i)) * 0x9e3779b97f4a7c15;
    h64 ^= h64 >>> 29;
  }
  let h = <u32>(h64 ^ (h64 >>> 32));
  for (; i < n; i++) h = (h ^ (<u32>load<u8>(p + <usize>i))) * 0x01000193;
  return mix(h);
}

function bytesEqual(a: usize, b: usize, n: i32): bool {
  let i = 0;
  for (; i + 8 <= n; i += 8) if (load<u64>(a + <usize>i) != load<u64>(b + <usize>i)) return false;
  for (; i < n; i++) if (load<u8>(a + <usize>i) != load<u8>(b + <usize>i)) return false;
  return true;
}

function keep(p: usize, n: i32): usize {
  const out = alloc(n);
  memory.copy(out, p, <usize>n);
  return out;
}

// ---- paths ----
// Path 0 is the document; path k > 0 is key bytes under a parent path. Per path a record of
// PATH_REC bytes:
const P_PARENT = 0; // i32
const P_KEY = 4; // i32 pointer to the key bytes
const P_KEYLEN = 8; // i32
const P_HASH = 12; // u32, of (parent, key)
const P_OBJECT = 16; // i32: the object whose member it was last (duplicate keys)
const P_LINE = 20; // i32: the line that last added an entry (rollback)
const P_DICT = 24; // i32 pointer: dictionary slots, i32 codes (0: empty)
const P_DICTCAP = 28; // i32
const P_VALUES = 32; // i32 pointer: per code, (pointer, length, hash, type) as 4 × i32; code 0 unused
const P_NVALUES = 36; // i32: codes given (the next is this + 1)
const P_VALCAP = 40; // i32
const P_ROWS = 44; // i32 pointer: per entry its row
const P_KINDS = 48; // i32 pointer: per entry u8 kind
const P_NUMS = 52; // i32 pointer: per entry f64 (a number, or a string's code)
const P_COUNT = 56; // i32 entries
const P_CAP = 60; // i32
const P_TYPES = 64; // i32: the field types of the entries of taken lines (TYPE_* bits)
const P_LINETYPES = 68; // i32: the types of the current line's entries
const P_RAW = 72; // i32: 1 once the path's strings stopped repeating (see addStringEntry)
const P_NEXT = 76; // i32: the key path that followed this one in its object last time
const P_FIRST = 80; // i32: the first key path of this path's object last time
const PATH_REC = 96;

/** Entry kinds. */
const STRING: u8 = 1;
const NUMBER: u8 = 2;
const TRUE: u8 = 3;
const FALSE: u8 = 4;
/** A string kept as it is, not coded: the entry holds its pointer and length (u32 each). */
const RAW: u8 = 5;

let paths: usize = 0;
let pathCap: i32 = 0;
let nPaths: i32 = 0;
let pathSlots: usize = 0;
let pathSlotCap: i32 = 0;

function pathRec(id: i32): usize {
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
function pathOf(parent: i32, p: usize, n: i32): i32 {
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

// ---- dictionaries ----

const VALUE_REC = 16;

function valueAt(r: usize, code: i32): usize {
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
function codeOf(r: usize, p: usize, n: i32): i32 {
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

// ---- entries ----

let line: i32 = 0;
let row: i32 = 0;
/** Paths given entries by the current line, with their entry counts before it. */
let touched: usize = 0;
let touchedCap: i32 = 0;
let nTouched: i32 = 0;

/** Adds type bit `type` to `path`'s types of the current line (see {@link commit}). */
function touchTypes(path: i32, type: i32): void {
  const r = pathRec(path);
  const count = load<i32>(r + P_COUNT);
  if (load<i32>(r + P_LINE) != line) {
    store<i32>(r + P_LINE, line);
    store<i32>(r + P_LINETYPES, type);
    if (nTouched == touchedCap) {
      const cap = touchedCap == 0 ? 64 : touchedCap * 2;
      touched = grown(touched, touchedCap * 8, cap * 8);
      touchedCap = cap;
    }
    store<i32>(touched + <usize>nTouched * 8, path);
    store<i32>(touched + <usize>nTouched * 8 + 4, count);
    nTouched++;
  } else store<i32>(r + P_LINETYPES, load<i32>(r + P_LINETYPES) | type);
}

/** Adds an entry of `kind` (type bit `type`) to `path` for the current row. */
function addEntry(path: i32, kind: u8, value: f64, type: i32): void {
  addEntryBits(path, kind, reinterpret<u64>(value), type);
}

/**
 * Distinct strings a path codes before it looks at their share, and most it codes: past them,
 * when more than half of its entries were new, its strings are kept as they are (trace ids,
 * unrepeated messages), as `part-columns.ts` stops coding: a table of a distinct value per
 * document costs a cache miss a value and its growth, for nothing.
 */
const CODED_FLOOR = 1024;
const MAX_CODED = 65536;

/** Adds string `p`/`n` at `path` for the current row, coded while the path's strings repeat. */
function addStringEntry(path: i32, p: usize, n: i32): void {
  const r = pathRec(path);
  if (load<i32>(r + P_RAW) == 0) {
    const distinct = load<i32>(r + P_NVALUES);
    if (
      distinct < MAX_CODED &&
      (distinct < CODED_FLOOR || 2 * distinct <= load<i32>(r + P_COUNT))
    ) {
      const code = codeOf(r, p, n);
      addEntry(path, STRING, <f64>code, load<i32>(valueAt(r, code) + 12) & ~TYPE_LISTED);
      return;
    }
    store<i32>(r + P_RAW, 1);
  }
  const at = keep(p, n);
  addEntryBits(path, RAW, (<u64>at) | ((<u64>n) << 32), stringType(at, n));
}

function addEntryBits(path: i32, kind: u8, bits: u64, type: i32): void {
  touchTypes(path, type);
  const r = pathRec(path);
  const count = load<i32>(r + P_COUNT);
  const cap = load<i32>(r + P_CAP);
  if (count == cap) {
    const c = cap == 0 ? 256 : cap * 2;
    store<i32>(r + P_ROWS, <i32>grown(<usize>load<i32>(r + P_ROWS), cap * 4, c * 4));
    store<i32>(r + P_KINDS, <i32>grown(<usize>load<i32>(r + P_KINDS), cap, c));
    store<i32>(r + P_NUMS, <i32>grown(<usize>load<i32>(r + P_NUMS), cap * 8, c * 8));
    store<i32>(r + P_CAP, c);
  }
  store<i32>(<usize>load<i32>(r + P_ROWS) + <usize>count * 4, row);
  store<u8>(<usize>load<i32>(r + P_KINDS) + <usize>count, kind);
  store<u64>(<usize>load<i32>(r + P_NUMS) + <usize>count * 8, bits);
  store<i32>(r + P_COUNT, count + 1);
}

/**
 * Keeps the current line: its entries' types join their paths', and its strings whose type the
 * core leaves to JavaScript are listed (once per distinct value) in {@link unsure}.
 */
function commit(): void {
  for (let k = 0; k < nTouched; k++) {
    const path = load<i32>(touched + <usize>k * 8);
    const r = pathRec(path);
    const types = load<i32>(r + P_LINETYPES);
    const had = load<i32>(r + P_TYPES);
    const now = had | (types & ~TYPE_UNSURE);
    if (now != had) {
      store<i32>(r + P_TYPES, now);
      listChanged(path);
    }
    if ((types & TYPE_UNSURE) == 0) continue;
    const kinds = <usize>load<i32>(r + P_KINDS);
    const nums = <usize>load<i32>(r + P_NUMS);
    const count = load<i32>(r + P_COUNT);
    for (let e = load<i32>(touched + <usize>k * 8 + 4); e < count; e++) {
      const kind = load<u8>(kinds + <usize>e);
      if (kind == RAW) {
        // Listed by entry, as -1 - its index: a raw string has no code.
        const bits = load<u64>(nums + <usize>e * 8);
        if (stringType(<usize>(<u32>bits), <i32>(bits >> 32)) == TYPE_UNSURE)
          listUnsure(path, -1 - e);
        continue;
      }
      if (kind != STRING) continue;
      const v = valueAt(r, <i32>load<f64>(nums + <usize>e * 8));
      if (load<i32>(v + 12) != TYPE_UNSURE) continue;
      store<i32>(v + 12, TYPE_UNSURE | TYPE_LISTED);
      listUnsure(path, <i32>load<f64>(nums + <usize>e * 8));
    }
  }
}

function rollback(): void {
  for (let k = 0; k < nTouched; k++) {
    const path = load<i32>(touched + <usize>k * 8);
    store<i32>(pathRec(path) + P_COUNT, load<i32>(touched + <usize>k * 8 + 4));
  }
}

// ---- shapes ----
// A document's shape is the sequence of its structure: 0 `{`, 1 `}`, 2 `[`, 3 `]`, 4 a leaf,
// 5 null, and 8 + path for each key (its path names parent and key). Shape k ≥ 1 keeps its
// sequence (pointer, length, hash) for comparison.

const OPEN_OBJ = 0;
const CLOSE_OBJ = 1;
const OPEN_ARR = 2;
const CLOSE_ARR = 3;
const LEAF = 4;
const NULL = 5;
const KEY = 8;

let ops: usize = 0;
let opsCap: i32 = 0;
let nOps: i32 = 0;
let shapes: usize = 0;
let shapeCap: i32 = 0;
let nShapes: i32 = 0;
let shapeSlots: usize = 0;
let shapeSlotCap: i32 = 0;
let rowShapes: usize = 0;
let rowShapeCap: i32 = 0;

function op(o: i32): void {
  if (nOps == opsCap) {
    const cap = opsCap == 0 ? 256 : opsCap * 2;
    ops = grown(ops, opsCap * 4, cap * 4);
    opsCap = cap;
  }
  store<i32>(ops + <usize>nOps * 4, o);
  nOps++;
}

function shapeAt(id: i32): usize {
  return shapes + <usize>id * 12;
}

function rehashShapes(cap: i32): void {
  shapeSlots = alloc(cap * 4);
  memory.fill(shapeSlots, 0, <usize>cap * 4);
  shapeSlotCap = cap;
  for (let id = 1; id <= nShapes; id++) {
    let i = load<u32>(shapeAt(id) + 8) & (<u32>(cap - 1));
    while (load<i32>(shapeSlots + <usize>i * 4) != 0) i = (i + 1) & (<u32>(cap - 1));
    store<i32>(shapeSlots + <usize>i * 4, id);
  }
}

/** The id of the shape in `ops`, added on first sight. */
function shapeOf(): i32 {
  const bytes = nOps * 4;
  const h = hashBytes(ops, bytes);
  const mask = <u32>(shapeSlotCap - 1);
  let i = h & mask;
  while (true) {
    const id = load<i32>(shapeSlots + <usize>i * 4);
    if (id == 0) break;
    const s = shapeAt(id);
    if (
      load<u32>(s + 8) == h &&
      load<i32>(s + 4) == bytes &&
      bytesEqual(<usize>load<i32>(s), ops, bytes)
    )
      return id;
    i = (i + 1) & mask;
  }
  const id = ++nShapes;
  if (id >= shapeCap) {
    const cap = shapeCap == 0 ? 64 : shapeCap * 2;
    shapes = grown(shapes, shapeCap * 12, cap * 12);
    shapeCap = cap;
  }
  const s = shapeAt(id);
  store<i32>(s, <i32>keep(ops, bytes));
  store<i32>(s + 4, bytes);
  store<u32>(s + 8, h);
  store<i32>(shapeSlots + <usize>i * 4, id);
  if (nShapes * 2 > shapeSlotCap) rehashShapes(shapeSlotCap * 2);
  return id;
}

function setRowShape(r: i32, id: i32): void {
  if (r >= rowShapeCap) {
    let cap = rowShapeCap == 0 ? 1024 : rowShapeCap * 2;
    while (cap <= r) cap *= 2;
    rowShapes = grown(rowShapes, rowShapeCap * 4, cap * 4);
    memory.fill(rowShapes + <usize>rowShapeCap * 4, 0, <usize>(cap - rowShapeCap) * 4);
    rowShapeCap = cap;
  }
  store<i32>(rowShapes + <usize>r * 4, id);
}

// ---- field types and times ----
// Bits of `mapping.ts`'s types, in its order: keyword, long, double, boolean, date, ip.

const TYPE_KEYWORD = 1;
const TYPE_LONG = 2;
const TYPE_DOUBLE = 4;
const TYPE_BOOLEAN = 8;
const TYPE_DATE = 16;
const TYPE_IP = 32;
/** A string this core does not type (an address-like string): JavaScript's `typeOf` decides. */
const TYPE_UNSURE = 64;
/** Set on an unsure value once {@link unsure} lists it. */
const TYPE_LISTED = 128;

function isDigit(c: u32): bool {
  return c - 48 < 10;
}

function digitsAt(p: usize, n: i32): i32 {
  let v = 0;
  for (let k = 0; k < n; k++) {
    const c = <u32>load<u8>(p + <usize>k) - 48;
    if (c > 9) return -1;
    v = v * 10 + <i32>c;
  }
  return v;
}

function monthDays(y: i32, m: i32): i32 {
  if (m == 2) return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28;
  return m == 4 || m == 6 || m == 9 || m == 11 ? 30 : 31;
}

function floorDiv(a: i32, b: i32): i32 {
  const q = a / b;
  return q * b > a ? q - 1 : q;
}

function daysFromCivil(year: i32, m: i32, d: i32): i32 {
  const y = m <= 2 ? year - 1 : year;
  const era = floorDiv(y, 400);
  const yoe = y - era * 400;
  const doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

let parsedMs: f64 = 0;
let parsedNs: i32 = 0;

/**
 * `timestamp.ts`'s `parseUtcFast` on bytes: `YYYY-MM-DDTHH:MM:SS[.fraction]Z` into
 * (parsedMs, parsedNs); false for anything else, which JavaScript's general reading gets.
 */
function parseUtcFast(p: usize, n: i32): bool {
  if (n < 20 || n > 30 || load<u8>(p + <usize>(n - 1)) != 90) return false;
  const y = digitsAt(p, 4);
  const mo = digitsAt(p + 5, 2);
  const d = digitsAt(p + 8, 2);
  const h = digitsAt(p + 11, 2);
  const mi = digitsAt(p + 14, 2);
  const sec = digitsAt(p + 17, 2);
  if (
    load<u8>(p + 4) != 45 ||
    load<u8>(p + 7) != 45 ||
    load<u8>(p + 10) != 84 ||
    load<u8>(p + 13) != 58 ||
    load<u8>(p + 16) != 58 ||
    y < 100 ||
    mo < 1 ||
    mo > 12 ||
    d < 1 ||
    d > monthDays(y, mo) ||
    h < 0 ||
    h > 23 ||
    mi < 0 ||
    mi > 59 ||
    sec < 0 ||
    sec > 59
  )
    return false;
  let frac = 0;
  if (n > 20) {
    const k = n - 21;
    if (load<u8>(p + 19) != 46 || k < 1 || k > 9) return false;
    frac = digitsAt(p + 20, k);
    if (frac < 0) return false;
    for (let z = k; z < 9; z++) frac *= 10;
  }
  parsedMs =
    <f64>daysFromCivil(y, mo, d) * 86400000 +
    <f64>(h * 3600000 + mi * 60000 + sec * 1000 + frac / 1000000);
  parsedNs = frac % 1000000;
  return true;
}

/**
 * False when the string cannot be an IP address (`mapping.ts`'s `addressLike`): a character
 * other than hex digits, `.` and `:`, or no `:` (nor `.`, unless `colon`).
 */
function addressLike(p: usize, n: i32, colon: bool): bool {
  let seen = false;
  for (let k = 0; k < n; k++) {
    const c = <u32>load<u8>(p + <usize>k);
    if (c == 58 || (c == 46 && !colon)) seen = true;
    else if (!(isDigit(c) || c == 46 || ((c | 0x20) >= 97 && (c | 0x20) <= 102))) return false;
  }
  return seen;
}

/** An IPv4 dotted quad as `fields.ts`'s IPV4 expression reads it (no leading zeros). */
function ipv4(p: usize, n: i32): bool {
  let parts = 0;
  let k = 0;
  while (k < n) {
    const start = k;
    let v = 0;
    while (k < n && isDigit(load<u8>(p + <usize>k))) {
      v = v * 10 + <i32>(load<u8>(p + <usize>k) - 48);
      k++;
      if (k - start > 3) return false;
    }
    const len = k - start;
    if (len == 0 || v > 255 || (len > 1 && load<u8>(p + <usize>start) == 48)) return false;
    parts++;
    if (k == n) break;
    if (load<u8>(p + <usize>k) != 46 || parts == 4) return false;
    k++;
    if (k == n) return false;
  }
  return parts == 4;
}

/**
 * The type bit of a string, as `mapping.ts`'s `stringBit` decides it, for the strings it can
 * decide here: every keyword but the address-like ones, dates in the layout `parseUtcFast`
 * reads, dotted quads. Other date-like and address-like strings are {@link TYPE_UNSURE}.
 */
function stringType(p: usize, n: i32): i32 {
  if (n < 2 || n > 45) return TYPE_KEYWORD;
  const c0 = <u32>load<u8>(p);
  if (isDigit(c0)) {
    const dateLike =
      n >= 10 &&
      n <= 35 &&
      isDigit(load<u8>(p + 1)) &&
      isDigit(load<u8>(p + 2)) &&
      isDigit(load<u8>(p + 3)) &&
      load<u8>(p + 4) == 45 &&
      isDigit(load<u8>(p + 5)) &&
      isDigit(load<u8>(p + 6)) &&
      load<u8>(p + 7) == 45 &&
      isDigit(load<u8>(p + 8)) &&
      isDigit(load<u8>(p + 9)) &&
      (n == 10 ||
        ((load<u8>(p + 10) == 84 || load<u8>(p + 10) == 32) &&
          n >= 16 &&
          isDigit(load<u8>(p + 11)) &&
          isDigit(load<u8>(p + 12)) &&
          load<u8>(p + 13) == 58 &&
          isDigit(load<u8>(p + 14)) &&
          isDigit(load<u8>(p + 15))));
    if (dateLike) return parseUtcFast(p, n) ? TYPE_DATE : TYPE_UNSURE;
    if (!addressLike(p, n, false)) return TYPE_KEYWORD;
    if (ipv4(p, n)) return TYPE_IP;
    // Hex digits, dots and colons: an IPv6 address needs a colon.
    for (let k = 0; k < n; k++) if (load<u8>(p + <usize>k) == 58) return TYPE_UNSURE;
    return TYPE_KEYWORD;
  }
  const lower = c0 | 0x20;
  if ((lower >= 97 && lower <= 102) || c0 == 58)
    return addressLike(p, n, true) ? TYPE_UNSURE : TYPE_KEYWORD;
  return TYPE_KEYWORD;
}

/** Paths whose types grew since the last scan began. */
let changed: usize = 0;
let changedCap: i32 = 0;
let nChanged: i32 = 0;

function listChanged(path: i32): void {
  if (nChanged == changedCap) {
    const cap = changedCap == 0 ? 64 : changedCap * 2;
    changed = grown(changed, changedCap * 4, cap * 4);
    changedCap = cap;
  }
  store<i32>(changed + <usize>nChanged * 4, path);
  nChanged++;
}

/** Unsure strings of taken lines, as (path, code) pairs, since the last scan began. */
let unsures: usize = 0;
let unsureCap: i32 = 0;
let nUnsure: i32 = 0;

function listUnsure(path: i32, code: i32): void {
  if (nUnsure == unsureCap) {
    const cap = unsureCap == 0 ? 64 : unsureCap * 2;
    unsures = grown(unsures, unsureCap * 8, cap * 8);
    unsureCap = cap;
  }
  store<i32>(unsures + <usize>nUnsure * 8, path);
  store<i32>(unsures + <usize>nUnsure * 8 + 4, code);
  nUnsure++;
}

/** The path of the document's own `@timestamp` key, once seen (-1 before). */
let timePath: i32 = -1;
/** The current line's time from its `@timestamp` (NaN: none, or not one string this reads). */
let timeMs: f64 = NaN;
let timeNs: i32 = 0;
let timeSeen = false;
/** The current line's `@timestamp` as a time code (`time-column.ts`: 1–4), or 0. */
let timeCode: i32 = 0;
/** Per row its time code (u8). */
let rowCodes: usize = 0;
/**
 * The time the current line's document is kept at (NaN: none given, {@link expectTimes}): its
 * `@timestamp` goes as a time code only when it reads as that time, which is what the code
 * stands for.
 */
let expectMs: f64 = NaN;
let expectNs: i32 = 0;
/** Rows `[expectFirst, expectFirst + expectCount)` are kept at these times (f64 ms, i32 ns). */
let expectFirst: i32 = 0;
let expectCount: i32 = 0;
let expectCap: i32 = 0;
let expectedMs: usize = 0;
let expectedNs: usize = 0;
/** Per row: milliseconds (f64, NaN when not read here) and nanoseconds within them (i32). */
let rowMs: usize = 0;
let rowNs: usize = 0;
let rowTimeCap: i32 = 0;

function isTimestampKey(p: usize, n: i32): bool {
  // "@timestamp"
  return n == 10 && load<u64>(p) == 0x617473656d697440 && load<u16>(p + 8) == 0x706d;
}

/**
 * Reads the string at `@timestamp`; true when it goes as a time code instead of a value: the
 * row's time written as RFC 3339 in UTC with 0, 3, 6 or 9 fraction digits rebuilds it exactly,
 * as `time-column.ts`'s `TimeCoder` decides (what `parseUtcFast` reads is that layout).
 */
function readTime(p: usize, n: i32): bool {
  if (timeSeen || !parseUtcFast(p, n)) {
    timeMs = NaN;
    timeCode = 0;
    timeSeen = true;
    return false;
  }
  timeSeen = true;
  timeMs = parsedMs;
  timeNs = parsedNs;
  timeCode = n == 20 ? 1 : n == 24 ? 2 : n == 27 ? 3 : n == 30 ? 4 : 0;
  if (!isNaN(expectMs) && (parsedMs != expectMs || parsedNs != expectNs)) timeCode = 0;
  return timeCode != 0;
}

function setRowTime(r: i32): void {
  if (r >= rowTimeCap) {
    let cap = rowTimeCap == 0 ? 1024 : rowTimeCap * 2;
    while (cap <= r) cap *= 2;
    rowMs = grown(rowMs, rowTimeCap * 8, cap * 8);
    rowNs = grown(rowNs, rowTimeCap * 4, cap * 4);
    rowCodes = grown(rowCodes, rowTimeCap, cap);
    rowTimeCap = cap;
  }
  store<f64>(rowMs + <usize>r * 8, timeMs);
  store<i32>(rowNs + <usize>r * 4, timeNs);
  store<u8>(rowCodes + <usize>r, <u8>timeCode);
}

// ---- the scanner ----

/** Line outcomes. */
const TAKEN: u8 = 0;
const LEFT: u8 = 1;
const EMPTY: u8 = 2;

const MAX_DEPTH = 200;

let pos: usize = 0;
let end: usize = 0;
/** Set when the current line cannot be taken; the scan of it stops. */
let left = false;
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
    // A line break only within a span ({@link scanSpans}): a scan of lines ends each before it.
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
  if (path == timePath) timeSeen = true;
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

// ---- what JavaScript calls ----

let input: usize = 0;
let inputCap: i32 = 0;
/** Per line of the last scan: outcome (u8), and start and end offsets in the input (i32). */
let outcomes: usize = 0;
let starts: usize = 0;
let ends: usize = 0;
let linesCap: i32 = 0;

/** Prepares an empty part. */
export function init(): void {
  growPaths();
  nPaths = 1;
  store<i32>(pathRec(0) + P_OBJECT, -1);
  store<i32>(pathRec(0) + P_LINE, -1);
  rehashPaths(64);
  rehashShapes(64);
}

/** Where to put `n` bytes of lines for {@link scan}. */
export function inputBuffer(n: i32): usize {
  if (n > inputCap) {
    input = alloc(n);
    inputCap = n;
  }
  return input;
}

/**
 * Scans the input buffer's bytes `[from, n)`: lines separated by `\n`, each a JSON object. Each
 * line that is not blank is a row, from `firstRow` on, whether taken or left. Stops after a
 * line it leaves, so that JavaScript can add that row before the next ones. Returns the number
 * of lines read, blank ones included; {@link lineOutcomes} and the offsets (from the buffer's
 * start) say what became of each.
 */
export function scan(from: i32, n: i32, firstRow: i32): i32 {
  let p = input + <usize>from;
  const stop = input + <usize>n;
  let k = 0;
  let r = firstRow;
  while (p < stop) {
    let e = p;
    const newline = i8x16.splat(10);
    while (e + 16 <= stop) {
      const m = i8x16.bitmask(i8x16.eq(v128.load(e), newline));
      if (m != 0) {
        e += <usize>ctz(m);
        break;
      }
      e += 16;
    }
    while (e < stop && load<u8>(e) != 10) e++;
    roomForLine(k);
    store<i32>(starts + <usize>k * 4, <i32>(p - input));
    store<i32>(ends + <usize>k * 4, <i32>(e - input));
    expectRow(r);
    const outcome = scanLine(p, e, r);
    store<u8>(outcomes + <usize>k, outcome);
    if (outcome != EMPTY) r++;
    k++;
    p = e + 1;
    if (outcome == LEFT) break;
  }
  return k;
}

function roomForLine(k: i32): void {
  if (k < linesCap) return;
  const cap = linesCap == 0 ? 1024 : linesCap * 2;
  outcomes = grown(outcomes, linesCap, cap);
  starts = grown(starts, linesCap * 4, cap * 4);
  ends = grown(ends, linesCap * 4, cap * 4);
  linesCap = cap;
}

/** The time row `r` is expected to be kept at ({@link expectTimes}), if any. */
function expectRow(r: i32): void {
  const j = r - expectFirst;
  if (j >= 0 && j < expectCount) {
    expectMs = load<f64>(expectedMs + <usize>j * 8);
    expectNs = load<i32>(expectedNs + <usize>j * 4);
  } else expectMs = NaN;
}

/** The texts {@link scanSpans} reads: per text, its offset in the input buffer and length. */
let spans: usize = 0;
let spansCap: i32 = 0;

/** Where to put `n` texts' (offset, length) pairs for {@link scanSpans}. */
export function spanBuffer(n: i32): usize {
  if (n > spansCap) {
    spans = alloc(n * 8);
    spansCap = n;
  }
  return spans;
}

/**
 * {@link scan} for texts at spans of the input buffer (its pairs `[from, n)`), each a JSON
 * object and a row, from `firstRow` on: texts with what lies between them (a WAL record's other
 * fields) copied in one go. Same results and stops as {@link scan}.
 */
export function scanSpans(from: i32, n: i32, firstRow: i32): i32 {
  let k = 0;
  let r = firstRow;
  for (let j = from; j < n; j++) {
    roomForLine(k);
    const at = load<i32>(spans + <usize>j * 8);
    const e = at + load<i32>(spans + <usize>j * 8 + 4);
    store<i32>(starts + <usize>k * 4, at);
    store<i32>(ends + <usize>k * 4, e);
    expectRow(r);
    const outcome = scanLine(input + <usize>at, input + <usize>e, r);
    store<u8>(outcomes + <usize>k, outcome);
    if (outcome != EMPTY) r++;
    k++;
    if (outcome == LEFT) break;
  }
  return k;
}

function startRow(r: i32): void {
  line++;
  row = r;
  left = false;
  depth = 0;
  nOps = 0;
  nTouched = 0;
  timeMs = NaN;
  timeSeen = false;
  timeCode = 0;
}

function scanLine(p: usize, e: usize, r: i32): u8 {
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

export function lineOutcomes(): usize {
  return outcomes;
}
export function lineStarts(): usize {
  return starts;
}
export function lineEnds(): usize {
  return ends;
}
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
export function shapeCount(): i32 {
  return nShapes;
}
export function rowShape(r: i32): i32 {
  return r < rowShapeCap ? load<i32>(rowShapes + <usize>r * 4) : 0;
}
export function pathTypes(id: i32): i32 {
  return load<i32>(pathRec(id) + P_TYPES);
}
/** Unsure strings listed by the last scan: {@link unsureCount} (path, code) pairs of i32. */
export function unsureList(): usize {
  return unsures;
}
export function unsureCount(): i32 {
  return nUnsure;
}
/** Row `r`'s time from its `@timestamp`: milliseconds (NaN when not read here). */
export function rowTimeMs(r: i32): f64 {
  return r < rowTimeCap ? load<f64>(rowMs + <usize>r * 8) : NaN;
}
export function rowTimeNs(r: i32): i32 {
  return r < rowTimeCap ? load<i32>(rowNs + <usize>r * 4) : 0;
}
/** Shape `id`'s sequence: {@link shapeOpsLength} i32 values (see "shapes" above). */
export function shapeOps(id: i32): usize {
  return <usize>load<i32>(shapeAt(id));
}
export function shapeOpsLength(id: i32): i32 {
  return load<i32>(shapeAt(id) + 4) / 4;
}

// ---- block columns (`column.ts`'s encodeColumn, byte for byte) ----

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

let out: usize = 0;
let outCap: i32 = 0;
let outN: i32 = 0;

function outRoom(n: i32): void {
  if (outN + n <= outCap) return;
  let cap = outCap == 0 ? 65536 : outCap * 2;
  while (cap < outN + n) cap *= 2;
  out = grown(out, outN, cap);
  outCap = cap;
}

function outByte(b: u32): void {
  outRoom(1);
  store<u8>(out + <usize>outN, <u8>b);
  outN++;
}

function outUvarint(v: u64): void {
  outRoom(10);
  while (v >= 0x80) {
    store<u8>(out + <usize>outN, <u8>((v & 0x7f) | 0x80));
    outN++;
    v >>= 7;
  }
  store<u8>(out + <usize>outN, <u8>v);
  outN++;
}

function outF64(v: f64): void {
  outRoom(8);
  store<u64>(out + <usize>outN, bswap<u64>(reinterpret<u64>(v)));
  outN += 8;
}

function outU32At(at: i32, v: u32): void {
  store<u32>(out + <usize>at, bswap<u32>(v));
}

/** `column-values.ts`'s `isVarintable`: an integer whose zig-zag doubling stays exact; not -0. */
function varintable(v: f64): bool {
  return v == Math.floor(v) && Math.abs(v) <= 2251799813685248 && !(v == 0 && 1 / v < 0);
}

function lowerBoundRows(rows: usize, n: i32, row: i32): i32 {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (load<i32>(rows + <usize>mid * 4) < row) lo = mid + 1;
    else hi = mid;
  }
  return lo;
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

let strAt: usize = 0;
let strN: i32 = 0;

/** Entry `e` of path record `r` (a STRING or RAW one): its bytes into (strAt, strN). */
function entryBytes(r: usize, e: i32): void {
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
    store<u8>(out + <usize>outN, tag);
    outN++;
  }
  const lenAt = outN;
  outRoom(4);
  outN += 4;
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
    outN += strN;
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
  outN = 0;
  nPicked = 0;
  const r = pathRec(path);
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
      for (let row = rowStart; row < rowEnd; row++) {
        let code = 0;
        if (k < to && load<i32>(rows + <usize>k * 4) == row) {
          code = load<i32>(blockCodes + <usize>(k - from) * 4) + 1;
          k++;
        }
        store<u8>(out + <usize>outN, <u8>code);
        outN++;
        if (wide) {
          store<u8>(out + <usize>outN, <u8>(code >>> 8));
          outN++;
        }
      }
      return outN;
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

// ---- rows JavaScript walks ----
// A line the scan left is parsed and walked by JavaScript, which adds its leaves here: between
// beginRow and endRow, keys by childPath, values by addString, addNumber and addBoolean, and
// the shape's sequence by shapeOp. The row's entries, types and shape are then kept as a
// scanned line's are (its time stays JavaScript's).

// ---- a plain column's tokens (`frequent-tokens.ts`'s ColumnTokenIndex: the same blooms and
// frequent-token section) ----

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
    if (kind == RAW) {
      const bits = load<u64>(nums + <usize>k * 8);
      strAt = <usize>(<u32>bits);
      strN = <i32>(bits >> 32);
      type = stringType(strAt, strN);
    } else if (kind == STRING) {
      const v = valueAt(r, <i32>load<f64>(nums + <usize>k * 8));
      strAt = <usize>load<i32>(v);
      strN = load<i32>(v + 4);
      type = load<i32>(v + 12) & ~TYPE_LISTED;
    } else continue;
    if (type == TYPE_UNSURE) return false;
    if (type != TYPE_KEYWORD) continue;
    if (!tokenizeAscii(strAt, strN, load<i32>(rows + <usize>k * 4) - rowStart)) return false;
  }
  return true;
}

/** The bloom over every token {@link indexColumn} found; returns its length, at {@link columnBytes}. */
export function columnBloom(): i32 {
  const n = bloomBytes(tokCount);
  outN = 0;
  outRoom(n);
  memory.fill(out, 0, <usize>n);
  for (let k = 0; k < tokSlots; k++) {
    const rec = tokTable + <usize>k * TOK_REC;
    const h2 = load<u32>(rec + T_H2);
    if (h2 != 0) bloomSet(out, n, load<u32>(rec + T_H1), h2);
  }
  outN = n;
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
  outN = 0;
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
  outN = total;
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
  outN += bitmapBytes;
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
  outN = 0;
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
    } else outN = start;
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
  outN = 0;
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
    outN += len;
    outUvarint(<u32>load<i32>(refs + <usize>j * 4));
  }
  outN = head + table;
  return outN;
}

export function pageBloomLengths(): usize {
  return pageLengths;
}

/** UTF-16 units of path `path`'s strings in the rows `[rowStart, rowEnd)` (`ColumnBuilder.stringLength`). */
export function stringUnits(path: i32, rowStart: i32, rowEnd: i32): i32 {
  const r = pathRec(path);
  const rows = <usize>load<i32>(r + P_ROWS);
  const count = load<i32>(r + P_COUNT);
  const kinds = <usize>load<i32>(r + P_KINDS);
  const from = lowerBoundRows(rows, count, rowStart);
  const to = lowerBoundRows(rows, count, rowEnd);
  let units = 0;
  for (let k = from; k < to; k++) {
    const kind = load<u8>(kinds + <usize>k);
    if (kind != RAW && kind != STRING) continue;
    entryBytes(r, k);
    units += utf16Units(strAt, strN);
  }
  return units;
}

/** UTF-16 units of the UTF-8 string `p`/`n` decoded. */
function utf16Units(p: usize, n: i32): i32 {
  let i = 0;
  let high: u64 = 0;
  for (; i + 8 <= n; i += 8) high |= load<u64>(p + <usize>i);
  for (; i < n; i++) high |= <u64>load<u8>(p + <usize>i);
  if ((high & 0x8080808080808080) == 0) return n;
  let units = 0;
  for (i = 0; i < n; i++) {
    const b = <u32>load<u8>(p + <usize>i);
    // A lead byte starts one UTF-16 unit, or two (a surrogate pair) for four bytes.
    if (b < 0x80 || (b & 0xc0) != 0x80) units += b >= 0xf0 ? 2 : 1;
  }
  return units;
}

// ---- a block's strings for JavaScript, decoded in one go ----

let blockOut: usize = 0;
let blockOutCap: i32 = 0;
let blockEnds: usize = 0;
let blockEndsCap: i32 = 0;
let blockFirst: i32 = 0;
let blockOutN: i32 = 0;
let blockAscii: bool = true;

/**
 * Path `path`'s entries of the rows `[rowStart, rowEnd)`: entries {@link blockFrom} on, as many
 * as it returns. Their strings' bytes go end to end at {@link blockStringBytes} (
 * {@link blockStringLength} of them, all ASCII when {@link blockStringsAscii}); per entry, at
 * {@link blockStringEnds}, an i32: where its string ends in UTF-16 units of them decoded (a value
 * that is no string ends where the one before did).
 */
export function blockStrings(path: i32, rowStart: i32, rowEnd: i32): i32 {
  const r = pathRec(path);
  const rows = <usize>load<i32>(r + P_ROWS);
  const count = load<i32>(r + P_COUNT);
  const kinds = <usize>load<i32>(r + P_KINDS);
  const from = lowerBoundRows(rows, count, rowStart);
  const to = lowerBoundRows(rows, count, rowEnd);
  const n = to - from;
  if (n > blockEndsCap) {
    blockEndsCap = max(n, blockEndsCap * 2);
    blockEnds = alloc(blockEndsCap * 4);
  }
  let at = 0;
  let units = 0;
  let ascii = true;
  for (let k = from; k < to; k++) {
    const kind = load<u8>(kinds + <usize>k);
    if (kind == RAW || kind == STRING) {
      entryBytes(r, k);
      if (at + strN > blockOutCap) {
        let cap = blockOutCap == 0 ? 65536 : blockOutCap * 2;
        while (cap < at + strN) cap *= 2;
        blockOut = grown(blockOut, at, cap);
        blockOutCap = cap;
      }
      memory.copy(blockOut + <usize>at, strAt, strN);
      const u = utf16Units(strAt, strN);
      if (u != strN) ascii = false;
      units += u;
      at += strN;
    }
    store<i32>(blockEnds + <usize>(k - from) * 4, units);
  }
  blockFirst = from;
  blockOutN = at;
  blockAscii = ascii;
  return n;
}
/** How many of path `path`'s entries are of the rows `[rowStart, rowEnd)`. */
export function entriesIn(path: i32, rowStart: i32, rowEnd: i32): i32 {
  const r = pathRec(path);
  const rows = <usize>load<i32>(r + P_ROWS);
  const count = load<i32>(r + P_COUNT);
  return lowerBoundRows(rows, count, rowEnd) - lowerBoundRows(rows, count, rowStart);
}
export function blockFrom(): i32 {
  return blockFirst;
}
export function blockStringBytes(): usize {
  return blockOut;
}
export function blockStringLength(): i32 {
  return blockOutN;
}
export function blockStringsAscii(): bool {
  return blockAscii;
}
export function blockStringEnds(): usize {
  return blockEnds;
}

/** Where JavaScript puts a key's or a string's bytes: {@link bytesBuffer}. */
let bytes: usize = 0;
let bytesCap: i32 = 0;

export function bytesBuffer(n: i32): usize {
  if (n > bytesCap) {
    bytesCap = max(n, bytesCap * 2);
    bytes = alloc(bytesCap);
  }
  return bytes;
}

export function beginRow(r: i32): void {
  startRow(r);
}

/** The path of the key in the bytes buffer (`n` bytes) under `parent`. */
export function childPath(parent: i32, n: i32): i32 {
  return pathOf(parent, bytes, n);
}

export function addString(path: i32, n: i32): void {
  addStringEntry(path, bytes, n);
}

export function addNumber(path: i32, v: f64): void {
  addEntry(path, NUMBER, v, v == Math.floor(v) ? TYPE_LONG : TYPE_DOUBLE);
}

export function addBoolean(path: i32, v: bool): void {
  if (v) addEntry(path, TRUE, 1, TYPE_BOOLEAN);
  else addEntry(path, FALSE, 0, TYPE_BOOLEAN);
}

export function shapeOp(o: i32): void {
  op(o);
}

export function endRow(): void {
  commit();
  setRowShape(row, shapeOf());
  setRowTime(row);
}

// ---- a part's state, for another instance ----

/**
 * Writes the part's globals into memory; afterwards the memory below {@link memoryEnd} and the
 * returned pointer are the whole part. The scan's and the encoders' buffers are not part of it.
 */
export function saveState(): usize {
  const s = alloc(20 * 8);
  store<i64>(s, <i64>paths);
  store<i64>(s + 8, pathCap);
  store<i64>(s + 16, nPaths);
  store<i64>(s + 24, <i64>pathSlots);
  store<i64>(s + 32, pathSlotCap);
  store<i64>(s + 40, line);
  store<i64>(s + 48, objects);
  store<i64>(s + 56, <i64>shapes);
  store<i64>(s + 64, shapeCap);
  store<i64>(s + 72, nShapes);
  store<i64>(s + 80, <i64>shapeSlots);
  store<i64>(s + 88, shapeSlotCap);
  store<i64>(s + 96, <i64>rowShapes);
  store<i64>(s + 104, rowShapeCap);
  store<i64>(s + 112, timePath);
  store<i64>(s + 120, <i64>rowMs);
  store<i64>(s + 128, <i64>rowNs);
  store<i64>(s + 136, rowTimeCap);
  store<i64>(s + 144, <i64>top);
  store<i64>(s + 152, <i64>rowCodes);
  return s;
}

export function memoryEnd(): usize {
  return top;
}

/** Takes the part {@link saveState} wrote at `s`, after its memory was copied into this one. */
export function loadState(s: usize): void {
  paths = <usize>load<i64>(s);
  pathCap = <i32>load<i64>(s + 8);
  nPaths = <i32>load<i64>(s + 16);
  pathSlots = <usize>load<i64>(s + 24);
  pathSlotCap = <i32>load<i64>(s + 32);
  line = <i32>load<i64>(s + 40);
  objects = <i32>load<i64>(s + 48);
  shapes = <usize>load<i64>(s + 56);
  shapeCap = <i32>load<i64>(s + 64);
  nShapes = <i32>load<i64>(s + 72);
  shapeSlots = <usize>load<i64>(s + 80);
  shapeSlotCap = <i32>load<i64>(s + 88);
  rowShapes = <usize>load<i64>(s + 96);
  rowShapeCap = <i32>load<i64>(s + 104);
  timePath = <i32>load<i64>(s + 112);
  rowMs = <usize>load<i64>(s + 120);
  rowNs = <usize>load<i64>(s + 128);
  rowTimeCap = <i32>load<i64>(s + 136);
  top = <usize>load<i64>(s + 144);
  rowCodes = <usize>load<i64>(s + 152);
  // The buffers below were this instance's own: new ones come from past `top`.
  touched = ops = unsures = changed = scratch = input = outcomes = starts = ends = 0;
  touchedCap = opsCap = unsureCap = changedCap = scratchCap = inputCap = linesCap = 0;
  nUnsure = nChanged = 0;
  expectedMs = expectedNs = 0;
  expectCap = expectCount = 0;
  out = picked = blockCodes = remap = numSlots = strSlots = bytes = 0;
  outCap = pickedCap = blockCodesCap = remapCap = numSlotCap = strSlotCap = bytesCap = 0;
  blockOut = blockEnds = spans = 0;
  blockOutCap = blockEndsCap = spansCap = 0;
  tokTable = tokSpare = tokLog = tokPages = pageLengths = freqScratch = 0;
  tokTableCap = tokSpareCap = tokLogCap = tokPagesCap = pageLengthsCap = 0;
  freqScratchCap = 0;
}
/** Row `r`'s `@timestamp` as a time code (1–4), or 0 when it went as a value (or has none). */
export function rowTimeCode(r: i32): i32 {
  return r < rowTimeCap ? <i32>load<u8>(rowCodes + <usize>r) : 0;
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
/** Paths whose types grew since the last scan began: {@link changedCount} i32 path ids. */
export function changedList(): usize {
  return changed;
}
export function changedCount(): i32 {
  return nChanged;
}
/**
 * Rows `[first, first + count)` are kept at the times JavaScript writes at the returned
 * pointer (`count` f64 milliseconds) and at {@link expectedNsBuffer} (`count` i32 nanoseconds).
 */
export function expectTimes(first: i32, count: i32): usize {
  if (count > expectCap) {
    expectCap = max(count, expectCap * 2);
    expectedMs = alloc(expectCap * 8);
    expectedNs = alloc(expectCap * 4);
  }
  expectFirst = first;
  expectCount = count;
  return expectedMs;
}
export function expectedNsBuffer(): usize {
  return expectedNs;
}
/** Starts the lists of unsure strings and of paths whose types grew afresh. */
export function beginBatch(): void {
  nUnsure = 0;
  nChanged = 0;
}
