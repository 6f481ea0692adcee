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
import { type FieldValue, typeOf } from '../../model/fields.js';
import { forEachTokenSpan, SPAN_UNICODE } from '../../model/tokenize.js';
import { bloomAdd, bloomOfTable, bloomSize, hashKey, hashKeyAscii, mix } from './bloom.js';

/** A token is frequent in a block when at least this share of its documents hold it… */
export const FREQUENT_SHARE = 1 / 64;
/** …and at least this many. */
export const FREQUENT_MIN_DOCS = 32;

const KIND_BITMAP = 0;
const KIND_DELTAS = 1;

/**
 * Strings a column's index caches before it looks whether they repeat: when the first this many
 * were all distinct, it stops caching.
 */
const CACHE_TRIAL = 512;

/** Starting slots of the table; it doubles at half full. */
const INITIAL_SLOTS = 1024;
/** Starting length of the document log and of the slot pool. */
const INITIAL_LOG = 4096;

/** What a {@link ColumnTokenIndex} grew to: distinct tokens, log and pool lengths. */
export interface IndexSizes {
  readonly tokens: number;
  readonly log: number;
  readonly pool: number;
}

/** The least power of two at least `n`. */
function pow2(n: number): number {
  return 2 ** Math.ceil(Math.log2(n));
}

const NO_TOKENS: readonly number[] = [];

/**
 * Indexes one plain column of one block: every distinct token of its values (for the bloom
 * filter) and, from its keyword strings, which documents hold each token (for the frequent-token
 * section). Like `token-bloom.ts`, tokens are hashed from their spans in the value and told
 * apart by their 64-bit hash pair in an open-addressing table; a token's text is cut out only if
 * it turns out frequent. A string repeated in the column is tokenized once: its slots are kept.
 * Documents come in increasing order.
 */
