import { appendEntry } from './entries';
import { alloc, keep, mix } from './memory';
import { P_COUNT, P_RAW, PATH_REC, RAW, entryBytes, strAt, strN } from './paths';
import { encodeEntries } from './column-encode';

// Document ids: row r's id is entry r of a path record of their own, outside the path table
// (a raw string each, as a path's strings are once they stop repeating), so that a block's id
// column is encoded as any column is, and the ids are hashed for the segment's id filters here
// instead of in JavaScript.

let ids: usize = 0;

function idRecord(): usize {
  if (ids == 0) {
    ids = alloc(PATH_REC);
    memory.fill(ids, 0, PATH_REC);
    // Never coded: the encoder then compares them by their bytes.
    store<i32>(ids + P_RAW, 1);
  }
  return ids;
}

/** Adds `n` bytes at `p` as the id of row `r`; rows come in order, each once. */
export function addId(r: i32, p: usize, n: i32): void {
  appendEntry(idRecord(), r, RAW, (<u64>keep(p, n)) | ((<u64>n) << 32));
}

/** Rows with an id. */
export function idCount(): i32 {
  return ids == 0 ? 0 : load<i32>(ids + P_COUNT);
}

/** Where row `r`'s id is: `entryStringLength` bytes of UTF-8. */
export function idAt(r: i32): usize {
  entryBytes(ids, r);
  return strAt;
}

/** Writes the id column of rows `[rowStart, rowEnd)` as `encodeColumn` writes a column. */
export function encodeIds(rowStart: i32, rowEnd: i32): i32 {
  return encodeEntries(idRecord(), rowStart, rowEnd);
}

let hashes: usize = 0;
let hashesCap: i32 = 0;

/**
 * Hashes the ids of rows `[rowStart, rowEnd)` as `bloom.ts`'s `hashKey` does, two u32 a row at
 * {@link idHashes}; false, hashing nothing more, at an id past ASCII (where UTF-8 bytes and the
 * UTF-16 units `hashKey` reads differ): JavaScript hashes those.
 */
export function hashIds(rowStart: i32, rowEnd: i32): bool {
  const n = rowEnd - rowStart;
  if (n > hashesCap) {
    hashesCap = max(n, hashesCap * 2);
    hashes = alloc(hashesCap * 8);
  }
  for (let k = 0; k < n; k++) {
    entryBytes(ids, rowStart + k);
    let a: u32 = 0x811c9dc5;
    let b: u32 = 0x2c1b3c6d;
    for (let i = 0; i < strN; i++) {
      const c = <u32>load<u8>(strAt + <usize>i);
      if (c >= 0x80) return false;
      a = (a ^ c) * 0x01000193;
      b = (b ^ c) * 0x5bd1e995;
    }
    store<u32>(hashes + <usize>k * 8, mix(a));
    store<u32>(hashes + <usize>k * 8 + 4, mix(b ^ (<u32>strN)) | 1);
  }
  return true;
}

export function idHashes(): usize {
  return hashes;
}

/** Writes the ids' global at `s`; returns where the next module's go. */
export function saveIds(s: usize): usize {
  store<i64>(s, <i64>ids);
  return s + 8;
}

/** Takes what {@link saveIds} wrote at `s`; returns where the next module's are. */
export function loadIds(s: usize): usize {
  ids = <usize>load<i64>(s);
  hashes = 0;
  hashesCap = 0;
  return s + 8;
}
