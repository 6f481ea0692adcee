/**
 * @module
 * The Alertmanager inside `vigil server` (the `alertmanager` section): the same
 * {@link Alertmanager} `vigil alertmanager` runs, with its state under `<data-dir>/alertmanager`,
 * API v2 and health endpoints under `/alertmanager` (so `amtool
 * --alertmanager.url=http://host:port/alertmanager` works), and the loopback URL the server's
 * notifier sends rules' alerts to. Its alertmanager.yml is read at start and again on every
 * reload of vigil.yml (SIGHUP); a broken one refuses the reload.
 */

import { dirname, join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { Alertmanager } from '../alerting/alertmanager.js';
import { alertmanagerApi } from '../alerting/api/routes.js';
import {
  loadAlertmanagerConfig,
  parseAlertmanagerConfig,
  type LoadedAlertmanagerConfig,
} from '../alerting/config/load.js';
import type { LoadedConfig } from '../config/load.js';
import { formatListenAddress } from '../config/listen-address.js';
import { systemClock } from '../lib/clock/clock.js';
import type { Registry } from '../lib/instrument/index.js';
import type { Component } from '../lib/lifecycle/components.js';
import type { Logger } from '../lib/log/logger.js';
import type { ConfigReloader } from './server-reload.js';
import { loopbackFor } from './server-scrape.js';

/** Where the embedded Alertmanager is served. */
export const ALERTMANAGER_PREFIX = '/alertmanager';

/** The configuration without `config_file`: alerts are kept and shown, nobody is notified. */
const BUILTIN_CONFIG = `# Vigil's built-in default: set alertmanager.config_file in vigil.yml to notify someone.
route:
  receiver: default
receivers:
  - name: default
`;

const PLAIN = 'text/plain; charset=utf-8';

/**
 * The alertmanager.yml `loaded` names (relative to it), or the built-in one.
 *
 * @throws {ConfigError} when it is invalid.
 */
function readAlertmanagerConfig(loaded: LoadedConfig): LoadedAlertmanagerConfig {
  const name = loaded.config.alertmanager.config_file;
  if (name === '') {
    const file = '(built-in alertmanager.yml)';
    return {
      config: parseAlertmanagerConfig(BUILTIN_CONFIG, file),
      original: BUILTIN_CONFIG,
      file,
    };
  }
  const base = loaded.file === null ? process.cwd() : dirname(resolve(loaded.file));
  return loadAlertmanagerConfig(resolve(base, name));
}

export class ServerAlertmanager {
  readonly am: Alertmanager;
  #ready = false;

  /**
   * Reads the section's alertmanager.yml and the persisted state.
   *
   * @throws {ConfigError} when alertmanager.yml is invalid; other errors when the state or a
   * template file cannot be read.
   * @example
   * const am = ServerAlertmanager.open(loaded, dataDir, registry, log, () => 'http://host:9700');
   */
  static open(
    loaded: LoadedConfig,
    dataDir: string,
    registry: Registry,
    log: Logger,
    serverURL: () => string,
  ): ServerAlertmanager | null {
    const section = loaded.config.alertmanager;
    if (!section.enabled) return null;
    const config = readAlertmanagerConfig(loaded);
    const externalURL = () =>
      section.external_url !== ''
        ? section.external_url.replace(/\/$/, '')
        : `${serverURL()}${ALERTMANAGER_PREFIX}`;
    return new ServerAlertmanager(
      new Alertmanager({
        config,
        storageDir: join(dataDir, 'alertmanager'),
        externalURL,
        clock: systemClock,
        registry,
        logger: log,
        retention: section.retention,
      }),
    );
  }

  private constructor(am: Alertmanager) {
    this.am = am;
  }

  /**
   * Follows reloads of vigil.yml: a new configuration is refused when the alertmanager.yml it
   * names is invalid, and applied to the running Alertmanager when accepted.
   */
  followReloads(reloader: ConfigReloader, log: Logger): void {
    const parsed = new WeakMap<LoadedConfig, LoadedAlertmanagerConfig>();
    reloader.onValidate((next) => {
      if (next.config.alertmanager.enabled) parsed.set(next, readAlertmanagerConfig(next));
    });
    reloader.onReload((next) => {
      const config = parsed.get(next);
      if (config === undefined) return;
      this.am.reload(config).catch((err: unknown) => {
        log.error('cannot apply alertmanager.yml; the old one stays in force', { err });
      });
    });
  }

  /** Mounts API v2, `/-/healthy` and `/-/ready` under {@link ALERTMANAGER_PREFIX}. */
  async register(app: FastifyInstance, registry: Registry, log: Logger): Promise<void> {
    await app.register(alertmanagerApi, {
      prefix: `${ALERTMANAGER_PREFIX}/api/v2`,
      alertmanager: this.am,
      registry,
      logger: log,
    });
    app.get(`${ALERTMANAGER_PREFIX}/-/healthy`, (_req, reply) => reply.type(PLAIN).send('OK'));
    app.get(`${ALERTMANAGER_PREFIX}/-/ready`, (_req, reply) =>
      this.#ready
        ? reply.type(PLAIN).send('OK')
        : reply.code(503).type(PLAIN).send('Service Unavailable'),
    );
  }

  /** The URL the notifier posts to, on the loopback address of the server's listener. */
  static alertsURL(bound: unknown, tls = false): string | null {
    if (typeof bound !== 'object' || bound === null) return null;
    const { address, port } = bound as { address: string; port: number };
    const host = formatListenAddress({ host: loopbackFor(address), port });
    return `${tls ? 'https' : 'http'}://${host}${ALERTMANAGER_PREFIX}/api/v2/alerts`;
  }

  /** The lifecycle component; `started` runs once the Alertmanager takes alerts. */
  component(started: () => void): Component {
    return {
      name: 'alertmanager',
      start: async () => {
        await this.am.start();
        this.#ready = true;
        started();
      },
      stop: async () => {
        this.#ready = false;
        await this.am.stop();
      },
    };
  }
}
