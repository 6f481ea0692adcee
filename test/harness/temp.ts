/**
 * @module
 * Small helpers every test uses: a temporary directory removed when the test ends, and a
 * seeded random generator so a failing random case can be replayed.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Every directory {@link tempDir} made in this process, removed again when it exits. */
const made = new Set<string>();

/**
 * A temporary directory removed when the test ends, and again when the process exits: a test's
 * after hooks run in the order they were added, so one added later (closing a store, stopping a
 * server) runs after the removal and may write there again.
 *
 * @example
 * const dir = tempDir(t);
 */
export function tempDir(t: { after: (fn: () => void) => void }, prefix = 'vigil-test-'): string {
  const dir = exitTempDir(prefix);
  // Retried: what the test started may still be writing there for a moment.
  t.after(() => rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 }));
  return dir;
}

/**
 * A temporary directory removed only when the process exits: for a caller that removes it
 * itself once what writes there has stopped (`vigil.ts` `startVigil`).
 *
 * @example
 * const dir = exitTempDir('vigil-test-');
 */
export function exitTempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  if (made.size === 0) process.on('exit', removeAll);
  made.add(dir);
  return dir;
}

function removeAll(): void {
  for (const dir of made)
    rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
}

/**
 * A deterministic PRNG (mulberry32) returning numbers in [0, 1).
 *
 * @example
 * const random = rng(42);
 * random(); // the same sequence on every run
 */
export function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 2 ** 32;
  };
}
