/**
 * @module
 * The decoded symbol table of an index: the section body held in memory with the offset of
 * every entry, so a lookup by symbol reference is one varint and one string decode. Prometheus
 * keeps every 32nd offset and walks from there; a full Uint32Array costs 4 bytes per symbol —
 * a fraction of the strings themselves — and makes lookups constant time.
 */

import { getUvarint, VarintError } from '../../../lib/encoding/varint.js';
import { IndexCorruptError } from './errors.js';

export class SymbolTable {
  readonly #body: Buffer;
  readonly #offsets: Uint32Array;

  private constructor(body: Buffer, offsets: Uint32Array) {
    this.#body = body;
    this.#offsets = offsets;
  }

  /**
   * Parses a symbol section body (count and entries, without length and CRC) that starts at
   * file offset `base` + 4 of `file`; errors report file offsets.
   *
   * @example
   * const symbols = SymbolTable.parse(body, 'index', toc.symbols);
   * symbols.lookup(0);
   */
  static parse(body: Buffer, file: string, base: number): SymbolTable {
    const at = (off: number) => base + 4 + off;
    if (body.length < 4) throw new IndexCorruptError(file, at(0), 'symbol table has no count');
    const count = body.readUInt32BE(0);
    // Every entry takes at least its one-byte length, which bounds a corrupt count.
    if (count > body.length - 4) {
      throw new IndexCorruptError(file, at(0), `${count} symbols cannot fit ${body.length} bytes`);
    }
    const offsets = new Uint32Array(count);
    const cur = { off: 4 };
    for (let i = 0; i < count; i++) {
      offsets[i] = cur.off;
      let len: number;
      try {
        len = getUvarint(body, cur);
      } catch (err) {
        if (!(err instanceof VarintError)) throw err;
        throw new IndexCorruptError(file, at(cur.off), `symbol ${i} has a bad length`, {
          cause: err,
        });
      }
      if (cur.off + len > body.length) {
        throw new IndexCorruptError(file, at(offsets[i]!), `symbol ${i} runs past the table`);
      }
      cur.off += len;
    }
    return new SymbolTable(body, offsets);
  }

  get count(): number {
    return this.#offsets.length;
  }

  /** The symbol with reference `i`, or undefined when there is none. */
  lookup(i: number): string | undefined {
    const off = this.#offsets[i];
    if (off === undefined) return undefined;
    const cur = { off };
    const len = getUvarint(this.#body, cur);
    return this.#body.toString('utf8', cur.off, cur.off + len);
  }

  /** The symbols in table order (UTF-8 byte order). */
  *[Symbol.iterator](): IterableIterator<string> {
    for (let i = 0; i < this.#offsets.length; i++) yield this.lookup(i)!;
  }
}
