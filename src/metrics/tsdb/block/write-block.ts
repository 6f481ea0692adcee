/**
 * @module
 * Writes a block directory that Prometheus and promtool can read: chunk segments, index,
 * tombstones and meta.json. Everything goes into `<ulid>.tmp-for-creation/`, which is fsynced
 * and then renamed to `<ulid>/` — the directory name Prometheus ignores on startup and deletes —
 * so a crash never leaves a half-written block that looks complete.
 *
 * The input is consumed in one pass: chunk data is written to the segments as it arrives and
 * dropped, and what is kept per series (labels and chunk metas) is what the index writer needs
 * after the symbol table, which must come first and can only be known once every series was
 * seen. I/O is synchronous; big blocks belong in a worker thread.
 */

import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Labels } from '../../model/labels.js';
import { ChunkWriter } from '../chunks/chunk-writer.js';
import type { ChunkMeta } from '../chunks/format.js';
import { fsyncPath } from '../../../lib/fs/fsync.js';
import { IndexWriter } from '../index/index-writer.js';
import { compareUtf8 } from '../../../lib/strings/utf8-order.js';
import { BlockWriteError } from './errors.js';
import { type BlockCompaction, type BlockMeta, META_VERSION_1, writeMeta } from './meta.js';
import { writeTombstones } from './tombstones.js';
import { isUlid, newUlid } from './ulid.js';

/** Suffix of a block directory being written; Prometheus removes such leftovers on startup. */
export const TMP_FOR_CREATION_SUFFIX = '.tmp-for-creation';
export const INDEX_FILENAME = 'index';
export const CHUNKS_DIRNAME = 'chunks';

/** A chunk as it goes to disk: time range (ms, inclusive), encoding byte and encoded data. */
export interface BlockChunk {
  mint: number;
  maxt: number;
  encoding: number;
  data: Uint8Array;
}

export interface BlockSeries {
  labels: Labels;
  /** In time order, not overlapping. */
  chunks: readonly BlockChunk[];
}

export interface BlockInput {
  /** Start of the block's range, ms inclusive. */
  minTime: number;
  /** End of the block's range, ms exclusive: every chunk's maxt must be below it. */
  maxTime: number;
  /** Series in `Labels.compare` order (UTF-8 byte order of names, then values). */
  series: Iterable<BlockSeries>;
}

export interface WriteBlockOptions {
  /** The block's id; a new ULID by default. */
  ulid?: string;
  /** Compaction history; level 1 with sources [ulid] by default (a block cut from the head). */
  compaction?: Partial<BlockCompaction>;
  /** Chunk segment size limit in bytes (512 MiB by default). */
  segmentSize?: number;
}

/** What is kept per series between writing its chunks and writing the index. */
interface PendingSeries {
  labels: Labels;
  metas: ChunkMeta[];
}

/**
 * Writes the block into `parentDir` and returns its ULID. Series without chunks are dropped, as
 * Prometheus' compactor drops them. numSamples is the sum of the chunks' sample counts — the
 * big-endian uint16 every Prometheus chunk encoding starts with.
 *
 * @throws {BlockWriteError} for unsorted series, chunks outside [minTime, maxTime) or bad options;
 * the temporary directory is removed.
 * @example
 * const ulid = writeBlock('/data', {
 *   minTime: 0,
 *   maxTime: 7_200_000,
 *   series: [{ labels: Labels.fromRecord({ __name__: 'up' }), chunks: [{ mint: 0, maxt: 60_000, encoding: ENCODING_XOR, data }] }],
 * });
 */
export function writeBlock(
  parentDir: string,
  input: BlockInput,
  options: WriteBlockOptions = {},
): string {
  const ulid = options.ulid ?? newUlid();
  const tmp = join(parentDir, ulid + TMP_FOR_CREATION_SUFFIX);
  const fail = (reason: string) => new BlockWriteError(tmp, reason);
  if (!isUlid(ulid)) throw fail(`${JSON.stringify(ulid)} is not a ULID`);
  const { minTime, maxTime } = input;
  if (!Number.isSafeInteger(minTime) || !Number.isSafeInteger(maxTime) || maxTime < minTime) {
    throw fail(`bad time range [${minTime}, ${maxTime})`);
  }

  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  let chunkWriter: ChunkWriter | undefined;
  let indexWriter: IndexWriter | undefined;
  try {
    chunkWriter = new ChunkWriter(join(tmp, CHUNKS_DIRNAME), { segmentSize: options.segmentSize });
    const symbols = new Set<string>();
    const pending: PendingSeries[] = [];
    const stats = { numSamples: 0, numSeries: 0, numChunks: 0 };
    let last: Labels | undefined;
    for (const s of input.series) {
      if (last !== undefined && last.compare(s.labels) >= 0) {
        throw fail(`series ${s.labels.toString()} is not after ${last.toString()}`);
      }
      last = s.labels;
      if (s.chunks.length === 0) continue;
      const metas: ChunkMeta[] = [];
      for (const c of s.chunks) {
        if (c.mint < minTime || c.maxt >= maxTime) {
          throw fail(
            `chunk [${c.mint}, ${c.maxt}] of ${s.labels.toString()} is outside [${minTime}, ${maxTime})`,
          );
        }
        metas.push({ mint: c.mint, maxt: c.maxt, ref: chunkWriter.write(c.encoding, c.data) });
        stats.numSamples += c.data.length >= 2 ? (c.data[0]! << 8) | c.data[1]! : 0;
      }
      s.labels.forEach((name, value) => {
        symbols.add(name);
        symbols.add(value);
      });
      pending.push({ labels: s.labels, metas });
      stats.numSeries++;
      stats.numChunks += metas.length;
    }
    chunkWriter.close();

    indexWriter = new IndexWriter(join(tmp, INDEX_FILENAME));
    indexWriter.addSymbols([...symbols].sort(compareUtf8));
    for (const p of pending) indexWriter.addSeries(p.labels, p.metas);
    indexWriter.close();

    writeTombstones(tmp);
    const compaction: BlockCompaction = { level: 1, sources: [ulid], ...options.compaction };
    const meta: BlockMeta = { ulid, minTime, maxTime, stats, compaction, version: META_VERSION_1 };
    writeMeta(tmp, meta);
    fsyncPath(tmp);
  } catch (err) {
    chunkWriter?.abort();
    indexWriter?.abort();
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
  const dir = join(parentDir, ulid);
  renameSync(tmp, dir);
  fsyncPath(parentDir);
  return ulid;
}
