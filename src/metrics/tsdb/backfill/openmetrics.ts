/**
 * @module
 * Backfill: turns an OpenMetrics file of historical samples into blocks, as
 * `promtool tsdb create-blocks-from openmetrics` does. The file is read once to find its time
 * range, then once per block range; each pass collects that range's samples in a fresh head and
 * writes them as one block. Memory is bounded by one block range of data, not the file.
 */

import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Labels } from '../../model/labels.js';
import { createParser, ParseError } from '../../model/textparse/parser.js';
import { newUlid } from '../block/ulid.js';
import { snapshotHeadRange, writeHeadSnapshot } from '../compact/head-to-block.js';
import { Head } from '../head/head.js';

const CONTENT_TYPE = 'application/openmetrics-text; version=1.0.0';

/** A sample the import could not take, with its place in the input. */
export class BackfillError extends Error {
  constructor(
    readonly line: number,
    reason: string,
    options?: ErrorOptions,
  ) {
    super(`cannot import line ${line}: ${reason}`, options);
    this.name = 'BackfillError';
  }
}

export interface BackfillOptions {
  /** Block range, ms (default 2 h, as promtool). */
  blockDuration?: number;
  /** Called as input is consumed: `done` of `total` bytes over all passes. */
  onProgress?: (done: number, total: number) => void;
}

export interface BackfillResult {
  /** ULIDs of the blocks written, oldest first. */
  blocks: string[];
  samples: number;
  series: number;
  minTime: number;
  maxTime: number;
}

/** Runs `fn` for each series line, with the 1-based line number for errors. */
function eachSample(
  input: Uint8Array,
  fn: (labels: () => Labels, t: number, v: number, line: number) => void,
): void {
  const parser = createParser(input, CONTENT_TYPE);
  let line = 0;
  try {
    for (let e = parser.next(); e !== null; e = parser.next()) {
      line++;
      if (e !== 'series') continue;
      const t = parser.timestamp();
      if (t === null)
        throw new BackfillError(
          line,
          `sample ${parser.series()} has no timestamp; backfill needs one on every sample`,
        );
      fn(() => parser.labels(), t, parser.value(), line);
    }
  } catch (err) {
    if (err instanceof ParseError) throw new BackfillError(err.line, err.message, { cause: err });
    throw err;
  }
}

/**
 * Writes the samples of an OpenMetrics document as blocks into `outDir`.
 *
 * @throws {BackfillError} for unparsable input, a sample without timestamp, or samples of one
 *   series out of time order (the file is rejected whole; no block is left behind).
 * @example
 * const r = await backfillOpenMetrics(readFileSync('history.om'), './data/metrics');
 * console.log(`${r.samples} samples in ${r.blocks.length} blocks`);
 */
export async function backfillOpenMetrics(
  input: Uint8Array,
  outDir: string,
  options: BackfillOptions = {},
): Promise<BackfillResult> {
  const range = options.blockDuration ?? 2 * 3600_000;
  let minTime = Infinity;
  let maxTime = -Infinity;
  eachSample(input, (_labels, t) => {
    if (t < minTime) minTime = t;
    if (t > maxTime) maxTime = t;
  });
  const result: BackfillResult = { blocks: [], samples: 0, series: 0, minTime, maxTime };
  if (minTime === Infinity) return result;
  const first = Math.floor(minTime / range) * range;
  const passes = Math.floor((maxTime - first) / range) + 1;
  const seen = new Set<string>();
  try {
    for (let pass = 0; pass < passes; pass++) {
      const ulid = await backfillRange(input, outDir, first + pass * range, range, seen, result);
      if (ulid !== null) result.blocks.push(ulid);
      options.onProgress?.((pass + 1) * input.length, passes * input.length);
    }
  } catch (err) {
    for (const ulid of result.blocks) rmSync(join(outDir, ulid), { recursive: true, force: true });
    throw err;
  }
  result.series = seen.size;
  return result;
}

/** Writes the samples in `[mint, mint + range)` as one block; null when there are none. */
async function backfillRange(
  input: Uint8Array,
  outDir: string,
  mint: number,
  range: number,
  seen: Set<string>,
  result: BackfillResult,
): Promise<string | null> {
  const maxt = mint + range;
  // Series come one after another, each over the whole range: no append window.
  const head = new Head({ chunkRange: range, appendWindow: Infinity });
  const app = head.appender();
  eachSample(input, (labels, t, v, line) => {
    if (t < mint || t >= maxt) return;
    const l = labels();
    try {
      app.append(0, l, t, v);
    } catch (err) {
      throw new BackfillError(line, (err as Error).message, { cause: err });
    }
    seen.add(l.key);
    result.samples++;
  });
  await app.commit();
  if (head.numSeries === 0) return null;
  const ulid = newUlid();
  writeHeadSnapshot(outDir, await snapshotHeadRange(head, mint, maxt), ulid);
  return ulid;
}
