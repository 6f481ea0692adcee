/**
 * @module
 * Errors of the block layer. Whatever goes wrong while opening a block — a missing or malformed
 * meta.json, a corrupt index or chunk segment, a bad tombstones file — surfaces as one
 * {@link BlockCorruptError} naming the block directory, so the caller can skip that block and
 * keep serving the others; the underlying error is its `cause`.
 */

/** A block that cannot be opened or read. */
export class BlockCorruptError extends Error {
  constructor(
    readonly dir: string,
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(`cannot open block ${dir}: ${reason}`, options);
    this.name = 'BlockCorruptError';
  }
}

/** Input writeBlock refuses: unsorted series, chunks outside the block's range, bad options. */
export class BlockWriteError extends Error {
  constructor(
    readonly dir: string,
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(`cannot write block ${dir}: ${reason}`, options);
    this.name = 'BlockWriteError';
  }
}
