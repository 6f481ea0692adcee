/**
 * @module
 * Constants and chunk references of the block chunk segment format (Prometheus TSDB "chunks"
 * files, see docs/format/chunks.md). A chunk reference packs the segment's position in the
 * block's sorted segment list (upper 32 bits) and the chunk's byte offset in that segment (lower
 * 32 bits); as a JS number it is exact while the segment index stays below 2^21, i.e. for any
 * block smaller than a petabyte of 512 MiB segments.
 */

/** First 4 bytes of every segment file. */
export const CHUNKS_MAGIC = 0x85bd40dd;
/** The only segment format version there is. */
export const CHUNKS_FORMAT_V1 = 1;
/** Magic, version and 3 zero bytes that keep the first chunk 8-byte aligned. */
export const SEGMENT_HEADER_SIZE = 8;
/**
 * Prometheus' segment size: large enough that even big blocks have few files (and few open
 * descriptors), small enough that offsets fit the 32-bit half of a reference with room to spare.
 */
export const DEFAULT_SEGMENT_SIZE = 512 * 1024 * 1024;
/** A chunk's data length is a uvarint of at most 5 bytes: chunks stay below 4 GiB. */
export const MAX_CHUNK_LENGTH_FIELD = 5;
/** The CRC-32C that follows each chunk's data. */
export const CHUNK_CRC_SIZE = 4;

/** Where a series' chunk lives and the time range it covers (ms, both inclusive). */
export interface ChunkMeta {
  mint: number;
  maxt: number;
  ref: number;
}

const SEGMENT_SHIFT = 2 ** 32;

/**
 * Packs a segment index (0-based position in the block's segment list) and a byte offset.
 *
 * @example
 * chunkRef(1, 8); // 4294967304: the first chunk of 000002
 */
export function chunkRef(segment: number, offset: number): number {
  return segment * SEGMENT_SHIFT + offset;
}

/**
 * The 0-based segment index of `ref`.
 *
 * @example
 * refSegment(chunkRef(1, 8)); // 1
 */
export function refSegment(ref: number): number {
  return Math.floor(ref / SEGMENT_SHIFT);
}

/**
 * The byte offset of `ref` within its segment.
 *
 * @example
 * refOffset(chunkRef(1, 8)); // 8
 */
export function refOffset(ref: number): number {
  return ref % SEGMENT_SHIFT;
}

/**
 * The file name of the segment at 0-based `index`: files count from 000001.
 *
 * @example
 * segmentFileName(0); // '000001'
 */
export function segmentFileName(index: number): string {
  return String(index + 1).padStart(6, '0');
}
