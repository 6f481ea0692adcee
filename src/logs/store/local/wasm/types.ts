import { grown } from './memory';

// Field types: the type of a string (keyword, date, ip, or unsure: JavaScript's to decide), and
// the lists of paths whose types grew and of unsure strings that JavaScript reads after a scan.
//
// Bits of `mapping.ts`'s types, in its order: keyword, long, double, boolean, date, ip.

export const TYPE_KEYWORD = 1;
export const TYPE_LONG = 2;
export const TYPE_DOUBLE = 4;
export const TYPE_BOOLEAN = 8;
export const TYPE_DATE = 16;
const TYPE_IP = 32;
/** A string this core does not type (an address-like string): JavaScript's `typeOf` decides. */
export const TYPE_UNSURE = 64;
/** Set on an unsure value once {@link unsure} lists it. */
export const TYPE_LISTED = 128;

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

export let parsedMs: f64 = 0;
export let parsedNs: i32 = 0;

/**
 * `timestamp.ts`'s `parseUtcFast` on bytes: `YYYY-MM-DDTHH:MM:SS[.fraction]Z` into
 * (parsedMs, parsedNs); false for anything else, which JavaScript's general reading gets.
 */
export function parseUtcFast(p: usize, n: i32): bool {
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
export function stringType(p: usize, n: i32): i32 {
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

export function listChanged(path: i32): void {
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

export function listUnsure(path: i32, code: i32): void {
  if (nUnsure == unsureCap) {
    const cap = unsureCap == 0 ? 64 : unsureCap * 2;
    unsures = grown(unsures, unsureCap * 8, cap * 8);
    unsureCap = cap;
  }
  store<i32>(unsures + <usize>nUnsure * 8, path);
  store<i32>(unsures + <usize>nUnsure * 8 + 4, code);
  nUnsure++;
}

/** Starts the lists of unsure strings and of paths whose types grew afresh. */
export function beginBatch(): void {
  nUnsure = 0;
  nChanged = 0;
}

/** Forgets the lists' buffers, another instance's (see `loadState`). */
export function forgetTypeLists(): void {
  changed = unsures = 0;
  changedCap = unsureCap = nChanged = nUnsure = 0;
}

/** Unsure strings listed by the last scan: {@link unsureCount} (path, code) pairs of i32. */
export function unsureList(): usize {
  return unsures;
}
export function unsureCount(): i32 {
  return nUnsure;
}
/** Paths whose types grew since the last scan began: {@link changedCount} i32 path ids. */
export function changedList(): usize {
  return changed;
}
export function changedCount(): i32 {
  return nChanged;
}
