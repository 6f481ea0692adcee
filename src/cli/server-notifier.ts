/**
 * @module
 * Where `vigil server` sends its rules' alerts: the Alertmanagers of `alerting.alertmanagers`,
 * found by their `static_configs`, `file_sd_configs` or `kubernetes_sd_configs` (a discovered
 * target's `__scheme__` and `__alerts_path__` labels override the entry's scheme and path),
 * each entry with its own HTTP client settings, plus the built-in Alertmanager. Discovery runs
 * from {@link ServerNotifier.start} to {@link ServerNotifier.stop} and follows reloads.
 */

import { dirname, resolve } from 'node:path';
import type { LoadedConfig } from '../config/load.js';
import { HttpClient } from '../lib/http-client/client.js';
import type { Registry } from '../lib/instrument/index.js';
import type { Logger } from '../lib/log/logger.js';
import {
  DiscoveryManager,
  discoverers,
  discoveryFingerprint,
  fileSDMetrics,
  type Discoverer,
  type TargetSets,
} from '../metrics/discovery/index.js';
import { registerNotifierMetrics } from '../metrics/notifier/metrics.js';
import {
  Notifier,
  type AlertmanagerTarget,
  type NotifierAlert,
} from '../metrics/notifier/notifier.js';
import type { ConfigReloader } from './server-reload.js';

/** Loopback requests to the server itself; a stuck one is a bug, not a slow network. */
const BUILTIN_TIMEOUT_MS = 10_000;

/** The discovery job name of `alerting.alertmanagers[i]`. */
const jobName = (i: number) => `alertmanagers/${i}`;

interface Entry {
  scheme: string;
  pathPrefix: string;
  timeout: number;
  /** null when its TLS files could not be read: the entry is left out. */
  client: HttpClient | null;
}

export class ServerNotifier {
  readonly #notifier: Notifier;
  readonly #discovery: DiscoveryManager;
  readonly #log: Logger;
  readonly #fileMetrics = fileSDMetrics();
  #entries: Entry[] = [];
  #config: LoadedConfig;
  #targets: TargetSets = new Map();
  #builtin: string | null = null;
  #builtinClient: HttpClient | undefined;
  #started = false;

  /**
   * @example
   * const notifier = new ServerNotifier(reloader, log, registry);
   * await notifier.start(); notifier.send(alerts);
   */
  constructor(reloader: ConfigReloader, log: Logger, registry: Registry) {
    this.#log = log;
    this.#config = reloader.current;
    this.#notifier = new Notifier(log.child({ component: 'notifier' }));
    registerNotifierMetrics(registry, this.#notifier);
    this.#discovery = new DiscoveryManager({ log: log.child({ component: 'notifier-discovery' }) });
    this.#discovery.subscribe((sets) => {
      this.#targets = sets;
      this.#apply();
    });
    reloader.onReload((next) => {
      this.#config = next;
      if (this.#started) this.#discover();
      this.#apply();
    });
  }

  /** Queues alerts for every Alertmanager; returns at once. */
  send(alerts: NotifierAlert[]): void {
    this.#notifier.send(alerts);
  }

  /** Sends to the Alertmanager built into the server too, at its `/api/v2/alerts` URL. */
  sendToBuiltin(alertsURL: string, client?: HttpClient): void {
    this.#builtin = alertsURL;
    this.#builtinClient = client;
    this.#apply();
  }

  /** Starts discovering the configured Alertmanagers. */
  start(): void {
    this.#started = true;
    this.#discover();
  }

  /** Stops discovery and sends what is queued. */
  async stop(): Promise<void> {
    this.#started = false;
    await this.#discovery.stop();
    await this.#notifier.stop();
  }

  #discover(): void {
    const { config, file } = this.#config;
    const configDir = file === null ? process.cwd() : dirname(resolve(file));
    const ctx = { configDir, log: this.#log, fileMetrics: this.#fileMetrics };
    const jobs = new Map<string, Discoverer[]>();
    const prints = new Map<string, string>();
    config.alerting.alertmanagers.forEach((am, i) => {
      jobs.set(jobName(i), discoverers(am, ctx));
      prints.set(jobName(i), discoveryFingerprint(am, configDir));
    });
    this.#entries = config.alerting.alertmanagers.map((am, i) => {
      let client: HttpClient | null = null;
      try {
        // Reads the TLS files now: an unreadable one leaves this entry out, said once.
        client = new HttpClient(am);
      } catch (err) {
        this.#log.error('cannot send to alerting.alertmanagers entry; it is left out', {
          index: i,
          err,
        });
      }
      return { scheme: am.scheme, pathPrefix: am.path_prefix, timeout: am.timeout, client };
    });
    this.#discovery.apply(jobs, prints);
  }

  #apply(): void {
    const { alerting, global } = this.#config.config;
    const targets: AlertmanagerTarget[] = [];
    if (this.#builtin !== null) {
      targets.push({
        url: this.#builtin,
        timeout: BUILTIN_TIMEOUT_MS,
        ...(this.#builtinClient === undefined ? {} : { client: this.#builtinClient }),
      });
    }
    this.#entries.forEach((entry, i) => {
      if (entry.client === null) return;
      for (const group of this.#targets.get(jobName(i)) ?? []) {
        for (const target of group.targets) {
          const labels = { ...group.labels, ...target };
          const address = labels['__address__'];
          if (address === undefined || address === '') continue;
          const scheme = labels['__scheme__'] ?? entry.scheme;
          const path =
            labels['__alerts_path__'] ?? `${entry.pathPrefix.replace(/\/$/, '')}/api/v2/alerts`;
          targets.push({
            url: `${scheme}://${address}${path}`,
            timeout: entry.timeout,
            client: entry.client,
          });
        }
      }
    });
    this.#notifier.apply({
      externalLabels: global.external_labels,
      relabel: alerting.alert_relabel_configs,
      alertmanagers: targets,
      // Until discovery's first update (one per start or reload's new jobs) has every entry.
      discovering: this.#entries.some(
        (e, i) => e.client !== null && !this.#targets.has(jobName(i)),
      ),
    });
  }
}
