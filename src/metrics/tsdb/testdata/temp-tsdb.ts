/**
 * @module
 * Temporary TSDB directories for tests: every TSDB a test opens in one is closed before the
 * directory is removed (node runs a test's after-hooks first-in first-out, so a plain temporary
 * directory would be removed under a TSDB that still flushes into it).
 */

import type { TestContext } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Tsdb, type TsdbOptions } from '../db.js';

/**
 * @example
 * const { tempDir, open } = tempTsdbs('vigil-tsdb-', { blockDuration: 2 * HOUR });
 * const db = open(tempDir(t));
 */
export function tempTsdbs(prefix: string, defaults: TsdbOptions) {
  const opened = new Map<string, Tsdb[]>();
  return {
    /** A temporary directory removed after the TSDBs opened in it are closed. */
    tempDir(t: TestContext): string {
      const dir = mkdtempSync(join(tmpdir(), prefix));
      opened.set(dir, []);
      t.after(async () => {
        for (const db of opened.get(dir)!) await db.close();
        rmSync(dir, { recursive: true, force: true });
      });
      return dir;
    },
    /** Opens a TSDB in a directory from {@link tempDir}, with `defaults` under `options`. */
    open(dir: string, options: TsdbOptions = {}): Tsdb {
      const db = Tsdb.open(dir, { ...defaults, ...options });
      opened.get(dir)!.push(db);
      return db;
    },
  };
}
