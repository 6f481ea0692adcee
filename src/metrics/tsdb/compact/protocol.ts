/**
 * @module
 * The messages between the TSDB and its compaction worker. The main thread posts one
 * {@link JobRequest} at a time and the worker answers it with one {@link JobReply} carrying the
 * same id. Jobs carry paths and ULIDs, never open files: the worker opens the blocks it reads
 * itself, and writes into `dir` under the ULID the main thread chose (so ULIDs stay monotonic
 * across threads, and the main thread knows what to clean up if the worker dies).
 */

import type { BlockMeta } from '../block/meta.js';
import type { HeadSnapshot } from './head-to-block.js';

/** Write a head range, snapshotted by the main thread, as a level-1 block. */
export interface PersistHeadJob {
  kind: 'persist-head';
  dir: string;
  ulid: string;
  snapshot: HeadSnapshot;
}

/** Merge the blocks in `parents` (directories, sorted by minTime) into one. */
export interface MergeBlocksJob {
  kind: 'merge-blocks';
  dir: string;
  ulid: string;
  parents: string[];
}

export type CompactionJob = PersistHeadJob | MergeBlocksJob;

export interface JobRequest {
  id: number;
  job: CompactionJob;
}

/**
 * An error as it crosses the thread boundary: structured cloning keeps only the built-in error
 * classes, so ours travel as their name, message and stack.
 */
export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
}

/** `meta` is null when a merge left no samples (and so wrote no block). */
export type JobReply =
  | { id: number; ok: true; meta: BlockMeta | null }
  | { id: number; ok: false; error: SerializedError };

/**
 * Flattens an error for a {@link JobReply}.
 *
 * @example
 * port.postMessage({ id, ok: false, error: serializeError(err) });
 */
export function serializeError(err: unknown): SerializedError {
  if (err instanceof Error) return { name: err.name, message: err.message, stack: err.stack };
  return { name: 'Error', message: String(err) };
}

/**
 * Rebuilds an error from a {@link JobReply}, keeping the worker's name and stack.
 *
 * @example
 * throw new CompactionError(ulid, source, e.message, { cause: deserializeError(e) });
 */
export function deserializeError(e: SerializedError): Error {
  const err = new Error(e.message);
  err.name = e.name;
  if (e.stack !== undefined) err.stack = e.stack;
  return err;
}
