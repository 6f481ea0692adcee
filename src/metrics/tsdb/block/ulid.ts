/**
 * @module
 * ULIDs, the names of block directories: a 48-bit millisecond timestamp and 80 random bits,
 * written as 26 Crockford base32 characters, so that names sort by creation time. Within this
 * process they are also strictly increasing: an id made in the same millisecond as the previous
 * one (or after the clock stepped back) reuses that timestamp and increments the random part,
 * as the ULID spec's monotonic mode does.
 */

import { randomFillSync } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const ULID_RE = /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/i;
const MAX_TIME = 2 ** 48 - 1;

let lastTime = -1;
const lastRandom = new Uint8Array(10);

/** Adds one to the 80-bit big-endian counter; false when it wraps to zero. */
function increment(bytes: Uint8Array): boolean {
  for (let i = bytes.length - 1; i >= 0; i--) {
    bytes[i] = (bytes[i]! + 1) & 0xff;
    if (bytes[i] !== 0) return true;
  }
  return false;
}

/**
 * A new ULID for time `now` (ms since the epoch), greater than every ULID this process made
 * before.
 *
 * @example
 * newUlid(); // '01HQ3K8Z9R6W0V3T2N5M4B7C1D'
 */
export function newUlid(now = Date.now()): string {
  if (!Number.isInteger(now) || now < 0 || now > MAX_TIME) {
    throw new RangeError(`cannot make ULID: time ${now} outside [0, 2^48)`);
  }
  // When the 80 random bits run out within one millisecond, borrowing the next one keeps the
  // order; it takes about 2^79 ids in one millisecond to get there.
  if (now <= lastTime && increment(lastRandom)) {
    now = lastTime;
  } else {
    now = Math.max(now, lastTime + 1);
    randomFillSync(lastRandom);
  }
  lastTime = now;
  let v = (BigInt(now) << 80n) | BigInt('0x' + Buffer.from(lastRandom).toString('hex'));
  let out = '';
  for (let i = 0; i < 26; i++) {
    out = ALPHABET[Number(v & 31n)]! + out;
    v >>= 5n;
  }
  return out;
}

/**
 * Whether `s` is a well-formed ULID (case-insensitive, as ULID parsers accept).
 *
 * @example
 * isUlid('01HQ3K8Z9R6W0V3T2N5M4B7C1D'); // true
 */
export function isUlid(s: string): boolean {
  return ULID_RE.test(s);
}

/**
 * The timestamp (ms) of a well-formed ULID.
 *
 * @example
 * ulidTime(newUlid(1_700_000_000_000)) >= 1_700_000_000_000; // true
 */
export function ulidTime(ulid: string): number {
  let t = 0;
  for (let i = 0; i < 10; i++) t = t * 32 + ALPHABET.indexOf(ulid[i]!.toUpperCase());
  return t;
}
