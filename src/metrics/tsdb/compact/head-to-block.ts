/**
 * @module
 * Cuts a time range of the head into a block, in two halves for two threads. Head chunks never
 * cross a multiple of the block range, so each chunk lies wholly inside or outside a range
 * aligned to it and is copied as is, without re-encoding.
 *
 * On the main thread, {@link snapshotHeadRange} copies the range's chunk bytes into ONE
 * ArrayBuffer (transferred to the worker, not cloned) with tables of offsets and time bounds,
 * and the series' label keys into one string (cloned as a single copy, where an array of
 * strings would be cloned string by string). It works in slices between which the event loop
 * runs, so even a head of a million series does not stall appends and queries. That is all
 * the main thread does: sorting the series and writing the block happen in the worker, in
 * {@link writeHeadSnapshot}.
 *
 * Buffer layout (`c` chunks, `s` series; Float64 first so every view is aligned):
 * `Float64 times[2c]` (mint, maxt per chunk) · `Uint32 keyLengths[s]` · `Uint32 chunkCounts[s]`
 * · `Uint32 dataEnds[c]` · chunk bytes. The 32-bit ends limit a range to 4 GiB of chunk data,
 * some 30 million series' worth.
 */

import { join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { type BlockMeta, readMeta } from '../block/meta.js';
import { type BlockSeries, writeBlock } from '../block/write-block.js';
import { ENCODING_XOR } from '../chunkenc/xor.js';
import type { Head } from '../head/head.js';
import type { HeadChunk } from '../head/mem-series.js';
import { Labels } from '../../model/labels.js';

/**
 * Series (or chunks) handled per turn of the event loop. Each costs one to a few µs (more
 * before the JIT has warmed up), so a slice stays within a few ms, and the yields themselves
 * (one setImmediate per slice) cost nothing measurable.
 */
const SLICE = 1024;

/** A head range's chunks, as a message for the worker. */
export interface HeadSnapshot {
  /** The block's range, ms: minTime inclusive, maxTime exclusive. */
  minTime: number;
  maxTime: number;
  numSeries: number;
  numChunks: number;
  /** The series' {@link Labels.key}s, concatenated in snapshot order. */
  keys: string;
  /** Tables and chunk bytes; see the module comment. Transfer it, do not clone it. */
  buffer: ArrayBuffer;
}

/** Typed views of a snapshot's buffer. */
interface Tables {
  times: Float64Array;
  keyLengths: Uint32Array;
  chunkCounts: Uint32Array;
  dataEnds: Uint32Array;
  data: Uint8Array;
}

function tables(buffer: ArrayBuffer, numSeries: number, numChunks: number): Tables {
  let off = 0;
  const take = <T>(make: (off: number) => T, bytes: number): T => {
    const view = make(off);
    off += bytes;
    return view;
  };
  const times = take((o) => new Float64Array(buffer, o, 2 * numChunks), 16 * numChunks);
  const keyLengths = take((o) => new Uint32Array(buffer, o, numSeries), 4 * numSeries);
  const chunkCounts = take((o) => new Uint32Array(buffer, o, numSeries), 4 * numSeries);
  const dataEnds = take((o) => new Uint32Array(buffer, o, numChunks), 4 * numChunks);
  return { times, keyLengths, chunkCounts, dataEnds, data: new Uint8Array(buffer, off) };
}

/**
 * Copies the head's chunks with samples in `[mint, maxt)`, yielding to the event loop between
 * slices. The caller must keep the range from changing until the promise resolves: the TSDB
 * raises the head's minValidTime to `maxt` first (chunks of the range then take no more
 * samples, since a chunk never crosses `maxt`), and only it truncates the head.
 *
 * @throws {RangeError} when the range holds more than 4 GiB of chunk data.
 * @example
 * const snap = await snapshotHeadRange(head, 0, 7_200_000);
 * if (snap.numSeries > 0) worker.postMessage({ snap }, [snap.buffer]);
 */
export async function snapshotHeadRange(
  head: Head,
  mint: number,
  maxt: number,
): Promise<HeadSnapshot> {
  const keys: string[] = [];
  const counts: number[] = [];
  const picked: HeadChunk[] = [];
  const data: Uint8Array[] = [];
  let bytes = 0;
  let seen = 0;
  for (const s of head.allSeries()) {
    if (++seen % SLICE === 0) await nextTurn();
    let n = 0;
    for (const c of s.chunks()) {
      if (c.mint < mint || c.maxt >= maxt) continue;
      const b = c.chunk.bytes();
      picked.push(c);
      data.push(b);
      bytes += b.length;
      n++;
    }
    if (n === 0) continue;
    keys.push(s.labels.key);
    counts.push(n);
  }
  const numSeries = keys.length;
  const numChunks = picked.length;
  if (bytes > 0xffff_ffff) {
    throw new RangeError(`cannot snapshot head range: ${bytes} bytes of chunks exceed 4 GiB`);
  }
  const buffer = new ArrayBuffer(16 * numChunks + 4 * numSeries * 2 + 4 * numChunks + bytes);
  const t = tables(buffer, numSeries, numChunks);
  t.keyLengths.set(keys.map((k) => k.length));
  t.chunkCounts.set(counts);
  let end = 0;
  for (let i = 0; i < numChunks; i++) {
    if (i % SLICE === SLICE - 1) await nextTurn();
    const c = picked[i]!;
    t.data.set(data[i]!, end);
    end += data[i]!.length;
    t.dataEnds[i] = end;
    t.times[2 * i] = c.mint;
    t.times[2 * i + 1] = c.maxt;
  }
  return { minTime: mint, maxTime: maxt, numSeries, numChunks, keys: keys.join(''), buffer };
}

/**
 * Writes a snapshot as a level-1 block in `dir` and returns its meta. The chunk data handed to
 * the block writer are views of the snapshot's buffer, so nothing is copied again.
 *
 * @throws {BlockWriteError} when the block cannot be written; the partial block is removed.
 * @example
 * const meta = writeHeadSnapshot('/data/metrics', snap, newUlid());
 */
export function writeHeadSnapshot(dir: string, snap: HeadSnapshot, ulid: string): BlockMeta {
  const t = tables(snap.buffer, snap.numSeries, snap.numChunks);
  const series: BlockSeries[] = [];
  let keyAt = 0;
  let chunk = 0;
  for (let i = 0; i < snap.numSeries; i++) {
    const key = snap.keys.slice(keyAt, keyAt + t.keyLengths[i]!);
    keyAt += t.keyLengths[i]!;
    const chunks = [];
    for (const last = chunk + t.chunkCounts[i]!; chunk < last; chunk++) {
      const start = chunk === 0 ? 0 : t.dataEnds[chunk - 1]!;
      chunks.push({
        mint: t.times[2 * chunk]!,
        maxt: t.times[2 * chunk + 1]!,
        encoding: ENCODING_XOR,
        data: t.data.subarray(start, t.dataEnds[chunk]!),
      });
    }
    series.push({ labels: Labels.fromKey(key), chunks });
  }
  series.sort((a, b) => a.labels.compare(b.labels));
  writeBlock(dir, { minTime: snap.minTime, maxTime: snap.maxTime, series }, { ulid });
  return readMeta(join(dir, ulid));
}
