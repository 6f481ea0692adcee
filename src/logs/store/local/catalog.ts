/**
 * @module
 * The catalog: which segment files make up the store, and through which WAL file documents are
 * in segments. It is one small JSON file replaced atomically (temp file, fsync, rename) on every
 * flush, merge and retention drop, so each of those changes the store in one step: after a
 * crash, segment files the catalog does not list (a flush or merge that had not finished) are
 * deleted, and WAL files at or below `flushedWal` are not replayed. Each index's mapping lives
 * beside its partitions in `indices/<index>/mapping.json`, written before the catalog that
 * makes its WAL files droppable.
 */

import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../../lib/fs/fsync.js';
import type { MappingJson } from './mapping.js';

/** One segment file: `indices/<index>/<day>/<name>.seg`. */
export interface SegmentEntry {
  readonly index: string;
  /** The partition: the UTC day of its documents, `YYYY-MM-DD`. */
  readonly day: string;
  readonly name: string;
}

export interface Catalog {
  version: 1;
  /** Every WAL file with a sequence ≤ this is in segments. */
  flushedWal: number;
  /** The number the next merge output is named after. */
  nextMerge: number;
  segments: SegmentEntry[];
}

const FILE = 'catalog.json';

/**
 * Reads the catalog of `dir`, or an empty one for a new store.
 *
 * @example
 * const catalog = readCatalog(dataDir);
 */
export function readCatalog(dir: string): Catalog {
  const path = join(dir, FILE);
  if (!existsSync(path)) return { version: 1, flushedWal: 0, nextMerge: 1, segments: [] };
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Catalog;
  } catch (err) {
    throw new Error(`cannot read log store catalog: ${path}: ${(err as Error).message}`, {
      cause: err,
    });
  }
}

/**
 * Replaces the catalog of `dir` atomically and durably.
 *
 * @example
 * catalog.flushedWal = 12;
 * writeCatalog(dataDir, catalog);
 */
export function writeCatalog(dir: string, catalog: Catalog): void {
  writeFileAtomic(dir, FILE, JSON.stringify(catalog));
}

const DAY_MS = 86_400_000;

/**
 * The number of the UTC day of `ms` (days since the epoch): partitions compare by it.
 *
 * @example
 * dayNumber(Date.UTC(1970, 0, 2, 7)); // 1
 */
export function dayNumber(ms: number): number {
  return Math.floor(ms / DAY_MS);
}

/**
 * The UTC day of `ms`, the partition key.
 *
 * @example
 * dayOf(Date.UTC(2024, 4, 6, 7)); // '2024-05-06'
 */
export function dayOf(ms: number): string {
  return new Date(dayNumber(ms) * DAY_MS).toISOString().slice(0, 10);
}

/**
 * The directory of an index.
 *
 * @example
 * indexDir('/data/logs', 'app'); // '/data/logs/indices/app'
 */
export function indexDir(dir: string, index: string): string {
  return join(dir, 'indices', index);
}

/**
 * The file of a segment.
 *
 * @example
 * segmentPath('/data/logs', { index: 'app', day: '2024-05-06', name: 'w0000000012' });
 * // '/data/logs/indices/app/2024-05-06/w0000000012.seg'
 */
export function segmentPath(dir: string, e: SegmentEntry): string {
  return join(dir, 'indices', e.index, e.day, `${e.name}.seg`);
}

/**
 * Deletes what a crash left behind: segment and temp files the catalog does not list, and
 * partition directories left empty.
 *
 * @example
 * removeOrphans(dataDir, readCatalog(dataDir));
 */
export function removeOrphans(dir: string, catalog: Catalog): void {
  const root = join(dir, 'indices');
  if (!existsSync(root)) return;
  const live = new Set(catalog.segments.map((e) => segmentPath(dir, e)));
  for (const index of readdirSync(root)) {
    const idir = join(root, index);
    for (const day of readdirSync(idir)) {
      const ddir = join(idir, day);
      if (!statSync(ddir).isDirectory()) continue;
      for (const f of readdirSync(ddir)) {
        const p = join(ddir, f);
        if (!live.has(p)) rmSync(p, { force: true });
      }
      if (readdirSync(ddir).length === 0) rmSync(ddir, { recursive: true, force: true });
    }
  }
}

/**
 * Every index's persisted mapping, by index name.
 *
 * @example
 * for (const [index, json] of readMappings(dataDir)) mappings.set(index, new IndexMapping(1000, json));
 */
export function readMappings(dir: string): Map<string, MappingJson> {
  const out = new Map<string, MappingJson>();
  const root = join(dir, 'indices');
  if (!existsSync(root)) return out;
  for (const index of readdirSync(root)) {
    const path = join(root, index, 'mapping.json');
    if (!existsSync(path)) continue;
    try {
      out.set(index, JSON.parse(readFileSync(path, 'utf8')) as MappingJson);
    } catch (err) {
      throw new Error(`cannot read index mapping: ${path}: ${(err as Error).message}`, {
        cause: err,
      });
    }
  }
  return out;
}

/**
 * Persists the mapping of `index`.
 *
 * @example
 * writeMapping(dataDir, 'app', mapping.toJSON());
 */
export function writeMapping(dir: string, index: string, json: MappingJson): void {
  const idir = indexDir(dir, index);
  mkdirSync(idir, { recursive: true });
  writeFileAtomic(idir, 'mapping.json', JSON.stringify(json));
}
