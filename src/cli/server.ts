/**
 * @module
 * `vigil server`: builds the all-in-one server from its parts and runs it until a signal.
 * Order matters and is the point of this file: HTTP listens first (so `/-/healthy` answers while
 * stores replay), components start, then `/-/ready` turns 200. On SIGTERM/SIGINT the server
 * stops accepting, drains, stops components in reverse and releases the data directory.
 */

import { hostname } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { ConfigError } from '../config/errors.js';
import { loadConfig, type LoadedConfig } from '../config/load.js';
import { printConfig } from '../config/print.js';
import {
  formatListenAddress,
  parseListenAddress,
  type ListenAddress,
} from '../config/listen-address.js';
import { buildInfo } from '../lib/buildinfo.js';
import { takeDataDirectory } from './data-dir.js';
import { Registry, registerProcessMetrics } from '../lib/instrument/index.js';
import { Components } from '../lib/lifecycle/components.js';
import { Logger, type LogFormat, type LogLevel } from '../lib/log/logger.js';
import { MemoryMetadataStore } from '../metrics/storage/metadata.js';
import { Tsdb } from '../metrics/tsdb/db.js';
import { headCardinality } from '../metrics/tsdb/head/head-stats.js';
import { registerTsdbMetrics } from '../metrics/tsdb/metrics.js';
import { registerRemoteWriteMetrics } from '../metrics/remote/send/metrics.js';
import { RemoteWrite } from '../metrics/remote/send/remote-write.js';
import { ScrapeManager } from '../metrics/scrape/manager.js';
import { PushStore } from '../metrics/pushgateway/store.js';
import { registerExporters } from '../metrics/exporter/index.js';
import { builtinJobs, loopbackFor, selfClient } from './server-scrape.js';
import { AgentRegistry } from '../server/agents.js';
import { createHttpServer } from '../server/http.js';
import { openLocalStore, type LocalLogStore } from '../logs/store/local/store.js';
import { retentionRuleFor, type RetentionRule } from '../logs/store/local/retention.js';
import type { StatusSource } from '../server/status.js';
import { registerBuildMetrics, ConfigReloader } from './server-reload.js';
import { uiDirectory, uiUrl } from './server-ui.js';
import { defaultExternalURL, ServerRules } from './server-rules.js';
import { openServerAuth } from './server-auth.js';
import { ServerAlertmanager } from './server-alertmanager.js';
import { DashboardStore } from '../dashboards/store.js';
import { SavedSearchStore } from '../saved-searches/store.js';
import { provisionDashboards } from '../dashboards/provisioning.js';
import { readLocalAgentConfig, startLocalAgent, type LocalAgent } from './server-agent.js';

export interface ServerFlags {
  listen: string | undefined;
  dataDir: string;
  config: string | undefined;
  logLevel: LogLevel | undefined;
  logFormat: LogFormat | undefined;
  /** The first admin's password, read when auth is on and no user exists yet. */
  adminPasswordFile?: string | undefined;
  /** Allow a non-loopback listen address without authentication. */
  insecure?: boolean;
  /** False: no log agent inside the server, whatever `server.local_agent.enabled` says. */
  localAgent?: boolean;
}

