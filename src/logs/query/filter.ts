/**
 * @module
 * How a {@link Query} is evaluated: compiled once into a {@link Filter}, applied to blocks of
 * documents that the store exposes column by column ({@link Columns}). A filter reads only the
 * columns it names, and a column can offer its distinct values, so a filter on a field with 20
 * namespaces over 8 000 documents tests 20 strings, not 8 000 (the approach of VictoriaLogs'
 * column blocks). The store's index only narrows which blocks and documents reach the filter;
 * the filter decides.
 */

import type { FieldValue } from '../model/fields.js';

/** One field's values in a block of documents. */
export interface Column {
  /** The values of document `i`, in document order (several for an array; none: empty). */
  values(i: number): readonly FieldValue[];
  /**
   * When the column is dictionary-encoded: its distinct values, and per document the indexes
   * into them (`-1`: no value). Filters use it to test each distinct value once. Absent for
   * documents with several values for this field and for high-cardinality columns.
   */
  readonly dict?: {
    readonly values: readonly FieldValue[];
    readonly codes: Int32Array;
    /**
     * The same codes as stored, when the column has them so: per document its code plus one
     * (0: no value) in a byte. Loops over every document read these instead of {@link codes}.
     */
    readonly codeBytes?: Uint8Array;
    /**
     * The codes as stored bit-packed, when the column has them so at 1 to 4 bits: document
     * `i`'s code plus one is `base` plus the `width`-bit value at bit `i·width` of `bytes` read
     * from `off` as one little-endian bit stream. A loop over every document reads these where
     * it can, without {@link codeBytes} being unpacked first.
     */
    readonly packed?: PackedCodes;
  };
  /**
   * Sets `rows[i] = 1` for every document that may have a string value with one of `tokens`
   * (lowercase ASCII words, as `model/tokenize.ts` makes them) among its tokens. Returns true
   * when the answer is exact: every document marked has a keyword string (not one read as a date
   * or address) with one of the tokens. Otherwise it is a superset, to be confirmed on
   * {@link values}. Offered by columns that find tokens faster than decoding and tokenizing every
   * value (a segment's stored bytes); absent elsewhere.
   */
  findTokens?(tokens: readonly string[], rows: Uint8Array): boolean;
  /**
   * Whether document `i` has a keyword string holding `phrase` (one or more lowercase ASCII
   * words) in order and adjacent, read from the stored bytes without decoding: `PHRASE_NO`,
   * `PHRASE_YES`, or `PHRASE_MAYBE` when only the decoded values can tell (non-ASCII text
   * around the words, or a string short enough to be a date or an address).
   */
  phraseIn?(i: number, phrase: readonly Uint8Array[]): number;
}

/** A dictionary column's codes bit-packed ({@link Column.dict}). */
export interface PackedCodes {
  readonly bytes: Uint8Array;
  readonly off: number;
  readonly width: 1 | 2 | 3 | 4;
  readonly base: number;
}

export const PHRASE_NO = 0;
export const PHRASE_YES = 1;
export const PHRASE_MAYBE = 2;

/** A block of documents, column by column. Valid only while the store hands it out. */
export interface Columns {
  readonly length: number;
  /** Every path that has a value in at least one document of the block. */
  paths(): readonly string[];
  /** The column of `path`, or undefined when no document of the block has it. */
  column(path: string): Column | undefined;
  /** Document `i` as written; for nested queries, which need the objects themselves. */
  source(i: number): Readonly<Record<string, unknown>>;
}

/** A compiled query. */
export interface Filter {
  /**
   * Clears `bits[i]` (to 0) for each document `i` of `cols` that does not match. Documents whose
   * bit is already 0 may be skipped. `bits.length` equals `cols.length`.
   */
  apply(cols: Columns, bits: Uint8Array): void;
}
