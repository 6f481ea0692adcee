/**
 * @module
 * `vigil test rules FILE…`: runs rule unit test files in `promtool test rules`' format and
 * reports as promtool does — `Unit Testing:  FILE`, then `SUCCESS` or `FAILED:` with each
 * failure on stderr. Exit code 0 when every file passes, 1 otherwise.
 */

import { readFileSync } from 'node:fs';
import { ConfigError } from '../config/errors.js';
import { runRuleTests } from '../metrics/rules/unittest/run.js';
import { parseRuleTestFile } from '../metrics/rules/unittest/testfile.js';

async function testFile(file: string): Promise<string[]> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    return [`${file}: cannot read file: ${(err as NodeJS.ErrnoException).code ?? String(err)}`];
  }
  try {
    return await runRuleTests(parseRuleTestFile(text, file), file, (line) =>
      process.stderr.write(`${line}\n`),
    );
  } catch (err) {
    if (err instanceof ConfigError) return [err.message];
    throw err;
  }
}

/**
 * @example
 * process.exitCode = await testRuleFiles(['tests.yml']);
 */
export async function testRuleFiles(files: readonly string[]): Promise<number> {
  let failed = false;
  for (const file of files) {
    process.stdout.write(`Unit Testing:  ${file}\n`);
    const errors = await testFile(file);
    if (errors.length > 0) {
      process.stderr.write('  FAILED:\n');
      for (const e of errors) {
        process.stderr.write(`${e}\n`);
        process.stdout.write('\n');
      }
      failed = true;
    } else {
      process.stdout.write('  SUCCESS\n');
    }
    process.stdout.write('\n');
  }
  return failed ? 1 : 0;
}