/** Runs the server until it is told to stop; resolves with the process exit code. */
export async function runServer(flags: ServerFlags): Promise<number> {
  const startTime = Date.now();
  let loaded: LoadedConfig;
  try {
    loaded = loadConfig(flags.config ?? null);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`vigil: invalid configuration:\n${err.message}\n`);
    return 1;
  }
  let listen: ListenAddress = loaded.config.server.listen;
  if (flags.listen !== undefined) {
    const parsed = parseListenAddress(flags.listen);
    if (typeof parsed === 'string') {
      process.stderr.write(`vigil: --listen: ${parsed}\n`);
      return 1;
    }
    listen = parsed;
  }
  const log = new Logger({
    level: flags.logLevel ?? loaded.config.log.level,
    format: flags.logFormat ?? loaded.config.log.format,
  });

  const dataDir = resolve(flags.dataDir);
  const lock = takeDataDirectory(dataDir, log);
  if (lock === null) return 1;

  const auth = await openServerAuth(loaded.config.server, listen, dataDir, flags, log);
  if (auth === null) {
    lock.release();
    return 1;
  }

  let pushStore: PushStore;
  try {
    pushStore = PushStore.open({ dir: join(dataDir, 'pushgateway') });
  } catch (err) {
    log.error('cannot open the pushgateway store', { err });
    lock.release();
    return 1;
  }

  const registry = new Registry();
  const stopProcessMetrics = registerProcessMetrics(registry);
  const exporter = new Registry();
  const exporterLog = log.child({ component: 'exporter' });
  registerExporters(exporter, {
    onError: (collector, err) => exporterLog.warn('collector failed', { collector, err }),
  });
  registerBuildMetrics(registry);
  const reloader = new ConfigReloader(loaded, log, registry, flags);
  let rules: ServerRules;
  try {
    rules = new ServerRules(
      reloader,
      log.child({ component: 'rules' }),
      () => defaultExternalURL(app.server.address()),
      registry,
    );
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`vigil: invalid rule files:\n${err.message}\n`);
    stopProcessMetrics();
    await pushStore.close();
    lock.release();
    return 1;
  }
  let alertmanager: ServerAlertmanager | null;
  try {
    alertmanager = ServerAlertmanager.open(
      loaded,
      dataDir,
      registry,
      log.child({ component: 'alertmanager' }),
      () => defaultExternalURL(app.server.address()),
    );
  } catch (err) {
    const what =
      err instanceof ConfigError
        ? 'invalid alertmanager configuration'
        : 'cannot open the alertmanager';
    process.stderr.write(`vigil: ${what}:\n${(err as Error).message}\n`);
    stopProcessMetrics();
    await pushStore.close();
    lock.release();
    return 1;
  }
  const components = new Components();
  let shuttingDown = false;
  let tsdb: Tsdb | null = null;
  registerTsdbMetrics(registry, () => tsdb);
  let remoteWrite: RemoteWrite | null = null;
  let scrape: ScrapeManager | null = null;
  let logStore: LocalLogStore | null = null;
  registerRemoteWriteMetrics(registry, () => remoteWrite?.queues ?? []);

  const status: StatusSource = {
    buildInfo: buildInfo(),
    runtimeInfo: () => ({
      startTime,
      CWD: process.cwd(),
      hostname: hostname(),
      pid: process.pid,
      dataDir,
      configFile: reloader.current.file,
      reloadConfigSuccess: reloader.lastReloadSuccessful,
      lastConfigTime: reloader.lastSuccessTime,
    }),
    ready: () => !shuttingDown && components.ready,
    components: () => components.status(),
    flags: () => ({
      listen: formatListenAddress(listen),
      'data-dir': flags.dataDir,
      config: flags.config ?? '',
      'log.level': log.level,
      'log.format': log.format,
      'admin-password-file': flags.adminPasswordFile ?? '',
      insecure: String(flags.insecure === true),
      'local-agent': String(flags.localAgent !== false),
    }),
    configYaml: () => printConfig(reloader.current.config),
    tsdb: (limit) => (tsdb === null ? null : headCardinality(tsdb.head, limit)),
  };

  const metadataConfig = loaded.config.storage.metrics.metadata;
  const metadata = new MemoryMetadataStore({
    forgetAfter: metadataConfig.forget_after,
    maxMetrics: metadataConfig.max_metrics,
    maxEntriesPerMetric: metadataConfig.max_entries_per_metric,
  });

  let dashboards: DashboardStore | null = null;
  let savedSearches: SavedSearchStore | null = null;
  const logRetention: RetentionRule[] = loaded.config.storage.logs.retention.map((r) => ({
    indices: r.indices,
    ...(r.max_age > 0 ? { maxAgeMs: r.max_age } : {}),
    ...(r.max_size > 0 ? { maxBytes: r.max_size } : {}),
  }));

  const uiDir = uiDirectory();
  if (uiDir === null) log.warn('web app not built; serving APIs only (run npm run build)');
  const agents = new AgentRegistry();
  const app = await createHttpServer({
    config: loaded.config.server,
    logger: log.child({ component: 'http' }),
    registry,
    status,
    // Read per request: the TSDB opens after HTTP listens, and remote write answers 503 until then.
    appendable: () => tsdb,
    queryable: () => tsdb,
    metadata,
    targets: () => scrape?.targetPools() ?? [],
    ruleGroups: () => rules.groups,
    pushgateway: pushStore,
    exporter,
    query: loaded.config.query,
    agents,
    dashboards: () => dashboards,
    savedSearches: () => savedSearches,
    logs: {
      store: () => logStore,
      lokiIndex: loaded.config.storage.logs.loki_index,
      retentionOf: (index) => retentionRuleFor(index, logRetention),
    },
    uiDir,
    auth: auth.http,
    ...(auth.tls === undefined ? {} : { tls: auth.tls }),
  });
  await alertmanager?.register(app, registry, log.child({ component: 'alertmanager-api' }));
  alertmanager?.followReloads(reloader, log.child({ component: 'alertmanager' }));
  let closing: Promise<void> | undefined;
  const closeHttp = () => (closing ??= app.close());
  components.add({
    name: 'http',
    start: async () => {
      await app.listen({ host: listen.host === '' ? '::' : listen.host, port: listen.port });
      auth.watchTls(app.server);
      const bound = app.server.address();
      log.info('listening', {
        address:
          typeof bound === 'object' && bound !== null
            ? formatListenAddress({ host: bound.address, port: bound.port })
            : bound,
      });
    },
    stop: async () => {
      auth.stop();
      await closeHttp();
    },
  });

  const metricsConfig = loaded.config.storage.metrics;
  components.add({
    name: 'tsdb',
    start: async () => {
      tsdb = Tsdb.open(join(dataDir, 'metrics'), {
        blockDuration: metricsConfig.block_duration,
        retention: metricsConfig.retention,
        retentionSize: metricsConfig.retention_size,
        walSync: metricsConfig.wal_sync,
        walSegmentSize: metricsConfig.wal_segment_size,
        logger: log.child({ component: 'tsdb' }),
      });
      tsdb.start();
    },
    stop: async () => {
      await tsdb?.close();
    },
  });

  const logsConfig = loaded.config.storage.logs;
  components.add({
    name: 'logs',
    start: async () => {
      logStore = await openLocalStore(join(dataDir, 'logs'), {
        fieldLimit: logsConfig.field_limit,
        maxDocBytes: logsConfig.max_document_size,
        maxDocsScanned: logsConfig.max_docs_scanned,
        queryTimeoutMs: logsConfig.query_timeout,
        retention: logRetention,
      });
    },
    stop: async () => {
      await logStore?.close();
    },
  });

  const localAgentConfig = loaded.config.server.local_agent;
  if (flags.localAgent !== false && localAgentConfig.enabled) {
    const configDir = loaded.file === null ? process.cwd() : dirname(resolve(loaded.file));
    const agentLog = log.child({ component: 'local-agent' });
    let localAgent: LocalAgent | null = null;
    let reloading = Promise.resolve();
    components.add({
      name: 'local-agent',
      start: async () => {
        localAgent = await startLocalAgent(localAgentConfig, {
          configDir,
          dataDir,
          registry,
          writer: logStore!,
          agents,
          log: agentLog,
        });
      },
      stop: async () => {
        await reloading;
        await localAgent?.stop();
      },
    });
    // A bad agent.yml refuses the server's reload, as a bad rule file does.
    reloader.onValidate((next) => {
      const settings = next.config.server.local_agent;
      if (settings.enabled) readLocalAgentConfig(settings, configDir);
    });
    reloader.onReload((next) => {
      const settings = next.config.server.local_agent;
      reloading = reloading
        .then(() => localAgent?.reload(settings))
        .catch((err: unknown) => agentLog.error('cannot reload the local log agent', { err }));
    });
  }

  components.add({
    name: 'dashboards',
    start: async () => {
      const dashLog = log.child({ component: 'dashboards' });
      const store = DashboardStore.open(join(dataDir, 'dashboards'), {
        onBadFile: (file, err) => dashLog.error('cannot load dashboard', { file, err }),
      });
      const { provisioning_dir: dir, builtin } = loaded.config.dashboards;
      const base = loaded.file === null ? process.cwd() : dirname(resolve(loaded.file));
      const result = provisionDashboards(store, {
        dir: dir === '' ? '' : resolve(base, dir),
        builtin,
      });
      for (const f of result.failed) {
        dashLog.error('cannot provision dashboard', { file: f.file, err: f.error });
      }
      if (dir !== '')
        dashLog.info('provisioned dashboards', { dir, uids: result.loaded.join(',') });
      dashboards = store;
    },
    stop: async () => {},
  });

  components.add({
    name: 'saved-searches',
    start: async () => {
      savedSearches = SavedSearchStore.open(dataDir);
    },
    stop: async () => {},
  });

  components.add({
    name: 'remote-write',
    start: async () => {
      remoteWrite = new RemoteWrite({
        feed: tsdb!.feed,
        dir: join(dataDir, 'metrics', 'remote-write'),
        log: log.child({ component: 'remote-write' }),
      });
      await remoteWrite.apply(
        reloader.current.config.remote_write,
        reloader.current.config.global.external_labels,
      );
    },
    stop: async () => {
      await remoteWrite?.stop();
    },
  });
  const scrapeSettings = (l: LoadedConfig) => {
    const bound = app.server.address();
    const self =
      typeof bound === 'object' && bound !== null
        ? formatListenAddress({ host: loopbackFor(bound.address), port: bound.port })
        : null;
    const jobs = l.config.scrape_configs;
    return {
      global: l.config.global,
      scrape_configs:
        l.config.server.builtin_scrape_jobs && self !== null
          ? [...builtinJobs(self, jobs, auth.selfScrape), ...jobs]
          : jobs,
      configDir: l.file === null ? process.cwd() : dirname(resolve(l.file)),
    };
  };
  components.add({
    name: 'scrape',
    start: async () => {
      scrape = new ScrapeManager({
        appendable: tsdb!,
        metadata,
        log: log.child({ component: 'scrape' }),
        registry,
      });
      await scrape.apply(scrapeSettings(reloader.current));
    },
    stop: async () => {
      await scrape?.stop();
    },
  });
  if (alertmanager !== null) {
    // Started after HTTP listens, so the notifier's loopback URL has its port.
    components.add(
      alertmanager.component(() => {
        const self = auth.selfScrape;
        const target = ServerAlertmanager.alertsURL(app.server.address(), self.tls);
        if (target !== null) rules.sendToBuiltin(target, selfClient(self));
      }),
    );
  }
  components.add(rules.component(() => tsdb!, loaded.config.query));
  components.add({
    name: 'pushgateway',
    start: async () => {},
    stop: () => pushStore.close(),
  });
  reloader.onReload((next) => {
    scrape?.apply(scrapeSettings(next)).catch((err: unknown) => {
      log.error('cannot apply scrape configuration', { err });
    });
  });
  reloader.onReload((next) => {
    remoteWrite
      ?.apply(next.config.remote_write, next.config.global.external_labels)
      .catch((err: unknown) => {
        log.error('cannot apply remote_write configuration', { err });
      });
  });

  const stopped = new Promise<number>((resolveExit) => {
    const shutdown = async (signal: string) => {
      if (shuttingDown) {
        log.warn('already shutting down', { signal });
        return;
      }
      shuttingDown = true;
      log.info('shutting down', { signal });
      const timer = setTimeout(() => {
        log.error('shutdown timed out; exiting', {
          timeout: loaded.config.server.shutdown_timeout,
        });
        lock.release();
        resolveExit(1);
      }, loaded.config.server.shutdown_timeout);
      // Stop accepting first, so nothing new arrives while components flush.
      await closeHttp();
      const errors = await components.stopAll();
      for (const err of errors) log.error('stop failed', { err });
      stopProcessMetrics();
      clearTimeout(timer);
      lock.release();
      log.info('stopped');
      resolveExit(errors.length > 0 ? 1 : 0);
    };
    process.on('SIGTERM', () => void shutdown('SIGTERM'));
    process.on('SIGINT', () => void shutdown('SIGINT'));
    process.on('SIGHUP', () => reloader.reload());
  });

  try {
    await components.startAll();
  } catch (err) {
    log.error('cannot start', { err });
    stopProcessMetrics();
    lock.release();
    return 1;
  }
  log.info('Vigil is ready', {
    version: buildInfo().version,
    url: uiUrl(app.server.address(), listen, auth.tls !== undefined),
    data_dir: dataDir,
    config: loaded.file ?? '(built-in defaults)',
  });
  return stopped;
}
