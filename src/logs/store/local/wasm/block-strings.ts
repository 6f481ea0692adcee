import { alloc, grown } from './memory';
import {
  P_COUNT,
  P_KINDS,
  P_ROWS,
  RAW,
  STRING,
  entryBytes,
  lowerBoundRows,
  pathRec,
  strAt,
  strN,
} from './paths';

// A path's strings in a block of rows, for JavaScript: their UTF-16 length, and their bytes
// decoded in one go.

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

/** Forgets the buffers, another instance's (see `loadState`). */
export function forgetBlockStrings(): void {
  blockOut = blockEnds = 0;
  blockOutCap = blockEndsCap = 0;
}
