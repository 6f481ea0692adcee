/**
 * @module
 * A block's meta.json: its id, time range, statistics and compaction history, in the JSON shape
 * Prometheus reads and writes (tab-indented, format version 1). Reading validates the fields the
 * TSDB relies on and keeps any others (Thanos adds a "thanos" section) so that a rewrite does not
 * drop them. Writing goes through a temporary file, fsync and rename, so a crash leaves either the
 * old file or the new one.
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../../lib/fs/fsync.js';
import { BlockCorruptError } from './errors.js';
import { isUlid } from './ulid.js';

export const META_FILENAME = 'meta.json';
export const META_VERSION_1 = 1;

/** A block by id and time range, as listed in a compacted block's parents. */
export interface BlockDesc {
  ulid: string;
  minTime: number;
  maxTime: number;
}

export interface BlockStats {
  numSamples: number;
  numSeries: number;
  numChunks: number;
  numTombstones?: number;
  numFloatSamples?: number;
  numHistogramSamples?: number;
}

export interface BlockCompaction {
  /** 1 for a block cut from the head; each compaction adds one. */
  level: number;
  /** ULIDs of the level-1 blocks whose data this block holds. */
  sources: string[];
  parents?: BlockDesc[];
  deletable?: boolean;
  failed?: boolean;
  hints?: string[];
}

export interface BlockMeta {
  ulid: string;
  /** First timestamp (ms, inclusive) the block may hold. */
  minTime: number;
  /** End of the block's range (ms, exclusive). */
  maxTime: number;
  stats: BlockStats;
  compaction: BlockCompaction;
  version: typeof META_VERSION_1;
}

/**
 * Reads and validates `<dir>/meta.json`. Stats Prometheus omits when zero read as 0; missing
 * sources as [].
 *
 * @throws {BlockCorruptError} when the file is missing, not JSON, or has bad fields.
 * @example
 * const meta = readMeta('/data/01HQ3K8Z9R6W0V3T2N5M4B7C1D');
 * meta.maxTime - meta.minTime; // block length in ms
 */
export function readMeta(dir: string): BlockMeta {
  const path = join(dir, META_FILENAME);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new BlockCorruptError(dir, `cannot read ${META_FILENAME}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  const bad = (what: string) => new BlockCorruptError(dir, `${META_FILENAME}: ${what}`);
  if (!isObject(raw)) throw bad('not a JSON object');
  if (raw.version !== META_VERSION_1) throw bad(`unsupported version ${String(raw.version)}`);
  if (typeof raw.ulid !== 'string' || !isUlid(raw.ulid)) throw bad('ulid is not a ULID');
  for (const k of ['minTime', 'maxTime'] as const) {
    if (!Number.isSafeInteger(raw[k])) throw bad(`${k} is not an integer`);
  }
  const stats = raw.stats ?? {};
  if (!isObject(stats)) throw bad('stats is not an object');
  for (const [k, v] of Object.entries(stats)) {
    if (!isCount(v)) throw bad(`stats.${k} is not a count`);
  }
  const compaction = raw.compaction;
  if (!isObject(compaction)) throw bad('compaction is not an object');
  if (!isCount(compaction.level)) throw bad('compaction.level is not a count');
  const sources = compaction.sources ?? [];
  if (!Array.isArray(sources) || !sources.every((s) => typeof s === 'string' && isUlid(s))) {
    throw bad('compaction.sources is not a list of ULIDs');
  }
  return {
    ...raw,
    stats: { numSamples: 0, numSeries: 0, numChunks: 0, ...stats },
    compaction: { ...compaction, sources },
  } as unknown as BlockMeta;
}

/**
 * Writes `<dir>/meta.json` atomically and durably.
 *
 * @example
 * writeMeta(tmpDir, { ulid, minTime, maxTime, stats, compaction: { level: 1, sources: [ulid] }, version: 1 });
 */
export function writeMeta(dir: string, meta: BlockMeta): void {
  writeFileAtomic(dir, META_FILENAME, JSON.stringify(meta, null, '\t'));
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isCount(v: unknown): boolean {
  return Number.isSafeInteger(v) && (v as number) >= 0;
}
