/**
 * @module
 * Taking the data directory: created if missing, then locked so that a second process on the
 * same directory stops at once with a message that names the holder.
 */

import { mkdirSync } from 'node:fs';
import { LockHeldError, lockDirectory } from '../lib/fs/lockfile.js';
import type { Logger } from '../lib/log/logger.js';

/**
 * Creates and locks `dir`; logs why and returns null when it cannot.
 *
 * @example
 * const lock = takeDataDirectory(dataDir, log);
 * if (lock === null) return 1;
 */
export function takeDataDirectory(
  dir: string,
  log: Logger,
): ReturnType<typeof lockDirectory> | null {
  try {
    mkdirSync(dir, { recursive: true });
    return lockDirectory(dir);
  } catch (err) {
    log.error(err instanceof LockHeldError ? err.message : 'cannot open data directory', {
      dir,
      err,
    });
    return null;
  }
}
