/**
 * @module
 * `vigil exporter`: serves the built-in host and cgroup exporters on `/metrics`, for nodes that
 * run no Vigil server (a DaemonSet, or a host next to an existing Prometheus).
 *
 * It uses `node:http` rather than fastify: it has one read-only route, no auth, no body parsing
 * and no plugins, so fastify's routing and schema machinery would add startup time and memory to
 * a per-node process without doing anything for it. `vigil server` keeps fastify and can add the
 * same collectors to its registry with `registerExporters`.
 */
import { createServer } from 'node:http';
import { formatListenAddress, parseListenAddress } from '../config/listen-address.js';
import { Registry, registerProcessMetrics } from '../lib/instrument/index.js';
import { Logger, type LogFormat, type LogLevel } from '../lib/log/logger.js';
import { registerExporters, type ExporterOptions } from '../metrics/exporter/index.js';
import { serveMetrics } from './metrics-http.js';

export interface ExporterFlags {
  listen: string;
  procPath: string;
  sysPath: string;
  cgroupRoot: string;
  /** Comma-separated collector names; all when undefined. */
  collectors?: string;
  mountPointsExclude?: string;
  fsTypesExclude?: string;
  diskDeviceExclude?: string;
  netdevDeviceExclude?: string;
  logLevel?: LogLevel;
  logFormat?: LogFormat;
}

/**
 * Runs until SIGTERM or SIGINT; resolves with the exit code (1 for bad flags or a failed listen).
 *
 * @example
 * process.exitCode = await runExporter({ listen: '127.0.0.1:9701', procPath: '/proc', sysPath: '/sys', cgroupRoot: '/sys/fs/cgroup' });
 */
export async function runExporter(flags: ExporterFlags): Promise<number> {
  const log = new Logger({ level: flags.logLevel, format: flags.logFormat });
  const listen = parseListenAddress(flags.listen);
  if (typeof listen === 'string') {
    log.error(`--listen: ${listen}`);
    return 1;
  }
  const registry = new Registry();
  const stopProcessMetrics = registerProcessMetrics(registry);
  try {
    registerExporters(registry, exporterOptions(flags, log));
  } catch (err) {
    log.error('cannot register exporters', { err });
    stopProcessMetrics();
    return 1;
  }

  const server = createServer((req, res) =>
    serveMetrics(registry, log, 'Vigil exporter', req, res),
  );
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(listen.port, listen.host === '' ? '::' : listen.host, resolve);
    });
  } catch (err) {
    log.error('cannot listen', { err, address: flags.listen });
    stopProcessMetrics();
    return 1;
  }
  const bound = server.address();
  log.info('listening', {
    address:
      typeof bound === 'object' && bound !== null
        ? formatListenAddress({ host: bound.address, port: bound.port })
        : bound,
  });

  return new Promise<number>((resolveExit) => {
    const shutdown = (signal: string) => {
      log.info('shutting down', { signal });
      server.close(() => {
        stopProcessMetrics();
        resolveExit(0);
      });
      // Keep-alive connections from scrapers would otherwise hold close() open until they idle out.
      server.closeIdleConnections();
    };
    process.once('SIGTERM', () => shutdown('SIGTERM'));
    process.once('SIGINT', () => shutdown('SIGINT'));
  });
}

function exporterOptions(flags: ExporterFlags, log: Logger): ExporterOptions {
  const regex = (s: string | undefined) => (s === undefined ? undefined : new RegExp(s));
  const collectorLog = log.child({ component: 'exporter' });
  return {
    procPath: flags.procPath,
    sysPath: flags.sysPath,
    cgroupRoot: flags.cgroupRoot,
    collectors: flags.collectors?.split(',').map((c) => c.trim()),
    filesystem: {
      mountPointsExclude: regex(flags.mountPointsExclude),
      fsTypesExclude: regex(flags.fsTypesExclude),
    },
    diskstats: { deviceExclude: regex(flags.diskDeviceExclude) },
    netdev: { deviceExclude: regex(flags.netdevDeviceExclude) },
    onError: (collector, err) => collectorLog.warn('collector failed', { collector, err }),
  };
}
