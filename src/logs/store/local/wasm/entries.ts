import { grown, keep } from './memory';
import {
  P_CAP,
  P_COUNT,
  P_KINDS,
  P_LINE,
  P_LINETYPES,
  P_NUMS,
  P_NVALUES,
  P_RAW,
  P_ROWS,
  P_TYPES,
  RAW,
  STRING,
  codeOf,
  pathRec,
  valueAt,
} from './paths';
import { TYPE_LISTED, TYPE_UNSURE, listChanged, listUnsure, stringType } from './types';

// Entries: a line's leaves added to their paths, kept with its types when the line is taken
// ({@link commit}) and taken back when it is left ({@link rollback}).

/** Lines begun, taken or left: the number of the current one. */
let line: i32 = 0;
export let row: i32 = 0;
/** Paths given entries by the current line, with their entry counts before it. */
let touched: usize = 0;
let touchedCap: i32 = 0;
let nTouched: i32 = 0;

/** Begins a line, of row `r`. */
export function startLine(r: i32): void {
  line++;
  row = r;
  nTouched = 0;
}

/** Writes the entries' globals at `s`; returns where the next module's go. */
export function saveEntries(s: usize): usize {
  store<i64>(s, line);
  return s + 8;
}

/** Takes what {@link saveEntries} wrote at `s`; returns where the next module's are. */
export function loadEntries(s: usize): usize {
  line = <i32>load<i64>(s);
  touched = 0;
  touchedCap = nTouched = 0;
  return s + 8;
}

/** Adds type bit `type` to `path`'s types of the current line (see {@link commit}). */
export function touchTypes(path: i32, type: i32): void {
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
export function addEntry(path: i32, kind: u8, value: f64, type: i32): void {
  addEntryBits(path, kind, reinterpret<u64>(value), type);
}

/**
 * Distinct strings a path codes before it looks at their share, and most it codes: past them,
 * when more than half of its entries were new, its strings are kept as they are (trace ids,
 * unrepeated messages): a table of a distinct value per document costs a cache miss a value and
 * its growth, for nothing. 500 pods drawn at random reach ~350 distinct in their first 600
 * values, hence the floor.
 */
const CODED_FLOOR = 1024;
const MAX_CODED = 65536;

/** Adds string `p`/`n` at `path` for the current row, coded while the path's strings repeat. */
export function addStringEntry(path: i32, p: usize, n: i32): void {
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
  appendEntry(pathRec(path), row, kind, bits);
}

/** Appends an entry of row `entryRow` to the path record at `r`. */
export function appendEntry(r: usize, entryRow: i32, kind: u8, bits: u64): void {
  const count = load<i32>(r + P_COUNT);
  const cap = load<i32>(r + P_CAP);
  if (count == cap) {
    const c = cap == 0 ? 256 : cap * 2;
    store<i32>(r + P_ROWS, <i32>grown(<usize>load<i32>(r + P_ROWS), cap * 4, c * 4));
    store<i32>(r + P_KINDS, <i32>grown(<usize>load<i32>(r + P_KINDS), cap, c));
    store<i32>(r + P_NUMS, <i32>grown(<usize>load<i32>(r + P_NUMS), cap * 8, c * 8));
    store<i32>(r + P_CAP, c);
  }
  store<i32>(<usize>load<i32>(r + P_ROWS) + <usize>count * 4, entryRow);
  store<u8>(<usize>load<i32>(r + P_KINDS) + <usize>count, kind);
  store<u64>(<usize>load<i32>(r + P_NUMS) + <usize>count * 8, bits);
  store<i32>(r + P_COUNT, count + 1);
}

/**
 * Keeps the current line: its entries' types join their paths', and its strings whose type the
 * core leaves to JavaScript are listed (once per distinct value) in {@link unsure}.
 */
export function commit(): void {
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

export function rollback(): void {
  for (let k = 0; k < nTouched; k++) {
    const path = load<i32>(touched + <usize>k * 8);
    store<i32>(pathRec(path) + P_COUNT, load<i32>(touched + <usize>k * 8 + 4));
  }
}
