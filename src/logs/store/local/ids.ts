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

/** Assigns ids; one per store. */
export class IdGenerator {
  readonly #buf = Buffer.alloc(15);
  #seq = 0;
  #lastMs = 0;

  /**
   * @example
   * const ids = new IdGenerator();
   * ids.next(Date.now()); // e.g. 'AZLVqF8sAAAB3q2vYjcU'
   */
  constructor() {
    randomBytes(6).copy(this.#buf, 9);
    this.#seq = randomBytes(3).readUIntBE(0, 3);
  }

  /** A new id; `nowMs` is the current time (ids from one generator never repeat). */
  next(nowMs: number): string {
    // Never go back in time (clock steps): reuse the last ms and keep counting the sequence.
    const ms = Math.max(nowMs, this.#lastMs);
    this.#lastMs = ms;
    this.#seq = (this.#seq + 1) & 0xffffff;
    const b = this.#buf;
    b.writeUIntBE(ms, 0, 6);
    b.writeUIntBE(this.#seq, 6, 3);
    return b.toString('base64url');
  }
}
