import { alloc, grown } from './memory';
import { parseUtcFast, parsedMs, parsedNs } from './types';

// Times: each row's time read from its `@timestamp` where the core can, and its time code (the
// `@timestamp` text, when the time written in one of `time-column.ts`'s layouts rebuilds it).

/** The current line's time from its `@timestamp` (NaN: none, or not one string this reads). */
let timeMs: f64 = NaN;
let timeNs: i32 = 0;
/** Set once the current line's `@timestamp` was met (a second one is not a time). */
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

/** Begins the time of a line, of row `r`: the time it is kept at, if given. */
export function startTime(r: i32): void {
  timeMs = NaN;
  timeSeen = false;
  timeCode = 0;
  const j = r - expectFirst;
  if (j >= 0 && j < expectCount) {
    expectMs = load<f64>(expectedMs + <usize>j * 8);
    expectNs = load<i32>(expectedNs + <usize>j * 4);
  } else expectMs = NaN;
}

/** Marks the current line's `@timestamp` met as something other than a string. */
export function seenTime(): void {
  timeSeen = true;
}

/**
 * Reads the string at `@timestamp`; true when it goes as a time code instead of a value: the
 * row's time written as RFC 3339 in UTC with 0, 3, 6 or 9 fraction digits rebuilds it exactly,
 * as `time-column.ts`'s `TimeCoder` decides (what `parseUtcFast` reads is that layout).
 */
export function readTime(p: usize, n: i32): bool {
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

export function setRowTime(r: i32): void {
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

/** Row `r`'s time from its `@timestamp`: milliseconds (NaN when not read here). */
export function rowTimeMs(r: i32): f64 {
  return r < rowTimeCap ? load<f64>(rowMs + <usize>r * 8) : NaN;
}

export function rowTimeNs(r: i32): i32 {
  return r < rowTimeCap ? load<i32>(rowNs + <usize>r * 4) : 0;
}

/** Row `r`'s `@timestamp` as a time code (1–4), or 0 when it went as a value (or has none). */
export function rowTimeCode(r: i32): i32 {
  return r < rowTimeCap ? <i32>load<u8>(rowCodes + <usize>r) : 0;
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

/** Writes the times' globals at `s`; returns where the next module's go. */
export function saveTimes(s: usize): usize {
  store<i64>(s, <i64>rowMs);
  store<i64>(s + 8, <i64>rowNs);
  store<i64>(s + 16, rowTimeCap);
  store<i64>(s + 24, <i64>rowCodes);
  return s + 32;
}

/** Takes what {@link saveTimes} wrote at `s`; returns where the next module's are. */
export function loadTimes(s: usize): usize {
  rowMs = <usize>load<i64>(s);
  rowNs = <usize>load<i64>(s + 8);
  rowTimeCap = <i32>load<i64>(s + 16);
  rowCodes = <usize>load<i64>(s + 24);
  expectedMs = expectedNs = 0;
  expectCap = expectCount = 0;
  return s + 32;
}
