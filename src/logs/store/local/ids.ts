/**
 * @module
 * Document ids the store assigns. Like Elasticsearch's time-based ids: 15 bytes written as 20
 * base64url characters: 6 bytes of milliseconds since the epoch, 3 bytes of a sequence number
 * and 6 random bytes drawn once per store open (Elasticsearch uses the MAC address there).
 * Unique because the sequence cannot wrap within one millisecond (16 M ids) and the random
 * part differs between store opens; the constant tail and slowly changing time prefix compress
 * to a few bytes per id in the segment's id column.
 */

import { randomBytes } from 'node:crypto';

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** The base64url text of each 12-bit value: two characters. */
const PAIRS = Array.from({ length: 4096 }, (_, k) => BASE64URL[k >> 6]! + BASE64URL[k & 63]!);

/** The base64url text of a 24-bit value: three bytes, four characters. */
const text24 = (v: number) => PAIRS[v >>> 12]! + PAIRS[v & 4095]!;

/**
 * Assigns ids; one per store. Each id's text is put together from cached pieces (the time's
 * eight characters change once a millisecond, the random tail's never): `Buffer#toString`
 * took ~0.2 µs an id, about 1 % of ingest.
 */
export class IdGenerator {
  /** The random bytes' eight characters. */
  readonly #tail: string;
  #seq: number;
  #lastMs = -1;
  /** The eight characters of `#lastMs`. */
  #msText = '';

  /**
   * @example
   * const ids = new IdGenerator();
   * ids.next(Date.now()); // e.g. 'AZLVqF8sAAAB3q2vYjcU'
   */
  constructor() {
    this.#tail = randomBytes(6).toString('base64url');
    this.#seq = randomBytes(3).readUIntBE(0, 3);
  }

  /** A new id; `nowMs` is the current time (ids from one generator never repeat). */
  next(nowMs: number): string {
    // Never go back in time (clock steps): reuse the last ms and keep counting the sequence.
    if (nowMs > this.#lastMs) {
      this.#lastMs = nowMs;
      // Six bytes of milliseconds, big-endian: two groups of three.
      this.#msText = text24(Math.floor(nowMs / 2 ** 24) & 0xffffff) + text24(nowMs & 0xffffff);
    }
    this.#seq = (this.#seq + 1) & 0xffffff;
    return this.#msText + text24(this.#seq) + this.#tail;
  }
}
