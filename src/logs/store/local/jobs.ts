/**
 * @module
 * The two heavy jobs of the store, as plain functions of paths and data so that they run the same
 * in the worker thread (`worker.ts`) and inline: a flush turns a frozen memory part's columns
 * (cloned to the worker with the job message) into segments, a merge turns several segments
 * of one partition into one: by concatenation when their documents do not overlap in time
 * (`segment-concat.ts`), else by rewriting their documents. Both only write new files; the main thread makes them live by
 * updating the catalog.
 */

import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { type SegmentEntry, segmentPath } from './catalog.js';
import { coreFlushInputs } from './core-flush.js';
import { flushInputs } from './flush-input.js';
import { type FlushPart, withColumns } from './memory-part.js';
import type { Codec } from './segment-format.js';
import { concatOrder, concatSegments } from './segment-concat.js';
import { SegmentReader } from './segment-reader.js';
import { type SegmentInput, writeSegment } from './segment-writer.js';

/**
 * Write a frozen memory part as segments, one per index and day, from its ingest core's
 * columns (`core-columns.ts`); the segments are named after the part's last WAL file.
 */
export interface FlushJob {
  readonly kind: 'flush';
  readonly dir: string;
  readonly toSeq: number;
  readonly parts: readonly FlushPart[];
  /** Per index, the paths past its field limit. */
  readonly unindexed: Readonly<Record<string, readonly string[]>>;
  readonly codec: Codec;
}

/** Merge `inputs` (one partition) into `output`. */
export interface MergeJob {
  readonly kind: 'merge';
  readonly dir: string;
  readonly inputs: readonly SegmentEntry[];
  readonly output: SegmentEntry;
  readonly unindexed: readonly string[];
  readonly codec: Codec;
}

export type Job = FlushJob | MergeJob;

/** The segments a job wrote. */
export type JobResult = SegmentEntry[];

/** Documents rewritten by a merge, as source objects. */
class Docs implements SegmentInput {
  length = 0;
  rawBytes = 0;
  readonly ids: string[] = [];
  readonly ms: number[] = [];
  readonly ns: number[] = [];
  readonly #sources: Record<string, unknown>[] = [];
  constructor(readonly index: string) {}
  add(id: string, ms: number, ns: number, source: Record<string, unknown>): void {
    this.ids.push(id);
    this.ms.push(ms);
    this.ns.push(ns);
    this.#sources.push(source);
    this.length++;
  }
  source(row: number): Record<string, unknown> {
    return this.#sources[row]!;
  }
}

/**
 * Runs `job` synchronously.
 *
 * @example
 * const written = runJob({ kind: 'flush', dir, toSeq: 3, parts, unindexed: {}, codec: 'brotli' });
 */
export function runJob(job: Job): JobResult {
  return job.kind === 'flush' ? flush(job) : [merge(job)];
}

function flush(job: FlushJob): JobResult {
  const out: SegmentEntry[] = [];
  for (const part of job.parts) {
    const inputs = coreFlushInputs(part) ?? flushInputs(withColumns(part));
    for (const [day, input] of inputs) {
      const entry: SegmentEntry = {
        index: part.index,
        day,
        name: `w${String(job.toSeq).padStart(10, '0')}`,
      };
      write(job.dir, entry, input, job.unindexed[part.index] ?? [], job.codec);
      out.push(entry);
    }
  }
  return out;
}

function merge(job: MergeJob): SegmentEntry {
  const readers: SegmentReader[] = [];
  try {
    for (const e of job.inputs) readers.push(SegmentReader.open(segmentPath(job.dir, e)));
    const order = concatOrder(readers, job.codec);
    if (order !== undefined) {
      const path = segmentPath(job.dir, job.output);
      mkdirSync(dirname(path), { recursive: true });
      concatSegments(path, order, job.output.index, new Set(job.unindexed));
      return job.output;
    }
    const docs = new Docs(job.output.index);
    const counter = { bytesRead: 0 };
    for (const seg of readers) {
      docs.rawBytes += seg.footer.rawBytes;
      for (let b = 0; b < seg.footer.blocks.length; b++) {
        const block = seg.block(b, counter);
        for (let i = 0; i < block.length; i++)
          docs.add(block.id(i), block.ms[i]!, block.ns[i]!, block.source(i));
      }
    }
    write(job.dir, job.output, docs, job.unindexed, job.codec);
    return job.output;
  } finally {
    for (const seg of readers) seg.release();
  }
}

function write(
  dir: string,
  entry: SegmentEntry,
  docs: SegmentInput,
  unindexed: readonly string[],
  codec: Codec,
): void {
  const path = segmentPath(dir, entry);
  mkdirSync(dirname(path), { recursive: true });
  writeSegment(path, docs, { unindexed: new Set(unindexed), codec });
}
