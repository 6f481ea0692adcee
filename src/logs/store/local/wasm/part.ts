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

import { addEntry, addStringEntry, commit, loadEntries, row, saveEntries } from './entries';
import { loadScanner, saveScanner, scanLine, startRow, EMPTY, LEFT } from './json';
import { alloc, grown, resumeAt, top } from './memory';
import { addId, loadIds, saveIds } from './ids';
import { forgetOutput } from './output';
import { FALSE, NUMBER, TRUE, initPaths, loadPaths, pathOf, savePaths } from './paths';
import { initShapes, loadShapes, op, saveShapes, setRowShape, shapeOf } from './shapes';
import { loadTimes, saveTimes, setRowTime } from './times';
import { TYPE_BOOLEAN, TYPE_DOUBLE, TYPE_LONG, forgetTypeLists } from './types';
import { forgetColumnEncoder } from './column-encode';
import { forgetTokens } from './tokens';
import { forgetBlockStrings } from './block-strings';

// The module's exports are what JavaScript calls (`wasm-core.ts` lists them): from the other
// modules, what they tell of a part and the flush's encoders; from this one, the scan of a
// write's texts, rows JavaScript walks and the part's state for another instance.
export {
  entryCount,
  entryKinds,
  entryRows,
  entryString,
  entryStringLength,
  entryValues,
  pathCount,
  pathKey,
  pathKeyLength,
  pathParent,
  pathTypes,
  valueBytes,
  valueCount,
  valueLength,
} from './paths';
export { rowShape, shapeCount, shapeOps, shapeOpsLength } from './shapes';
export { expectTimes, expectedNsBuffer, rowTimeCode, rowTimeMs, rowTimeNs } from './times';
export { beginBatch, changedCount, changedList, unsureCount, unsureList } from './types';
export { columnBytes, encodeColumn } from './column-encode';
export { encodeIds, hashIds, idAt, idCount, idHashes } from './ids';
export { columnBloom, frequentSection, indexColumn, pageBloomLengths, pageBlooms } from './tokens';
export {
  blockFrom,
  blockStringBytes,
  blockStringEnds,
  blockStringLength,
  blockStrings,
  blockStringsAscii,
  entriesIn,
  stringUnits,
} from './block-strings';

// ---- the scan of a write's texts ----

let input: usize = 0;
let inputCap: i32 = 0;
/** Per line of the last scan: outcome (u8), and start and end offsets in the input (i32). */
let outcomes: usize = 0;
let starts: usize = 0;
let ends: usize = 0;
let linesCap: i32 = 0;

/** Prepares an empty part. */
export function init(): void {
  initPaths();
  initShapes();
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
    const outcome = scanLine(input + <usize>at, input + <usize>e, r);
    store<u8>(outcomes + <usize>k, outcome);
    if (outcome != EMPTY) r++;
    k++;
    if (outcome == LEFT) break;
  }
  return k;
}

/**
 * Adds the ids of rows `[firstRow, firstRow + n)`: `n` (offset, length) pairs in the span buffer,
 * written there after the rows' texts were scanned, of ids in the input buffer.
 */
export function addIds(n: i32, firstRow: i32): void {
  for (let j = 0; j < n; j++) {
    const at = load<i32>(spans + <usize>j * 8);
    addId(firstRow + j, input + <usize>at, load<i32>(spans + <usize>j * 8 + 4));
  }
}

/** Adds the `n` bytes in the bytes buffer as the id of row `r`. */
export function addIdBytes(r: i32, n: i32): void {
  addId(r, bytes, n);
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

// ---- rows JavaScript walks ----
// A line the scan left is parsed and walked by JavaScript, which adds its leaves here: between
// beginRow and endRow, keys by childPath, values by addString, addNumber and addBoolean, and
// the shape's sequence by shapeOp. The row's entries, types and shape are then kept as a
// scanned line's are (its time stays JavaScript's).

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
  const s = alloc(STATE_BYTES);
  store<i64>(s, <i64>top);
  saveIds(saveTimes(saveShapes(saveScanner(saveEntries(savePaths(s + 8))))));
  return s;
}

/** Bytes of {@link saveState}'s globals: `top`, then each module's. */
const STATE_BYTES = 8 + 48 + 8 + 8 + 56 + 32 + 8;

export function memoryEnd(): usize {
  return top;
}

/** Takes the part {@link saveState} wrote at `s`, after its memory was copied into this one. */
export function loadState(s: usize): void {
  resumeAt(<usize>load<i64>(s));
  loadIds(loadTimes(loadShapes(loadScanner(loadEntries(loadPaths(s + 8))))));
  // The buffers below were this instance's own: new ones come from past `top`.
  input = outcomes = starts = ends = spans = bytes = 0;
  inputCap = linesCap = spansCap = bytesCap = 0;
  forgetTypeLists();
  forgetOutput();
  forgetColumnEncoder();
  forgetTokens();
  forgetBlockStrings();
}
