/**
 * @module
 * `vigil check config` and `vigil check rules`.
 */
import type { Command } from 'commander';
import { checkConfigFiles, checkRuleFiles } from './check.js';

/**
 * @example
 * registerCheckCommand(program);
 */
export function registerCheckCommand(program: Command): void {
  const check = program.command('check').description('validate files without starting anything');
  check
    .command('config')
    .description('validate configuration files; prints file:line:column: key: problem')
    .argument('<file...>', 'configuration files')
    .action((files: string[]) => {
      process.exitCode = checkConfigFiles(files);
    });
  check
    .command('rules')
    .description('validate Prometheus rule files, as promtool check rules does')
    .argument('<file...>', 'rule files')
    .action((files: string[]) => {
      process.exitCode = checkRuleFiles(files);
    });
}
