/**
 * @module
 * Errors of the chunk segment reader and writer. A corrupt segment names the file and the byte
 * offset where reading went wrong, so an operator can inspect it and the block layer can report
 * which block to skip.
 */

/** A segment file that does not hold what the format says (bad header, length, checksum). */
export class ChunkCorruptError extends Error {
  constructor(
    readonly file: string,
    readonly offset: number,
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(`cannot read chunk segment ${file} at offset ${offset}: ${reason}`, options);
    this.name = 'ChunkCorruptError';
  }
}

/** A chunk the writer refuses (too large to frame) or a writer used after close. */
export class ChunkWriteError extends Error {
  constructor(
    readonly dir: string,
    readonly reason: string,
  ) {
    super(`cannot write chunk to ${dir}: ${reason}`);
    this.name = 'ChunkWriteError';
  }
}
