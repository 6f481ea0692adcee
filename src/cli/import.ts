/**
 * @module
 * `vigil import openmetrics FILE`: backfills historical samples into the data directory's TSDB
 * as blocks, like `promtool tsdb create-blocks-from openmetrics`. The data directory is locked
 * meanwhile, so it runs while no server uses the directory; the server serves the blocks at its
 * next start. A progress bar shows on a terminal.
 */

import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { LockHeldError, lockDirectory } from '../lib/fs/lockfile.js';
import { BackfillError, backfillOpenMetrics } from '../metrics/tsdb/backfill/openmetrics.js';

export interface ImportFlags {
  dataDir: string;
  blockDuration: number;
}

function progressBar(done: number, total: number): void {
  const width = 30;
  const filled = Math.round((done / total) * width);
  process.stderr.write(
    `\r[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${Math.floor((done / total) * 100)}%`,
  );
}

/**
 * Imports `file`; returns the exit code.
 *
 * @example
 * process.exitCode = await importOpenMetrics('history.om', { dataDir: './data', blockDuration: 7_200_000 });
 */
export async function importOpenMetrics(file: string, flags: ImportFlags): Promise<number> {
  let input: Buffer;
  try {
    input = readFileSync(file);
  } catch (err) {
    process.stderr.write(`vigil: cannot read ${file}: ${(err as Error).message}\n`);
    return 1;
  }
  const dataDir = resolve(flags.dataDir);
  mkdirSync(dataDir, { recursive: true });
  let lock;
  try {
    lock = lockDirectory(dataDir);
  } catch (err) {
    if (!(err instanceof LockHeldError)) throw err;
    process.stderr.write(`vigil: ${err.message}\n`);
    return 1;
  }
  const outDir = join(dataDir, 'metrics');
  mkdirSync(outDir, { recursive: true });
  const tty = process.stderr.isTTY;
  try {
    const r = await backfillOpenMetrics(input, outDir, {
      blockDuration: flags.blockDuration,
      onProgress: tty ? progressBar : undefined,
    });
    if (tty) process.stderr.write('\n');
    process.stdout.write(
      r.samples === 0
        ? `${file}: no samples\n`
        : `${file}: imported ${r.samples} samples of ${r.series} series into ${r.blocks.length} blocks in ${outDir}, ` +
            `${new Date(r.minTime).toISOString()} to ${new Date(r.maxTime).toISOString()}\n`,
    );
    return 0;
  } catch (err) {
    if (tty) process.stderr.write('\n');
    if (!(err instanceof BackfillError)) throw err;
    process.stderr.write(`vigil: ${file}: ${err.message}\n`);
    return 1;
  } finally {
    lock.release();
  }
}