export class ColumnTokenIndex {
  readonly #length: number;
  #slots: Uint32Array;
  /** Per slot: the last document that held the token (-1: none yet, or a number's token only). */
  #last: Int32Array;
  /** Per slot: where its text is (a value and a span), for the tokens that become frequent. */
  #text: string[];
  #start: Int32Array;
  #end: Int32Array;
  #count = 0;
  /** Per slot: how many documents hold the token. */
  #holders: Int32Array;
  /**
   * (slot, document) for every document that holds a token, in document order: the frequent
   * tokens' documents are picked from it at the end, so that no token needs a list of its own
   * while it is being counted (most never become frequent).
   */
  #log: Int32Array;
  #logLength = 0;
  /**
   * For strings seen before, where their tokens' slots are in {@link #pool}: a count, then the
   * slots. One pool instead of a typed array per string, which made most of the worker's
   * garbage on columns of messages (nearly every one distinct).
   */
  readonly #known = new Map<string, number>();
  /** Strings looked up in {@link #known}: when the first {@link CACHE_TRIAL} are distinct, it goes. */
  #lookups = 0;
  #caching = true;
  #pool: Int32Array;
  #poolLength = 0;
  readonly #h = new Uint32Array(2);
  readonly #found: number[] = [];
  #s = '';
  readonly #onSpan = (start: number, end: number, kind: number): void => {
    const s = this.#s;
    if (kind === SPAN_UNICODE) hashKey(s.slice(start, end).toLowerCase(), this.#h);
    else hashKeyAscii(s, start, end, this.#h);
    this.#found.push(this.#slot(this.#h[0]!, this.#h[1]!, s, start, end));
  };

  /** Documents per page, when the column is written as pages; the block length otherwise. */
  readonly #pageDocs: number;
  /** Per slot: the last page that held the token (-1: none yet). */
  #lastPage: Int32Array;
  /** Per page: the hash pairs of its distinct tokens. */
  readonly #pageKeys: number[][] = [];

  /**
   * @param length documents in the block.
   * @param pageDocs documents per page, for a column written as pages ({@link pageBlooms}).
   * @param like what the same column's index of the previous block grew to ({@link sizes}): a
   *   message column's table grew six times a block from its starting size, each time moving
   *   every slot and rewriting the document log.
   */
  constructor(length: number, pageDocs = length, like?: IndexSizes) {
    this.#length = length;
    this.#pageDocs = Math.max(1, pageDocs);
    // The table doubles when half full ({@link #slot}).
    const n =
      like === undefined ? INITIAL_SLOTS : Math.max(INITIAL_SLOTS, pow2(2 * like.tokens + 2));
    this.#slots = new Uint32Array(n * 2);
    this.#last = new Int32Array(n).fill(-1);
    this.#lastPage = new Int32Array(n).fill(-1);
    this.#text = new Array<string>(n);
    this.#start = new Int32Array(n);
    this.#end = new Int32Array(n);
    this.#holders = new Int32Array(n);
    this.#log = new Int32Array(Math.max(INITIAL_LOG, like?.log ?? 0));
    this.#pool = new Int32Array(Math.max(INITIAL_LOG, like?.pool ?? 0));
  }

  /** How large this index grew: the start for the same column's index of the next block. */
  sizes(): IndexSizes {
    return { tokens: this.#count, log: this.#logLength, pool: this.#poolLength };
  }

  /**
   * Adds a value of document `doc`. Only keyword strings are tokenized: a number, a boolean, or
   * a string read as a date or an address is found by value, never by a word (`tokens.ts`), so
   * its tokens would only fill the bloom.
   */
  add(doc: number, v: FieldValue): void {
    if (typeof v !== 'string') return;
    if (!this.#caching) {
      const slots = typeOf(v) === 'keyword' ? this.#tokenize(v) : NO_TOKENS;
      for (let k = 0; k < slots.length; k++) this.#hold(slots[k]!, doc);
      return;
    }
    let at = this.#known.get(v);
    if (at === undefined) {
      at = this.#keep(typeOf(v) === 'keyword' ? this.#tokenize(v) : NO_TOKENS);
      this.#known.set(v, at);
    }
    if (++this.#lookups === CACHE_TRIAL && this.#known.size === CACHE_TRIAL) {
      // Not one string seen twice: most likely a column of ids, where the map costs more than
      // tokenizing each string again.
      this.#caching = false;
      this.#known.clear();
    }
    const pool = this.#pool;
    const end = at + 1 + pool[at]!;
    for (let k = at + 1; k < end; k++) this.#hold(pool[k]!, doc);
  }

  /** Appends `slots` to the pool, after their count; returns where. */
  #keep(slots: readonly number[]): number {
    const at = this.#poolLength;
    const need = at + 1 + slots.length;
    if (need > this.#pool.length) {
      const pool = new Int32Array(Math.max(need, this.#pool.length * 2));
      pool.set(this.#pool.subarray(0, at));
      this.#pool = pool;
    }
    const pool = this.#pool;
    pool[at] = slots.length;
    for (let k = 0; k < slots.length; k++) pool[at + 1 + k] = slots[k]!;
    this.#poolLength = need;
    return at;
  }

  /** The bloom filter over every distinct token added. */
  bloom(): Uint8Array {
    return bloomOfTable(this.#slots, this.#count);
  }

  /** Per page of `pageDocs` documents, the bloom filter over its distinct tokens. */
  pageBlooms(): Uint8Array[] {
    const pages = Math.ceil(this.#length / this.#pageDocs);
    const h = new Uint32Array(2);
    return Array.from({ length: pages }, (_, p) => {
      const keys = this.#pageKeys[p] ?? [];
      const bits = new Uint8Array(bloomSize(keys.length / 2));
      for (let k = 0; k < keys.length; k += 2) {
        h[0] = keys[k]!;
        h[1] = keys[k + 1]!;
        bloomAdd(bits, h);
      }
      return bits;
    });
  }

  /** The frequent-token section, or undefined when no token is frequent. */
  frequent(): Buffer | undefined {
    const min = Math.max(FREQUENT_MIN_DOCS, Math.ceil(this.#length * FREQUENT_SHARE));
    const frequent: [string, number[]][] = [];
    const listOf = new Map<number, number[]>();
    const holders = this.#holders;
    for (let slot = 0; slot < holders.length; slot++) {
      if (holders[slot]! < min) continue;
      const token = this.#text[slot]!.slice(this.#start[slot], this.#end[slot]).toLowerCase();
      const docs: number[] = [];
      listOf.set(slot, docs);
      frequent.push([token, docs]);
    }
    if (frequent.length === 0) return undefined;
    const log = this.#log;
    for (let k = 0; k < this.#logLength; k += 2) {
      if (holders[log[k]!]! >= min) listOf.get(log[k]!)!.push(log[k + 1]!);
    }
    return encodeFrequent(this.#length, frequent);
  }

  /**
   * The slots of `s`'s tokens. ASCII text, nearly all of it, is tokenized, lowercased and
   * hashed in one pass over its characters, as `forEachTokenSpan` and `hashKeyAscii` would
   * (same spans, same hashes); a string with another character goes through those.
   */
  #tokenize(s: string): number[] {
    const found = this.#found;
    found.length = 0;
    const n = s.length;
    let a = 0;
    let b = 0;
    let start = -1;
    for (let i = 0; i < n; i++) {
      let c = s.charCodeAt(i);
      if (c >= 128) return this.#tokenizeSpans(s);
      const upper = c >= 65 && c <= 90;
      if (upper || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95) {
        if (start < 0) {
          start = i;
          a = 0x811c9dc5;
          b = 0x2c1b3c6d;
        }
        if (upper) c |= 0x20;
        a = Math.imul(a ^ c, 0x01000193);
        b = Math.imul(b ^ c, 0x5bd1e995);
      } else if (start >= 0) {
        found.push(this.#slot(mix(a), (mix(b ^ (i - start)) | 1) >>> 0, s, start, i));
        start = -1;
      }
    }
    if (start >= 0) found.push(this.#slot(mix(a), (mix(b ^ (n - start)) | 1) >>> 0, s, start, n));
    return found;
  }

  /** {@link #tokenize} for any text: the tokens found so far are found again, in order. */
  #tokenizeSpans(s: string): number[] {
    this.#found.length = 0;
    this.#s = s;
    forEachTokenSpan(s, this.#onSpan);
    return this.#found;
  }

  #hold(slot: number, doc: number): void {
    const last = this.#last[slot]!;
    if (last === doc) return;
    this.#last[slot] = doc;
    const page = Math.floor(doc / this.#pageDocs);
    if (this.#lastPage[slot] !== page) {
      this.#lastPage[slot] = page;
      (this.#pageKeys[page] ??= []).push(this.#slots[2 * slot]!, this.#slots[2 * slot + 1]!);
    }
    this.#holders[slot]!++;
    let n = this.#logLength;
    if (n + 2 > this.#log.length) {
      const log = new Int32Array(this.#log.length * 2);
      log.set(this.#log);
      this.#log = log;
    }
    this.#log[n++] = slot;
    this.#log[n++] = doc;
    this.#logLength = n;
  }

  /** The slot of the token hashed (h1, h2), added if new. */
  #slot(h1: number, h2: number, s: string, start: number, end: number): number {
    if ((this.#count + 1) * 2 > this.#slots.length / 2) this.#grow();
    const slots = this.#slots;
    const mask = slots.length / 2 - 1;
    let i = h1 & mask;
    for (; slots[2 * i + 1] !== 0; i = (i + 1) & mask) {
      if (slots[2 * i + 1] === h2 && slots[2 * i] === h1) return i;
    }
    slots[2 * i] = h1;
    slots[2 * i + 1] = h2;
    this.#text[i] = s;
    this.#start[i] = start;
    this.#end[i] = end;
    this.#count++;
    return i;
  }

  #grow(): void {
    const old = this.#slots;
    const n = old.length;
    const slots = new Uint32Array(n * 2);
    const last = new Int32Array(n).fill(-1);
    const lastPage = new Int32Array(n).fill(-1);
    const text = new Array<string>(n);
    const start = new Int32Array(n);
    const end = new Int32Array(n);
    const holders = new Int32Array(n);
    const mask = n - 1;
    const moved = new Int32Array(n / 2);
    for (let k = 0; k < n / 2; k++) {
      if (old[2 * k + 1] === 0) continue;
      let i = old[2 * k]! & mask;
      while (slots[2 * i + 1] !== 0) i = (i + 1) & mask;
      slots[2 * i] = old[2 * k]!;
      slots[2 * i + 1] = old[2 * k + 1]!;
      last[i] = this.#last[k]!;
      lastPage[i] = this.#lastPage[k]!;
      text[i] = this.#text[k]!;
      start[i] = this.#start[k]!;
      end[i] = this.#end[k]!;
      holders[i] = this.#holders[k]!;
      moved[k] = i;
    }
    const log = this.#log;
    for (let k = 0; k < this.#logLength; k += 2) log[k] = moved[log[k]!]!;
    const pool = this.#pool;
    for (let at = 0; at < this.#poolLength; at += 1 + pool[at]!) {
      for (let j = at + 1; j <= at + pool[at]!; j++) pool[j] = moved[pool[j]!]!;
    }
    // A value being tokenized keeps the slots of its tokens so far.
    const found = this.#found;
    for (let j = 0; j < found.length; j++) found[j] = moved[found[j]!]!;
    this.#slots = slots;
    this.#last = last;
    this.#lastPage = lastPage;
    this.#text = text;
    this.#start = start;
    this.#end = end;
    this.#holders = holders;
  }
}

/**
 * The section bytes for `frequent` (token, its documents in order) in a block of `length`:
 * the tokens with the number of their payload, then the distinct payloads. Tokens of one log
 * template hold the same documents, so a third of the payloads are repeats on the benchmark's
 * lines; stored once each, the section is small enough to keep uncompressed, and a lookup
 * decompresses nothing.
 */
function encodeFrequent(length: number, frequent: [string, number[]][]): Buffer {
  frequent.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const payloads = new Map<string, number>();
  const table = new ByteWriter();
  const refs: number[] = [];
  const payload = new ByteWriter();
  for (const [, docs] of frequent) {
    payload.reset();
    encodeDocs(payload, length, docs);
    const bytes = payload.bytes();
    const key = bytes.toString('latin1');
    let ref = payloads.get(key);
    if (ref === undefined) {
      payloads.set(key, (ref = payloads.size));
      table.raw(bytes);
    }
    refs.push(ref);
  }
  const w = new ByteWriter();
  w.uvarint(length);
  w.uvarint(frequent.length);
  w.uvarint(payloads.size);
  for (let k = 0; k < frequent.length; k++) {
    w.string(frequent[k]![0]);
    w.uvarint(refs[k]!);
  }
  w.raw(table.bytes());
  return Buffer.from(w.bytes());
}

/** One payload: kind byte, byte length, then a bitmap or the gaps between the documents. */
function encodeDocs(w: ByteWriter, length: number, docs: readonly number[]): void {
  const bitmapBytes = (length + 7) >> 3;
  let deltaBytes = uvarintSize(docs.length);
  let prev = -1;
  for (const d of docs) {
    deltaBytes += uvarintSize(d - prev - 1);
    prev = d;
  }
  if (deltaBytes < bitmapBytes) {
    w.u8(KIND_DELTAS);
    w.uvarint(deltaBytes);
    w.uvarint(docs.length);
    prev = -1;
    for (const d of docs) {
      w.uvarint(d - prev - 1);
      prev = d;
    }
  } else {
    w.u8(KIND_BITMAP);
    w.uvarint(bitmapBytes);
    const bitmap = new Uint8Array(bitmapBytes);
    for (const d of docs) bitmap[d >> 3]! |= 1 << (d & 7);
    w.raw(bitmap);
  }
}

/**
 * A section as read. Version 2 sections (uncompressed: tokens, then deduplicated payloads) and
 * version 1 sections (decompressed by the caller: each token followed by its own payload) are
 * both looked up by walking the entries and comparing bytes, which for the few dozen tokens of a
 * block costs less than decoding them into a map (a search over a day's blocks reads thousands
 * of sections).
 *
 * @example
 * const f = new FrequentTokens(bytes, block.length, 2);
 * f.mark('error', rows); // false when `error` is not frequent in the block
 */
export class FrequentTokens {
  readonly #buf: Buffer;
  readonly #length: number;
  readonly #version: 1 | 2;
  /** Where the entries start, and (version 2) the payloads. */
  readonly #entriesAt: number;
  readonly #payloadsAt: number;
  readonly #tokens: number;

  /** @throws {Error} when the section is not for `length` documents or is cut short. */
  constructor(buf: Buffer, length: number, version: 1 | 2) {
    this.#buf = buf;
    this.#length = length;
    this.#version = version;
    const cur: Cursor = { off: 0 };
    const n = getUvarint(buf, cur);
    if (n !== length) {
      throw new Error(
        `cannot read frequent tokens: section is for ${n} documents, block has ${length}`,
      );
    }
    this.#tokens = getUvarint(buf, cur);
    if (version === 2) getUvarint(buf, cur);
    this.#entriesAt = cur.off;
    if (version === 2) {
      for (let i = 0; i < this.#tokens; i++) {
        const len = getUvarint(buf, cur);
        cur.off += len;
        getUvarint(buf, cur);
      }
    }
    this.#payloadsAt = cur.off;
    if (cur.off > buf.length) {
      throw new Error(`cannot read frequent tokens: section of ${buf.length} bytes cut short`);
    }
  }

  /** The last token looked up and its {@link #find} answer: `hasAll` then `mark` ask twice. */
  #lastToken: string | undefined;
  #lastAt = -1;

  /** Offset of `token`'s payload kind byte, or -1 when the token is not frequent in the block. */
  #find(t: string): number {
    if (t === this.#lastToken) return this.#lastAt;
    const at = this.#walk(Buffer.from(t));
    this.#lastToken = t;
    this.#lastAt = at;
    return at;
  }

  #walk(token: Buffer): number {
    const buf = this.#buf;
    const first = token[0];
    const cur: Cursor = { off: this.#entriesAt };
    for (let i = 0; i < this.#tokens; i++) {
      const len = getUvarint(buf, cur);
      const at = cur.off;
      // The first byte before the native compare: most entries differ there.
      const same =
        len === token.length && buf[at] === first && buf.compare(token, 0, len, at, at + len) === 0;
      cur.off += len;
      if (this.#version === 1) {
        if (same) return cur.off;
        cur.off += 1;
        const payload = getUvarint(buf, cur);
        cur.off += payload;
        continue;
      }
      const ref = getUvarint(buf, cur);
      if (!same) continue;
      cur.off = this.#payloadsAt;
      for (let k = 0; k < ref; k++) {
        cur.off += 1;
        const payload = getUvarint(buf, cur);
        cur.off += payload;
      }
      return cur.off;
    }
    return -1;
  }

  /** True when every one of `tokens` is frequent in the block. */
  hasAll(tokens: readonly string[]): boolean {
    return tokens.every((t) => this.#find(t) >= 0);
  }

  /**
   * Sets `rows[d] = 1` for every document `d` holding `token`, and returns true; returns false,
   * marking nothing, when `token` is not frequent in the block.
   */
  mark(token: string, rows: Uint8Array): boolean {
    const buf = this.#buf;
    const at = this.#find(token);
    if (at < 0) return false;
    const cur: Cursor = { off: at + 1 };
    getUvarint(buf, cur);
    if (buf[at] === KIND_BITMAP) {
      const base = cur.off;
      const n = this.#length;
      // A byte at a time: a zero byte (eight documents without the token) is skipped.
      for (let k = 0; k << 3 < n; k++) {
        const byte = buf[base + k]!;
        if (byte === 0) continue;
        const d0 = k << 3;
        for (let j = 0; j < 8 && d0 + j < n; j++) if ((byte & (1 << j)) !== 0) rows[d0 + j] = 1;
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
