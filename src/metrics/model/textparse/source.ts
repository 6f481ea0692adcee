/**
 * @module
 * The body as the scanners see it: UTF-8 bytes, scanned with plain array reads (on the machines
 * we measured, twice as fast as `charCodeAt`), and strings cut from it only when an accessor asks.
 * Nearly every exposition is ASCII; once a caller has asked for more than a few strings, such a
 * body is turned into one string (a native, memory-speed copy), because then byte offsets are
 * string offsets and each further string is a cheap `slice` of it. A scraper in its steady state
 * asks for a few dozen strings (the families' metadata) and recognises series by their bytes:
 * it never pays for that copy. Other bodies decode each slice from the bytes.
 *
 * Invalid UTF-8 is not an error by itself: Prometheus refuses it only inside label values, quoted
 * names and help texts, and lets it pass in comments. The whole body is checked once, natively;
 * only when that check fails are the strings that must be valid checked one by one.
 */

import { Buffer, isAscii, isUtf8 } from 'node:buffer';

/**
 * Slices an ASCII body serves by decoding the bytes (a native call each) before it makes the
 * whole body a string: one copy of a 70 KiB body costs about what a hundred such calls cost.
 */
const SLICES_BEFORE_COPY = 64;

/** One body, as bytes and (lazily) strings. */
export class Source {
  readonly bytes: Uint8Array;
  readonly #buffer: Buffer;
  readonly #isAscii: boolean;
  /** The whole body once an ASCII body served enough slices, so that slices need no decoding. */
  #ascii: string | null;
  #slices = 0;
  /** Whether the whole body is valid UTF-8. */
  readonly #valid: boolean;

  /**
   * A string body is encoded to UTF-8 first (a lone surrogate becomes U+FFFD, as in any
   * encoder).
   */
  constructor(body: Uint8Array | string) {
    const buffer =
      typeof body === 'string'
        ? Buffer.from(body, 'utf8')
        : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
    this.bytes = buffer;
    this.#buffer = buffer;
    const ascii = isAscii(buffer);
    this.#isAscii = ascii;
    this.#ascii = ascii && typeof body === 'string' ? body : null;
    this.#valid = ascii || isUtf8(buffer);
  }

  /**
   * The text of bytes `[start, end)`; bad UTF-8 reads as U+FFFD.
   *
   * @example
   * new Source('up 1\n').slice(0, 2); // 'up'
   */
  slice(start: number, end: number): string {
    if (this.#ascii !== null) return this.#ascii.slice(start, end);
    if (!this.#isAscii) return this.#buffer.toString('utf8', start, end);
    if (++this.#slices <= SLICES_BEFORE_COPY) return this.#buffer.toString('latin1', start, end);
    this.#ascii = this.#buffer.toString('latin1');
    return this.#ascii.slice(start, end);
  }

  /**
   * Whether bytes `[start, end)` are valid UTF-8.
   *
   * @example
   * new Source(new Uint8Array([0x61, 0xff])).isValid(0, 1); // true
   */
  isValid(start: number, end: number): boolean {
    return this.#valid || isUtf8(this.bytes.subarray(start, end));
  }
}
