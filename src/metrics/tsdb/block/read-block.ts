/**
 * @module
 * Opens a block directory: meta.json, chunk segments, index and tombstones, each validated as it
 * is opened (headers, tables of contents, checksums of the in-memory index tables). Any failure
 * becomes a {@link BlockCorruptError} naming the block directory, with the underlying error as
 * its cause, so the caller can log it, skip the block and serve the rest. Problems that only show
 * when a chunk or series is read later surface as the readers' own errors
 * (ChunkCorruptError, IndexCorruptError), whose file paths lie inside the block directory.
 */

import { join } from 'node:path';
import { ChunkReader } from '../chunks/chunk-reader.js';
import { IndexReader } from '../index/index-reader.js';
import { BlockCorruptError } from './errors.js';
import { type BlockMeta, readMeta } from './meta.js';
import { readTombstones, type Tombstones } from './tombstones.js';
import { CHUNKS_DIRNAME, INDEX_FILENAME } from './write-block.js';

/** An open, read-only block. Its readers must not be used after close(). */
export class Block {
  readonly #dir: string;
  readonly #meta: BlockMeta;
  readonly #index: IndexReader;
  readonly #chunks: ChunkReader;
  readonly #tombstones: Tombstones;
  #closed = false;

  private constructor(
    dir: string,
    meta: BlockMeta,
    index: IndexReader,
    chunks: ChunkReader,
    tombstones: Tombstones,
  ) {
    this.#dir = dir;
    this.#meta = meta;
    this.#index = index;
    this.#chunks = chunks;
    this.#tombstones = tombstones;
  }

  /**
   * Opens the block in `dir`.
   *
   * @throws {BlockCorruptError} when any part is missing or malformed.
   * @example
   * const b = Block.open('/data/01HQ3K8Z9R6W0V3T2N5M4B7C1D');
   * for (const ref of b.index.allPostings()) b.index.series(ref);
   * b.close();
   */
  static open(dir: string): Block {
    const opened: { close(): void }[] = [];
    try {
      const meta = readMeta(dir);
      const chunks = ChunkReader.open(join(dir, CHUNKS_DIRNAME));
      opened.push(chunks);
      const index = IndexReader.open(join(dir, INDEX_FILENAME));
      opened.push(index);
      return new Block(dir, meta, index, chunks, readTombstones(dir));
    } catch (err) {
      for (const r of opened) r.close();
      if (err instanceof BlockCorruptError) throw err;
      throw new BlockCorruptError(dir, (err as Error).message, { cause: err });
    }
  }

  get dir(): string {
    return this.#dir;
  }

  get meta(): BlockMeta {
    return this.#meta;
  }

  get index(): IndexReader {
    return this.#index;
  }

  get chunks(): ChunkReader {
    return this.#chunks;
  }

  get tombstones(): Tombstones {
    return this.#tombstones;
  }

  /** Closes the index and chunk files; idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#index.close();
    this.#chunks.close();
  }
}

/**
 * Opens the block in `dir`; see {@link Block.open}.
 *
 * @example
 * let block: Block | undefined;
 * try { block = openBlock(dir); } catch (err) { if (err instanceof BlockCorruptError) log.warn(err.message); else throw err; }
 */
export function openBlock(dir: string): Block {
  return Block.open(dir);
}
