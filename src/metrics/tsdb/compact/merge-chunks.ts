/**
 * @module
 * The chunks of one series merged from several blocks. Chunks are copied byte for byte wherever
 * possible: a chunk that overlaps no other chunk and no deleted interval goes to the new block
 * unchanged, which is the whole job when merging adjacent blocks of a level. Only where chunks
 * overlap in time (blocks that overlap, vertical compaction) or tombstones cut into a chunk are
 * samples decoded, merged by timestamp and re-encoded into new XOR chunks of at most
 * {@link MAX_SAMPLES_PER_CHUNK} samples.
 */

import type { Interval } from '../block/tombstones.js';
import type { BlockChunk } from '../block/write-block.js';
import { MAX_SAMPLES_PER_CHUNK } from '../chunkenc/chunk.js';
import { ENCODING_XOR, type XorAppender, XorChunk, XorIterator } from '../chunkenc/xor.js';
import type { StoredChunk } from '../chunks/chunk-reader.js';
import { ChunkMergeError } from './errors.js';

/** A chunk of one parent block, read only when needed. */
export interface SourceChunk {
  /** Time range, ms, both inclusive. */
  mint: number;
  maxt: number;
  /** Index of the parent block: where two samples share a timestamp, the lower index wins. */
  parent: number;
  /** The parent block's directory, for errors. */
  block: string;
  /** The series' deleted intervals in that parent. */
  deleted: readonly Interval[];
  read(): StoredChunk;
}

/** A chunk's samples decoded into columns, deleted ones left out. */
interface Run {
  parent: number;
  ts: Float64Array;
  // Values stay in a Float64Array end to end: typed arrays keep NaN payloads (the staleness
  // marker) bit for bit.
  vs: Float64Array;
  n: number;
  pos: number;
}

/**
 * Merges the chunks of one series from several parents into time-ordered, non-overlapping
 * chunks; samples deleted by tombstones are dropped, and of samples with the same timestamp the
 * one from the lowest-indexed parent is kept — the sample a query over the parents returned.
 *
 * @param chunks each parent's chunks in time order, all parents together in any order
 * @throws {ChunkMergeError} when a chunk that must be re-encoded is not XOR or does not decode.
 * @example
 * const out = mergeSeriesChunks([
 *   { mint: 0, maxt: 59_000, parent: 0, block: dir, deleted: [], read: () => reader.chunk(ref) },
 * ]);
 */
export function mergeSeriesChunks(chunks: readonly SourceChunk[]): BlockChunk[] {
  const sorted = [...chunks].sort((a, b) => a.mint - b.mint || a.parent - b.parent);
  const out: BlockChunk[] = [];
  let group: SourceChunk[] = [];
  let reach = -Infinity;
  for (const c of sorted) {
    if (group.length > 0 && c.mint > reach) {
      flushGroup(group, out);
      group = [];
    }
    group.push(c);
    reach = group.length === 1 ? c.maxt : Math.max(reach, c.maxt);
  }
  if (group.length > 0) flushGroup(group, out);
  return out;
}

/** Appends the chunks for a group of transitively overlapping chunks to `out`. */
function flushGroup(group: readonly SourceChunk[], out: BlockChunk[]): void {
  if (group.length === 1) {
    const c = group[0]!;
    const cut = cutBy(c);
    if (cut === 'none') {
      const { encoding, data } = c.read();
      out.push({ mint: c.mint, maxt: c.maxt, encoding, data });
      return;
    }
    if (cut === 'all') return;
  }
  const runs: Run[] = [];
  for (const c of group) if (cutBy(c) !== 'all') runs.push(decode(c));
  encodeMerged(runs, out);
}

/** How the chunk's deleted intervals affect it. */
function cutBy(c: SourceChunk): 'none' | 'some' | 'all' {
  let cut: 'none' | 'some' = 'none';
  for (const iv of c.deleted) {
    if (iv.mint <= c.mint && iv.maxt >= c.maxt) return 'all';
    if (iv.mint <= c.maxt && iv.maxt >= c.mint) cut = 'some';
  }
  return cut;
}

function decode(c: SourceChunk): Run {
  const stored = c.read();
  if (stored.encoding !== ENCODING_XOR) {
    throw new ChunkMergeError(c.block, c.mint, c.maxt, `unsupported encoding ${stored.encoding}`);
  }
  const count = stored.data.length >= 2 ? (stored.data[0]! << 8) | stored.data[1]! : 0;
  const run: Run = {
    parent: c.parent,
    ts: new Float64Array(count),
    vs: new Float64Array(count),
    n: 0,
    pos: 0,
  };
  const it = new XorIterator(stored.data);
  while (it.next()) {
    const t = it.atT();
    if (isDeleted(c.deleted, t)) continue;
    run.ts[run.n] = t;
    run.vs[run.n] = it.atV();
    run.n++;
  }
  const err = it.err();
  if (err !== null) {
    throw new ChunkMergeError(c.block, c.mint, c.maxt, err.message, { cause: err });
  }
  return run;
}

function isDeleted(deleted: readonly Interval[], t: number): boolean {
  for (const iv of deleted) if (t >= iv.mint && t <= iv.maxt) return true;
  return false;
}

/**
 * K-way merges the runs by timestamp into new chunks. Groups hold a handful of chunks, so a
 * linear scan for the smallest head beats a heap.
 */
function encodeMerged(runs: readonly Run[], out: BlockChunk[]): void {
  let chunk: XorChunk | null = null;
  let app: XorAppender | null = null;
  let mint = 0;
  let maxt = 0;
  for (;;) {
    let best: Run | null = null;
    let bestT = Infinity;
    for (const r of runs) {
      if (r.pos >= r.n) continue;
      const t = r.ts[r.pos]!;
      if (t < bestT || (t === bestT && r.parent < best!.parent)) {
        best = r;
        bestT = t;
      }
    }
    if (best === null) break;
    const v = best.vs[best.pos]!;
    for (const r of runs) if (r.pos < r.n && r.ts[r.pos] === bestT) r.pos++;
    if (chunk === null || chunk.numSamples >= MAX_SAMPLES_PER_CHUNK) {
      if (chunk !== null) out.push({ mint, maxt, encoding: ENCODING_XOR, data: chunk.bytes() });
      chunk = new XorChunk();
      app = chunk.appender();
      mint = bestT;
    }
    app!.append(bestT, v);
    maxt = bestT;
  }
  if (chunk !== null) out.push({ mint, maxt, encoding: ENCODING_XOR, data: chunk.bytes() });
}
