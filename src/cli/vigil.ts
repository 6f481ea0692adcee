#!/usr/bin/env node
/**
 * @module
 * The `vigil` command: parses the command line and hands over to one subcommand.
 *
 * Only the subcommand named on the command line is loaded (all of them for `vigil --help` or a
 * name that is not one): each brings its own part of Vigil, and `vigil agent` on every node
 * should not hold the server's stores and query engines in memory (~30 MB).
 */

import './v8-tuning.js';
import { Command } from 'commander';
import { buildInfo } from '../lib/buildinfo.js';

type Register = (program: Command) => void;

/** Each top-level command, in the order help lists them, and how to load its definition. */
const COMMANDS: Readonly<Record<string, () => Promise<Register>>> = {
  server: async () => (await import('./server-command.js')).registerServerCommand,
  pushgateway: async () => (await import('./pushgateway.js')).addPushgatewayCommand,
  alertmanager: async () => (await import('./alertmanager.js')).addAlertmanagerCommand,
  check: async () => (await import('./check-command.js')).registerCheckCommand,
  test: async () => (await import('./test-command.js')).registerTestCommand,
  import: async () => (await import('./import-command.js')).registerImportCommand,
  // One module defines both `user` and `token`.
  user: async () => (await import('./auth-commands.js')).addAuthCommands,
  token: async () => (await import('./auth-commands.js')).addAuthCommands,
  exporter: async () => (await import('./exporter-command.js')).registerExporterCommand,
  agent: async () => (await import('./agent-command.js')).registerAgentCommand,
};

const program = new Command('vigil')
  .description('Cluster-level logging and monitoring in one process')
  .version(buildInfo().version, '--version', 'print the version and exit')
  .showHelpAfterError();

const named = process.argv[2];
const wanted = named !== undefined && named in COMMANDS ? [named] : Object.keys(COMMANDS);
const registered = new Set<Register>();
for (const name of wanted) {
  const register = await COMMANDS[name]!();
  if (registered.has(register)) continue;
  registered.add(register);
  register(program);
}

await program.parseAsync();
