/**
 * @module
 * `vigil alertmanager`: an Alertmanager compatible with Prometheus' on its own port — API v2,
 * `/-/healthy`, `/-/ready`, `/metrics` — with its silences and notification log under
 * `--storage.path`. Flags keep Alertmanager's names so a command line carries over.
 */

import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import Fastify from 'fastify';
import { alertmanagerApi } from '../alerting/api/routes.js';
import { Alertmanager } from '../alerting/alertmanager.js';
import { loadAlertmanagerConfig } from '../alerting/config/load.js';
import { ConfigError } from '../config/errors.js';
import { formatListenAddress, parseListenAddress } from '../config/listen-address.js';
import { standalonePostureProblem } from '../server/auth/posture.js';
import { systemClock } from '../lib/clock/clock.js';
import { Registry, registerProcessMetrics } from '../lib/instrument/index.js';
import {
  LOG_FORMATS,
  LOG_LEVELS,
  Logger,
  type LogFormat,
  type LogLevel,
} from '../lib/log/logger.js';
import { parseDuration } from '../lib/units/duration.js';
import { registerMetricsRoute } from '../server/routes/metrics.js';
import { takeDataDirectory } from './data-dir.js';

export interface AlertmanagerFlags {
  config: string;
  storagePath: string;
  listen: string;
  /** Allow a non-loopback `listen` (there is no authentication). */
  insecure: boolean;
  externalURL: string | undefined;
  retention: string;
  logLevel: LogLevel;
  logFormat: LogFormat;
}

const PLAIN = 'text/plain; charset=utf-8';

/** Runs the Alertmanager until SIGTERM/SIGINT; resolves with the exit code. */
export async function runAlertmanager(flags: AlertmanagerFlags): Promise<number> {
  const log = new Logger({ level: flags.logLevel, format: flags.logFormat });
  const listen = parseListenAddress(flags.listen);
  if (typeof listen === 'string') {
    log.error(`--web.listen-address: ${listen}`);
    return 1;
  }
  const problem = standalonePostureProblem('vigil alertmanager', listen, flags.insecure);
  if (problem !== null) {
    process.stderr.write(`vigil: ${problem}\n`);
    return 1;
  }
  const retention = parseDuration(flags.retention);
  if (retention === undefined || retention <= 0) {
    log.error(`--data.retention: invalid duration ${JSON.stringify(flags.retention)}`);
    return 1;
  }
  let config;
  try {
    config = loadAlertmanagerConfig(flags.config);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${err.message}\n`);
    return 1;
  }
  const storageDir = resolve(flags.storagePath);
  const lock = takeDataDirectory(storageDir, log);
  if (lock === null) return 1;

  const registry = new Registry();
  const stopProcessMetrics = registerProcessMetrics(registry);
  const release = () => {
    stopProcessMetrics();
    lock.release();
  };
  let address = formatListenAddress(listen);
  let am: Alertmanager;
  try {
    am = new Alertmanager({
      config,
      storageDir,
      externalURL: () => flags.externalURL ?? `http://${address}`,
      clock: systemClock,
      registry,
      logger: log.child({ component: 'alertmanager' }),
      retention,
    });
  } catch (err) {
    // The state files, or a template file (which names its file and line).
    log.error('cannot start the alertmanager', { dir: storageDir, err });
    release();
    return 1;
  }
  let ready = false;
  const app = Fastify({ logger: false, forceCloseConnections: 'idle' });
  await app.register(alertmanagerApi, {
    prefix: '/api/v2',
    alertmanager: am,
    registry,
    logger: log.child({ component: 'alertmanager-api' }),
  });
  const reload = async (): Promise<string | null> => {
    try {
      await am.reload(loadAlertmanagerConfig(flags.config));
      return null;
    } catch (err) {
      log.error('cannot reload the configuration; the old one stays in force', { err });
      return (err as Error).message;
    }
  };
  // Alertmanager's reload endpoint: 200 when applied, 500 with the reason when refused.
  app.post('/-/reload', async (_req, reply) => {
    const problem = await reload();
    return problem === null
      ? reply.type(PLAIN).send('')
      : reply.code(500).type(PLAIN).send(`failed to reload config: ${problem}\n`);
  });
  app.get('/-/healthy', (_req, reply) => reply.type(PLAIN).send('OK'));
  app.get('/-/ready', (_req, reply) =>
    ready ? reply.type(PLAIN).send('OK') : reply.code(503).type(PLAIN).send('Service Unavailable'),
  );
  registerMetricsRoute(app, registry);
  try {
    await app.listen({ host: listen.host === '' ? '::' : listen.host, port: listen.port });
  } catch (err) {
    log.error('cannot listen', { address: flags.listen, err });
    release();
    return 1;
  }
  const bound = app.server.address();
  if (typeof bound === 'object' && bound !== null) {
    address = formatListenAddress({ host: bound.address, port: bound.port });
  }
  await am.start();
  ready = true;
  log.info('listening', { address, storage: storageDir });

  return new Promise<number>((resolveExit) => {
    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      ready = false;
      log.info('shutting down', { signal });
      let code = 0;
      try {
        await app.close();
        await am.stop();
      } catch (err) {
        log.error('stop failed', { err });
        code = 1;
      }
      release();
      log.info('stopped');
      resolveExit(code);
    };
    process.on('SIGTERM', () => void stop('SIGTERM'));
    process.on('SIGINT', () => void stop('SIGINT'));
    process.on('SIGHUP', () => void reload());
  });
}

/** Adds the `alertmanager` subcommand to `program`. */
export function addAlertmanagerCommand(program: Command): void {
  program
    .command('alertmanager')
    .description('run an Alertmanager (routing, grouping, silences, notifications; API v2)')
    .option('--config <file>', 'alertmanager.yml, in Alertmanager’s format')
    .option('--config.file <file>', 'the same as --config, by Alertmanager’s name')
    .option(
      '--storage.path <dir>',
      'directory for silences and the notification log',
      './data/alertmanager',
    )
    .option('--web.listen-address <host:port>', 'address to serve HTTP on', '127.0.0.1:9093')
    .option('--insecure', 'allow a non-loopback listen address (no authentication)')
    .option(
      '--web.external-url <url>',
      'URL users reach this Alertmanager at (default: from the listen address)',
    )
    .option(
      '--data.retention <duration>',
      'how long expired silences and log entries are kept',
      '120h',
    )
    .addOption(
      new Option('--log.level <level>', 'least severe level logged')
        .choices(LOG_LEVELS)
        .default('info'),
    )
    .addOption(
      new Option('--log.format <format>', 'log line format').choices(LOG_FORMATS).default('logfmt'),
    )
    .action(async (opts: Record<string, string | undefined>) => {
      const config = opts.config ?? opts['config.file'];
      if (config === undefined) {
        process.stderr.write('vigil alertmanager: --config <file> is required\n');
        process.exitCode = 1;
        return;
      }
      process.exitCode = await runAlertmanager({
        config,
        storagePath: opts['storage.path']!,
        listen: opts['web.listenAddress']!,
        insecure: opts.insecure !== undefined,
        externalURL: opts['web.externalUrl'],
        retention: opts['data.retention']!,
        logLevel: opts['log.level'] as LogLevel,
        logFormat: opts['log.format'] as LogFormat,
      });
    });
}
