/**
 * @module
 * `vigil test rules`.
 */
import type { Command } from 'commander';
import { testRuleFiles } from './test-rules.js';

/**
 * @example
 * registerTestCommand(program);
 */
export function registerTestCommand(program: Command): void {
  program
    .command('test')
    .description('run unit tests')
    .command('rules')
    .description('run rule unit test files, as promtool test rules does')
    .argument('<test-file...>', 'rule unit test files')
    .action(async (files: string[]) => {
      process.exitCode = await testRuleFiles(files);
    });
}
