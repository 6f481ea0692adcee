/**
 * @module
 * `vigil pushgateway`: the Pushgateway API on its own port, its groups kept in
 * `<data-dir>/pushgateway/metrics.json`. Listens, serves until SIGTERM/SIGINT, then stops
 * accepting, waits for the last file write and releases the data directory.
 */

import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { Option } from 'commander';
import Fastify from 'fastify';
import { formatListenAddress, parseListenAddress } from '../config/listen-address.js';
import { standalonePostureProblem } from '../server/auth/posture.js';
import { takeDataDirectory } from './data-dir.js';
import {
  LOG_FORMATS,
  LOG_LEVELS,
  Logger,
  type LogFormat,
  type LogLevel,
} from '../lib/log/logger.js';
import { pushgatewayRoutes } from '../metrics/pushgateway/routes.js';
import { PushStore } from '../metrics/pushgateway/store.js';

export interface PushgatewayFlags {
  listen: string;
  /** Allow a non-loopback `listen` (there is no authentication). */
  insecure: boolean;
  dataDir: string;
  enableAdminApi: boolean;
  logLevel: LogLevel;
  logFormat: LogFormat;
}

/** The largest push accepted, as the Pushgateway has no limit but a server needs one. */
const BODY_LIMIT = 64 * 1024 * 1024;

/** Runs the Pushgateway until a signal; resolves with the process exit code. */
export async function runPushgateway(flags: PushgatewayFlags): Promise<number> {
  const listen = parseListenAddress(flags.listen);
  if (typeof listen === 'string') {
    process.stderr.write(`vigil: --listen: ${listen}\n`);
    return 1;
  }
  const problem = standalonePostureProblem('vigil pushgateway', listen, flags.insecure);
  if (problem !== null) {
    process.stderr.write(`vigil: ${problem}\n`);
    return 1;
  }
  const log = new Logger({ level: flags.logLevel, format: flags.logFormat });
  const dataDir = resolve(flags.dataDir);
  const lock = takeDataDirectory(dataDir, log);
  if (lock === null) return 1;
  let store: PushStore;
  try {
    store = PushStore.open({ dir: join(dataDir, 'pushgateway') });
  } catch (err) {
    log.error('cannot read the pushgateway store', { dir: dataDir, err });
    lock.release();
    return 1;
  }
  const app = Fastify({ logger: false, bodyLimit: BODY_LIMIT, forceCloseConnections: 'idle' });
  await app.register(pushgatewayRoutes, {
    store,
    logger: log.child({ component: 'pushgateway' }),
    adminApi: flags.enableAdminApi,
  });
  try {
    await app.listen({ host: listen.host === '' ? '::' : listen.host, port: listen.port });
  } catch (err) {
    log.error('cannot listen', { address: flags.listen, err });
    lock.release();
    return 1;
  }
  const bound = app.server.address();
  log.info('listening', {
    address:
      typeof bound === 'object' && bound !== null
        ? formatListenAddress({ host: bound.address, port: bound.port })
        : bound,
    data_dir: dataDir,
  });
  return new Promise<number>((resolveExit) => {
    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      log.info('shutting down', { signal });
      let code = 0;
      try {
        await app.close();
        await store.close();
      } catch (err) {
        log.error('stop failed', { err });
        code = 1;
      }
      lock.release();
      log.info('stopped');
      resolveExit(code);
    };
    process.on('SIGTERM', () => void stop('SIGTERM'));
    process.on('SIGINT', () => void stop('SIGINT'));
  });
}

/** Adds the `pushgateway` subcommand to `program`. */
export function addPushgatewayCommand(program: Command): void {
  program
    .command('pushgateway')
    .description('run a Prometheus-compatible Pushgateway on its own port')
    .option('--listen <host:port>', 'address to serve HTTP on', '127.0.0.1:9091')
    .option('--insecure', 'allow a non-loopback --listen (the Pushgateway has no authentication)')
    .option('--data-dir <dir>', 'directory whose pushgateway/ keeps the pushed groups', './data')
    .option('--enable-admin-api', 'serve PUT /api/v1/admin/wipe', false)
    .addOption(
      new Option('--log.level <level>', 'least severe level logged')
        .choices(LOG_LEVELS)
        .default('info'),
    )
    .addOption(
      new Option('--log.format <format>', 'log line format').choices(LOG_FORMATS).default('logfmt'),
    )
    .action(async (opts: Record<string, string | boolean>) => {
      process.exitCode = await runPushgateway({
        listen: opts.listen as string,
        insecure: opts.insecure === true,
        dataDir: opts.dataDir as string,
        enableAdminApi: opts.enableAdminApi === true,
        logLevel: opts['log.level'] as LogLevel,
        logFormat: opts['log.format'] as LogFormat,
      });
    });
}
