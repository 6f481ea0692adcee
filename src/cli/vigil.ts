#!/usr/bin/env node
/**
 * @module
 * The `vigil` command: parses the command line and hands over to one subcommand.
 */

import './v8-tuning.js';
import { Command, Option } from 'commander';
import { registerAgentCommand } from './agent-command.js';
import { buildInfo } from '../lib/buildinfo.js';
import { LOG_FORMATS, LOG_LEVELS } from '../lib/log/logger.js';
import { addAlertmanagerCommand } from './alertmanager.js';
import { checkConfigFiles, checkRuleFiles } from './check.js';
import { registerExporterCommand } from './exporter-command.js';
import { importOpenMetrics } from './import.js';
import { parseDuration } from '../lib/units/duration.js';
import { addPushgatewayCommand } from './pushgateway.js';
import { addAuthCommands } from './auth-commands.js';
import { runServer, type ServerFlags } from './server.js';
import { testRuleFiles } from './test-rules.js';

const program = new Command('vigil')
  .description('Cluster-level logging and monitoring in one process')
  .version(buildInfo().version, '--version', 'print the version and exit')
  .showHelpAfterError();

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

addPushgatewayCommand(program);
addAlertmanagerCommand(program);

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

program
  .command('test')
  .description('run unit tests')
  .command('rules')
  .description('run rule unit test files, as promtool test rules does')
  .argument('<test-file...>', 'rule unit test files')
  .action(async (files: string[]) => {
    process.exitCode = await testRuleFiles(files);
  });

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

addAuthCommands(program);
registerExporterCommand(program);
registerAgentCommand(program);

await program.parseAsync();
