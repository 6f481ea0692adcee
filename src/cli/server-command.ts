/**
 * @module
 * The `vigil server` subcommand's flags.
 */
import { Option, type Command } from 'commander';
import { LOG_FORMATS, LOG_LEVELS } from '../lib/log/logger.js';
import { runServer, type ServerFlags } from './server.js';

/**
 * @example
 * registerServerCommand(program);
 */
export function registerServerCommand(program: Command): void {
  program
    .command('server')
    .description('run the all-in-one server: HTTP APIs, web UI and embedded stores')
    .option(
      '--listen <host:port>',
      'address to serve HTTP on (default: server.listen, 127.0.0.1:9700)',
    )
    .option('--data-dir <dir>', 'directory for stored data', './data')
    .option('--config <file>', 'configuration file (default: built-in defaults)')
    .addOption(new Option('--log.level <level>', 'least severe level logged').choices(LOG_LEVELS))
    .addOption(new Option('--log.format <format>', 'log line format').choices(LOG_FORMATS))
    .option(
      '--admin-password-file <file>',
      "with auth on and no user yet: the first admin's password (else VIGIL_ADMIN_PASSWORD, else generated)",
    )
    .option('--insecure', 'allow a non-loopback --listen without authentication')
    .option(
      '--no-local-agent',
      "do not collect this host's logs (journald, container log files) into the store",
    )
    .action(async (opts: Record<string, string | boolean | undefined>) => {
      const flags: ServerFlags = {
        listen: opts.listen as string | undefined,
        dataDir: opts.dataDir as string,
        config: opts.config as string | undefined,
        logLevel: opts['log.level'] as ServerFlags['logLevel'],
        logFormat: opts['log.format'] as ServerFlags['logFormat'],
        adminPasswordFile: opts.adminPasswordFile as string | undefined,
        insecure: opts.insecure === true,
        localAgent: opts.localAgent !== false,
      };
      process.exitCode = await runServer(flags);
    });
}
