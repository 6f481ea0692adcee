/**
 * @module
 * `vigil import openmetrics`.
 */
import type { Command } from 'commander';
import { parseDuration } from '../lib/units/duration.js';
import { importOpenMetrics } from './import.js';

/**
 * @example
 * registerImportCommand(program);
 */
export function registerImportCommand(program: Command): void {
  const importCmd = program.command('import').description('backfill historical data');
  importCmd
    .command('openmetrics')
    .description(
      'write the samples of an OpenMetrics file as TSDB blocks (while no server uses the data dir)',
    )
    .argument('<file>', 'OpenMetrics text; every sample needs a timestamp')
    .option('--data-dir <dir>', 'data directory whose metrics/ receives the blocks', './data')
    .option('--block-duration <duration>', 'time range of each block', '2h')
    .action(async (file: string, opts: { dataDir: string; blockDuration: string }) => {
      const blockDuration = parseDuration(opts.blockDuration);
      if (blockDuration === undefined || blockDuration <= 0) {
        process.stderr.write(
          `vigil: --block-duration: invalid duration ${JSON.stringify(opts.blockDuration)}\n`,
        );
        process.exitCode = 1;
        return;
      }
      process.exitCode = await importOpenMetrics(file, { dataDir: opts.dataDir, blockDuration });
    });
}
