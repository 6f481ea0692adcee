/**
 * @module
 * Errors of the index reader and writer. A corrupt index names the file and the byte offset of
 * the structure that failed, so that the block layer can say which block to skip and an operator
 * can look at the bytes.
 */

/** An index file that does not hold what the format says. */
export class IndexCorruptError extends Error {
  constructor(
    readonly file: string,
    readonly offset: number,
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(`cannot read index ${file} at offset ${offset}: ${reason}`, options);
    this.name = 'IndexCorruptError';
  }
}

/** Input the index writer refuses: symbols or series out of order, unknown symbols, limits. */
export class IndexWriteError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`cannot write index ${file}: ${reason}`);
    this.name = 'IndexWriteError';
  }
}
