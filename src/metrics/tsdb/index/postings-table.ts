/**
 * @module
 * The decoded postings offset table: for each label pair, where its postings list starts.
 * Entries are grouped by name and sorted by value in UTF-8 byte order. The section body stays in
 * memory as bytes; per name we keep where its entries start and every 32nd value, so a lookup is a
 * binary search over the samples plus a scan of at most 32 entries, and no string is built for a
 * value nobody asked for. Parsing checks every entry once, including the order that lookups rely
 * on.
 */

import { getUvarint, VarintError } from '../../../lib/encoding/varint.js';
import { IndexCorruptError } from './errors.js';

/** One sampled value per this many entries: Prometheus' choice, scans stay short. */
const SAMPLE_EVERY = 32;

interface NameGroup {
  /** Position in the body of the group's first entry. */
  first: number;
  count: number;
  /** Values of entries 0, 32, 64, … of the group, and where each entry starts. */
  sampleValues: Buffer[];
  samplePos: number[];
}

/** A decoded entry; one instance is reused across a scan. */
class Entry {
  nameStart = 0;
  nameEnd = 0;
  valueStart = 0;
  valueEnd = 0;
  offset = 0;
  next = 0;

  /** Decodes the entry at `pos`; throws VarintError or RangeError on malformed bytes. */
  decode(body: Buffer, pos: number): void {
    const cur = { off: pos };
    const keys = getUvarint(body, cur);
    if (keys !== 2) throw new RangeError(`entry has ${keys} keys, want 2`);
    const nameLen = getUvarint(body, cur);
    this.nameStart = cur.off;
    this.nameEnd = cur.off += nameLen;
    const valueLen = getUvarint(body, cur);
    this.valueStart = cur.off;
    this.valueEnd = cur.off += valueLen;
    // A length running past the table makes the next varint read fail, so no check is needed.
    this.offset = getUvarint(body, cur);
    this.next = cur.off;
  }
}

export class PostingsTable {
  readonly #body: Buffer;
  readonly #groups: Map<string, NameGroup>;
  readonly #entry = new Entry();

  private constructor(body: Buffer, groups: Map<string, NameGroup>) {
    this.#body = body;
    this.#groups = groups;
  }

  /**
   * Parses a postings offset table body (count and entries, without length and CRC) read from
   * file offset `base` + 4; postings offsets must lie below `limit` (the table's own offset).
   *
   * @example
   * const table = PostingsTable.parse(body, 'index', toc.postingsTable, toc.postingsTable);
   * table.offset('job', 'node');
   */
  static parse(body: Buffer, file: string, base: number, limit: number): PostingsTable {
    const at = (off: number) => base + 4 + off;
    if (body.length < 4) throw new IndexCorruptError(file, at(0), 'postings table has no count');
    const count = body.readUInt32BE(0);
    const groups = new Map<string, NameGroup>();
    const e = new Entry();
    let group: NameGroup | undefined;
    let prevName: Buffer | undefined;
    let prevValue: Buffer | undefined;
    let pos = 4;
    for (let i = 0; i < count; i++) {
      const fail = (reason: string, cause?: unknown) =>
        new IndexCorruptError(file, at(pos), `postings table entry ${i}: ${reason}`, { cause });
      try {
        e.decode(body, pos);
      } catch (err) {
        if (err instanceof VarintError) throw fail('truncated', err);
        if (err instanceof RangeError) throw fail(err.message, err);
        throw err;
      }
      const name = body.subarray(e.nameStart, e.nameEnd);
      const value = body.subarray(e.valueStart, e.valueEnd);
      if (e.offset >= limit) throw fail(`postings offset ${e.offset} is past the postings`);
      const byName = prevName === undefined ? 1 : Buffer.compare(name, prevName);
      if (byName < 0) throw fail('label names out of order');
      if (byName > 0) {
        group = { first: pos, count: 0, sampleValues: [], samplePos: [] };
        groups.set(name.toString('utf8'), group);
      } else if (Buffer.compare(value, prevValue!) <= 0) {
        throw fail('label values out of order');
      }
      if (group!.count % SAMPLE_EVERY === 0) {
        group!.sampleValues.push(value);
        group!.samplePos.push(pos);
      }
      group!.count++;
      prevName = name;
      prevValue = value;
      pos = e.next;
    }
    if (pos !== body.length) {
      throw new IndexCorruptError(
        file,
        at(pos),
        `${body.length - pos} bytes after ${count} entries`,
      );
    }
    return new PostingsTable(body, groups);
  }

  /** Every label name with entries, '' (the all-postings key) included, in byte order. */
  names(): string[] {
    return [...this.#groups.keys()];
  }

  /** The values of `name` in byte order; empty for an unknown name. */
  values(name: string): string[] {
    const g = this.#groups.get(name);
    if (g === undefined) return [];
    const out: string[] = [];
    const e = this.#entry;
    let pos = g.first;
    for (let i = 0; i < g.count; i++) {
      e.decode(this.#body, pos);
      out.push(this.#body.toString('utf8', e.valueStart, e.valueEnd));
      pos = e.next;
    }
    return out;
  }

  /** The file offset of the postings list of `name`=`value`, or undefined when absent. */
  offset(name: string, value: string): number | undefined {
    const g = this.#groups.get(name);
    if (g === undefined) return undefined;
    const want = Buffer.from(value, 'utf8');
    // The last sample whose value is ≤ want.
    let lo = 0;
    let hi = g.sampleValues.length - 1;
    let s = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (Buffer.compare(g.sampleValues[mid]!, want) <= 0) {
        s = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    if (s < 0) return undefined;
    const e = this.#entry;
    let pos = g.samplePos[s]!;
    const end = Math.min(g.count, (s + 1) * SAMPLE_EVERY);
    for (let i = s * SAMPLE_EVERY; i < end; i++) {
      e.decode(this.#body, pos);
      const c = Buffer.compare(this.#body.subarray(e.valueStart, e.valueEnd), want);
      if (c === 0) return e.offset;
      if (c > 0) return undefined;
      pos = e.next;
    }
    return undefined;
  }
}
