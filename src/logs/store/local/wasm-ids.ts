/**
 * @module
 * A part's document ids in its ingest core (`wasm/ids.ts`): row `r`'s id as UTF-8 bytes, added
 * with the row's text from the WAL record's bytes (`WasmPart.scanSpans`) or here, and read by
 * the flush as the block's id column and the ids' hashes, with no string per id.
 */

import { type CoreExports, outputBytes, putUtf8, utf8At } from './wasm-core.js';

export class CoreIds {
  readonly #x: CoreExports;

  /** @example const ids = new CoreIds(instantiateCore()); */
  constructor(x: CoreExports) {
    this.#x = x;
  }

  /** Rows with an id: ids are added in row order, one a row. */
  get count(): number {
    return this.#x.idCount();
  }

  /** Adds `id` as row `row`'s id. */
  add(row: number, id: string): void {
    this.#x.addIdBytes(row, putUtf8(this.#x, id));
  }

  /** Row `row`'s id. */
  get(row: number): string {
    const x = this.#x;
    const at = x.idAt(row);
    return utf8At(x, at, x.entryStringLength());
  }

  /** The id column of rows `[rowStart, rowEnd)`, as `column.ts`'s `encodeColumn` writes it (a copy). */
  encode(rowStart: number, rowEnd: number): Buffer {
    return outputBytes(this.#x, this.#x.encodeIds(rowStart, rowEnd));
  }

  /**
   * `bloom.ts`'s `hashKey` of the ids of rows `[rowStart, rowEnd)`, two u32 a row (a copy);
   * undefined when one is past ASCII, whose hash the core leaves to `hashKey`.
   */
  hashes(rowStart: number, rowEnd: number): Uint32Array | undefined {
    const x = this.#x;
    if (x.hashIds(rowStart, rowEnd) === 0) return undefined;
    return new Uint32Array(x.memory.buffer, x.idHashes(), 2 * (rowEnd - rowStart)).slice();
  }
}
