/**
 * @module
 * The `vigil agent` subcommand's flags.
 */
import { Option, type Command } from 'commander';
import { LOG_FORMATS, LOG_LEVELS } from '../lib/log/logger.js';
import { runAgent, type AgentFlags } from './agent.js';

/**
 * @example
 * registerAgentCommand(program);
 */
export function registerAgentCommand(program: Command): void {
  program
    .command('agent')
    .description(
      'collect container and file logs on this node and ship them to Vigil (a disk buffer in between)',
    )
    .requiredOption('--config <file>', 'agent configuration file (agent.yml)')
    .option('--data-dir <dir>', 'positions, buffers and dead-letter files (default: data_dir)')
    .option('--listen <host:port>', 'address of /metrics (default: listen, 127.0.0.1:9702)')
    .option('--dry-run', 'print parsed records as JSON lines instead of shipping them', false)
    .addOption(new Option('--log.level <level>', 'least severe level logged').choices(LOG_LEVELS))
    .addOption(new Option('--log.format <format>', 'log line format').choices(LOG_FORMATS))
    .action(async (opts: Record<string, string | boolean | undefined>) => {
      const flags: AgentFlags = {
        config: opts.config as string,
        dataDir: opts.dataDir as string | undefined,
        listen: opts.listen as string | undefined,
        dryRun: opts.dryRun === true,
        logLevel: opts['log.level'] as AgentFlags['logLevel'],
        logFormat: opts['log.format'] as AgentFlags['logFormat'],
      };
      process.exitCode = await runAgent(flags);
    });
}
