/**
 * @module
 * `vigil check config FILE…`: validates configuration files without starting anything, for CI
 * pipelines and before a reload. Exit code 0 when every file is valid, 1 otherwise.
 */

import { ConfigError } from '../config/errors.js';
import { loadConfig } from '../config/load.js';

/**
 * Checks each file, printing `FILE: valid` or its problems; returns the exit code.
 *
 * @example
 * process.exitCode = checkConfigFiles(['vigil.yml']);
 */
export function checkConfigFiles(files: readonly string[]): number {
  let failed = 0;
  for (const file of files) {
    try {
      loadConfig(file);
      process.stdout.write(`${file}: valid\n`);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      process.stderr.write(`${err.message}\n`);
      failed++;
    }
  }
  if (failed > 0) process.stderr.write(`${failed} of ${files.length} files invalid\n`);
  return failed > 0 ? 1 : 0;
}
