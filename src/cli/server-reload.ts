/**
 * @module
 * SIGHUP: re-reads the configuration file. A file with problems is reported (with positions)
 * and the configuration in force keeps running; the outcome is exposed as the metrics
 * Prometheus users alert on (`…_config_last_reload_successful`).
 */

import { ConfigError } from '../config/errors.js';
import { loadConfig, type LoadedConfig } from '../config/load.js';
import { printConfig } from '../config/print.js';
import { buildInfo } from '../lib/buildinfo.js';
import type { Gauge, Registry } from '../lib/instrument/index.js';
import type { Logger } from '../lib/log/logger.js';
import type { ServerFlags } from './server.js';

/** `vigil_build_info{version,revision,branch,nodeversion} 1`, the usual build-info idiom. */
export function registerBuildMetrics(registry: Registry): void {
  const info = buildInfo();
  registry
    .gauge({
      name: 'vigil_build_info',
      help: 'A metric with a constant 1 value labeled by the build of this Vigil server.',
      labelNames: ['version', 'revision', 'branch', 'nodeversion'],
    })
    .labels(info.version, info.revision, info.branch, info.nodeVersion)
    .set(1);
}

export class ConfigReloader {
  #current: LoadedConfig;
  #lastSuccessTime = Date.now();
  #lastReloadSuccessful = true;
  readonly #root: Logger;
  readonly #log: Logger;
  readonly #flags: ServerFlags;
  readonly #successful: Gauge;
  readonly #successTime: Gauge;
  readonly #appliers: ((next: LoadedConfig) => void)[] = [];
  readonly #checks: ((next: LoadedConfig) => void)[] = [];

  constructor(initial: LoadedConfig, log: Logger, registry: Registry, flags: ServerFlags) {
    this.#current = initial;
    this.#root = log;
    this.#log = log.child({ component: 'config' });
    this.#flags = flags;
    this.#successful = registry.gauge({
      name: 'vigil_config_last_reload_successful',
      help: 'Whether the last configuration reload attempt was successful.',
    });
    this.#successTime = registry.gauge({
      name: 'vigil_config_last_reload_success_timestamp_seconds',
      help: 'Timestamp of the last successful configuration reload.',
    });
    this.#successful.set(1);
    this.#successTime.set(this.#lastSuccessTime / 1000);
  }

  get current(): LoadedConfig {
    return this.#current;
  }

  get lastReloadSuccessful(): boolean {
    return this.#lastReloadSuccessful;
  }

  get lastSuccessTime(): number {
    return this.#lastSuccessTime;
  }

  /** Re-reads the file; returns whether the new configuration is now in force. */
  reload(): boolean {
    const file = this.#current.file;
    if (file === null) {
      this.#log.info('no configuration file to reload; running on built-in defaults');
      return true;
    }
    let next: LoadedConfig;
    try {
      next = loadConfig(file);
      for (const check of this.#checks) check(next);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      this.#lastReloadSuccessful = false;
      this.#successful.set(0);
      this.#log.error('cannot reload configuration; keeping the previous one', {
        file,
        err: err.message,
      });
      return false;
    }
    this.#apply(next);
    this.#current = next;
    this.#lastReloadSuccessful = true;
    this.#lastSuccessTime = Date.now();
    this.#successful.set(1);
    this.#successTime.set(this.#lastSuccessTime / 1000);
    this.#log.info('configuration reloaded', { file });
    return true;
  }

  /**
   * Registers a check a new configuration must pass before anything applies it (rule files
   * must parse); it throws a {@link ConfigError} to refuse the reload.
   */
  onValidate(check: (next: LoadedConfig) => void): void {
    this.#checks.push(check);
  }

  /** Registers what a successful reload applies besides logging, such as remote write. */
  onReload(apply: (next: LoadedConfig) => void): void {
    this.#appliers.push(apply);
  }

  #apply(next: LoadedConfig): void {
    const { log, remote_write, rule_files } = next.config;
    if (this.#flags.logLevel === undefined) this.#root.setLevel(log.level);
    if (this.#flags.logFormat === undefined) this.#root.setFormat(log.format);
    for (const apply of this.#appliers) apply(next);
    // The listener's address and limits, and the storage, are fixed when they are created.
    // alertmanager.config_file is re-read on every reload; the section's other keys are not.
    const alertmanager = {
      ...this.#current.config.alertmanager,
      config_file: next.config.alertmanager.config_file,
    };
    // server.local_agent.config is re-read by the local agent on every reload.
    const server = {
      ...this.#current.config.server,
      local_agent: {
        ...this.#current.config.server.local_agent,
        config: next.config.server.local_agent.config,
      },
    };
    const before = printConfig({
      ...this.#current.config,
      server,
      log,
      remote_write,
      rule_files,
      alertmanager,
    });
    const after = printConfig(next.config);
    if (before !== after) {
      this.#log.warn(
        'changes to the server, storage, query and alertmanager sections take effect after a restart',
        {
          file: next.file,
        },
      );
    }
  }
}
