/**
 * @module
 * Constants and the table of contents of the index file format, version 2 (the format
 * Prometheus has written since 2.0; see docs/format/index.md).
 */

export const INDEX_MAGIC = 0xbaaad700;
export const INDEX_VERSION_2 = 2;
/** Magic and version byte. */
export const INDEX_HEADER_SIZE = 5;
/**
 * Series entries start on 16-byte boundaries and are referenced by offset / 16, so 32-bit
 * postings can address a 64 GiB series section.
 */
export const SERIES_ALIGNMENT = 16;
/** Postings lists start on 4-byte boundaries so that their entries are aligned words. */
export const POSTINGS_ALIGNMENT = 4;
/** Six 8-byte section offsets and a CRC-32C. */
export const TOC_SIZE = 6 * 8 + 4;
/** Largest series reference: postings entries are 32-bit. */
export const MAX_SERIES_REF = 2 ** 32 - 1;
/** Largest 4-byte section length. */
export const MAX_SECTION_LENGTH = 2 ** 32 - 1;

/** File offsets of the index sections; 0 marks a section that is absent. */
export interface Toc {
  symbols: number;
  series: number;
  labelIndices: number;
  labelIndicesTable: number;
  postings: number;
  postingsTable: number;
}
