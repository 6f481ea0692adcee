/**
 * @module
 * Small helpers every test uses: a temporary directory removed when the test ends, and a
 * seeded random generator so a failing random case can be replayed.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A temporary directory removed when the test ends.
 *
 * @example
 * const dir = tempDir(t);
 */
export function tempDir(t: { after: (fn: () => void) => void }, prefix = 'vigil-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
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
