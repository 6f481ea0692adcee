/**
 * @module
 * A plain column's frequent tokens, with the documents that hold each (format:
 * docs/format/log-segment.md, "Frequent tokens"). A word that is in a good share of a block's
 * documents (`error` in the messages, a namespace in controller lines) is what histograms and
 * dashboards search for, and the bloom passes every block for it; without this section each of
 * those blocks would have its column decompressed and searched. With it, such a search reads a
 * few hundred bytes per block. Rare words are left to the bloom and the byte search
 * (`token-scan.ts`), which then touch few blocks.
 *
 * Only strings that are keywords count (not those read as dates or addresses): a document is
 * listed under a token exactly when one of its keyword strings has it, which is what a one-word
 * match asks, so such a match needs no further test.
 */

import { ByteWriter } from '../../../lib/encoding/byte-writer.js';
import { getUvarint, type Cursor, uvarintSize } from '../../../lib/encoding/varint.js';

/** A token is frequent in a block when at least this share of its documents hold it… */
export const FREQUENT_SHARE = 1 / 64;
/** …and at least this many. */
export const FREQUENT_MIN_DOCS = 32;

const KIND_BITMAP = 0;
const KIND_DELTAS = 1;

/**
 * Collects, for one column of one block, which documents hold which tokens. Documents come in
 * increasing order.
 */
export class FrequentTokenBuilder {
  /** Per token: the last document added and, from the second document on, all of them. */
  readonly #last = new Map<string, number>();
  readonly #docs = new Map<string, number[]>();
  readonly #length: number;

  /** @param length documents in the block. */
  constructor(length: number) {
    this.#length = length;
  }

  /** Document `doc` holds `token`. */
  add(doc: number, token: string): void {
    const last = this.#last.get(token);
    if (last === doc) return;
    this.#last.set(token, doc);
    if (last === undefined) return;
    const docs = this.#docs.get(token);
    if (docs === undefined) this.#docs.set(token, [last, doc]);
    else docs.push(doc);
  }

  /**
   * The section, or undefined when no token is frequent.
   *
   * @example
   * const b = new FrequentTokenBuilder(8192);
   * b.add(0, 'error'); // … for every document and token
   * const section = b.encode(); // bytes for the block's codec
   */
  encode(): Buffer | undefined {
    const min = Math.max(FREQUENT_MIN_DOCS, Math.ceil(this.#length * FREQUENT_SHARE));
    const frequent = [...this.#docs].filter(([, docs]) => docs.length >= min);
    if (frequent.length === 0) return undefined;
    frequent.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const w = new ByteWriter();
    const payload = new ByteWriter();
    w.uvarint(this.#length);
    w.uvarint(frequent.length);
    const bitmapBytes = (this.#length + 7) >> 3;
    for (const [token, docs] of frequent) {
      w.string(token);
      payload.reset();
      let deltaBytes = 0;
      let prev = -1;
      for (const d of docs) {
        deltaBytes += uvarintSize(d - prev - 1);
        prev = d;
      }
      if (deltaBytes < bitmapBytes) {
        w.u8(KIND_DELTAS);
        payload.uvarint(docs.length);
        prev = -1;
        for (const d of docs) {
          payload.uvarint(d - prev - 1);
          prev = d;
        }
      } else {
        w.u8(KIND_BITMAP);
        const bitmap = new Uint8Array(bitmapBytes);
        for (const d of docs) bitmap[d >> 3]! |= 1 << (d & 7);
        payload.raw(bitmap);
      }
      w.uvarint(payload.length);
      w.raw(payload.bytes());
    }
    return Buffer.from(w.bytes());
  }
}

/**
 * A section as read: tokens are looked up by walking its entries, comparing bytes and skipping
 * payloads, which for the few dozen tokens of a block costs less than decoding them into a map.
 *
 * @example
 * const f = new FrequentTokens(bytes, block.length);
 * f.mark('error', rows); // false when `error` is not frequent in the block
 */
export class FrequentTokens {
  readonly #buf: Buffer;
  readonly #length: number;

  /** @throws {Error} when the section is not for `length` documents. */
  constructor(buf: Buffer, length: number) {
    this.#buf = buf;
    this.#length = length;
    const n = getUvarint(buf, { off: 0 });
    if (n !== length) {
      throw new Error(
        `cannot read frequent tokens: section is for ${n} documents, block has ${length}`,
      );
    }
  }

  /** Offset of `token`'s entry kind byte, or -1 when the token is not frequent in the block. */
  #find(token: Buffer): number {
    const buf = this.#buf;
    const cur: Cursor = { off: 0 };
    getUvarint(buf, cur);
    const k = getUvarint(buf, cur);
    for (let i = 0; i < k; i++) {
      const len = getUvarint(buf, cur);
      const at = cur.off;
      cur.off += len + 1;
      const payload = getUvarint(buf, cur);
      if (len === token.length && buf.compare(token, 0, len, at, at + len) === 0) return at + len;
      cur.off += payload;
    }
    return -1;
  }

  /** True when every one of `tokens` is frequent in the block. */
  hasAll(tokens: readonly string[]): boolean {
    return tokens.every((t) => this.#find(Buffer.from(t)) >= 0);
  }

  /**
   * Sets `rows[d] = 1` for every document `d` holding `token`, and returns true; returns false,
   * marking nothing, when `token` is not frequent in the block.
   */
  mark(token: string, rows: Uint8Array): boolean {
    const buf = this.#buf;
    const at = this.#find(Buffer.from(token));
    if (at < 0) return false;
    const cur: Cursor = { off: at + 1 };
    getUvarint(buf, cur);
    if (buf[at] === KIND_BITMAP) {
      const base = cur.off;
      for (let d = 0; d < this.#length; d++) {
        if ((buf[base + (d >> 3)]! & (1 << (d & 7))) !== 0) rows[d] = 1;
      }
      return true;
    }
    const m = getUvarint(buf, cur);
    let d = -1;
    for (let i = 0; i < m; i++) {
      d += getUvarint(buf, cur) + 1;
      rows[d] = 1;
    }
    return true;
  }
}
