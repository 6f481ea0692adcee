/**
 * @module
 * What every chunk encoding shares: the head's chunk size policy and the error a decoder reports
 * when a chunk's bytes are truncated or corrupt.
 */

/**
 * Samples after which the head cuts a new chunk. The Gorilla paper found compression stops
 * improving at about 120 samples per block (≈1.37 bytes/sample), and Prometheus' head cuts its
 * chunks at the same count, so our blocks have Prometheus' chunk sizes. Prometheus also cuts
 * earlier at a time boundary so chunks do not straddle blocks; the head handles that.
 *
 * @example
 * if (chunk.numSamples >= MAX_SAMPLES_PER_CHUNK) chunk = cutNewChunk();
 */
export const MAX_SAMPLES_PER_CHUNK = 120;

/** A chunk's bytes end early or hold an impossible field; iteration stops at this sample. */
export class ChunkDecodeError extends Error {
  /**
   * @param encoding the chunk encoding's name, e.g. `XOR`.
   * @param offset byte offset in the chunk (header included) where the bad sample starts.
   * @param sample index of the sample that could not be decoded.
   * @example
   * new ChunkDecodeError('XOR', 17, 5, 'unexpected end of data');
   * // cannot decode XOR chunk sample 5 at byte offset 17: unexpected end of data
   */
  constructor(
    readonly encoding: string,
    readonly offset: number,
    readonly sample: number,
    reason: string,
  ) {
    super(`cannot decode ${encoding} chunk sample ${sample} at byte offset ${offset}: ${reason}`);
    this.name = 'ChunkDecodeError';
  }
}
