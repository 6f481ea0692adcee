/**
 * @module
 * The rules part of `vigil server`: rule files read at start (invalid files stop the start, as
 * in Prometheus) and on every reload (invalid files refuse the reload and keep the rules in
 * force), the rule manager as a component evaluating them against the TSDB, and the notifier
 * that sends their alerts to `alerting.alertmanagers`.
 */

import type { HttpClient } from '../lib/http-client/client.js';
import { hostname } from 'node:os';
import { dirname, resolve } from 'node:path';
import type { LoadedConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import type { Logger } from '../lib/log/logger.js';
import type { Component } from '../lib/lifecycle/components.js';
import { Engine } from '../metrics/promql/engine.js';
import type { RuleGroupConfig } from '../metrics/rules/file.js';
import type { Group } from '../metrics/rules/group.js';
import { loadRuleFiles } from '../metrics/rules/load.js';
import { RuleManager, type RuleSettings } from '../metrics/rules/manager.js';
import { engineQueryFn } from '../metrics/rules/query.js';
import { ruleMetrics, type RuleMetrics } from '../metrics/rules/metrics.js';
import type { Registry } from '../lib/instrument/index.js';
import type { Tsdb } from '../metrics/tsdb/db.js';
import type { Alert, AlertingRule } from '../metrics/rules/alerting.js';
import type { ConfigReloader } from './server-reload.js';
import { ServerNotifier } from './server-notifier.js';

export class ServerRules {
  readonly #parsed = new WeakMap<LoadedConfig, RuleGroupConfig[]>();
  #manager: RuleManager | null = null;
  readonly #notifier: ServerNotifier;
  readonly #metrics: RuleMetrics;

  /**
   * Reads the rule files of the configuration in force.
   *
   * @throws {ConfigError} when one is invalid.
   */
  constructor(
    readonly reloader: ConfigReloader,
    readonly log: Logger,
    /** The URL templates see as `$externalURL`, known once HTTP listens. */
    readonly externalURL: () => string,
    registry: Registry,
  ) {
    this.#metrics = ruleMetrics(registry);
    this.#load(reloader.current);
    this.#notifier = new ServerNotifier(reloader, log, registry);
    reloader.onValidate((next) => this.#load(next));
    reloader.onReload((next) => {
      this.#manager?.update(this.#settings(next)).catch((err: unknown) => {
        log.error('cannot apply rule files', { err });
      });
    });
  }

  /**
   * Sends alerts to the Alertmanager built into the server too, at `alertsURL` (its
   * `/api/v2/alerts`), besides `alerting.alertmanagers`.
   */
  sendToBuiltin(alertsURL: string, client?: HttpClient): void {
    this.#notifier.sendToBuiltin(alertsURL, client);
  }

  #load(l: LoadedConfig): void {
    const base = l.file === null ? process.cwd() : dirname(resolve(l.file));
    this.#parsed.set(l, loadRuleFiles(l.config.rule_files, base));
  }

  #settings(l: LoadedConfig): RuleSettings {
    return {
      groups: this.#parsed.get(l) ?? [],
      evaluationInterval: l.config.global.evaluation_interval,
      context: { externalLabels: l.config.global.external_labels, externalURL: this.externalURL() },
    };
  }

  #notify(alerts: Alert[], rule: AlertingRule): void {
    // Go's url.QueryEscape, which Prometheus uses for the generator URL: every byte but
    // [A-Za-z0-9-_.~] escaped, spaces as '+'.
    const expr = encodeURIComponent(rule.config.expr)
      .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
      .replace(/%20/g, '+');
    const generatorURL = `${this.externalURL()}/graph?g0.expr=${expr}&g0.tab=1`;
    this.#notifier.send(
      alerts.map((a) => ({
        labels: a.labels,
        annotations: a.annotations,
        startsAt: a.firedAt,
        endsAt: a.resolvedAt !== 0 ? a.resolvedAt : a.validUntil,
        generatorURL,
      })),
    );
  }

  get groups(): readonly Group[] {
    return this.#manager?.groups ?? [];
  }

  /** The rule manager as a component; `tsdb` is read when it starts. */
  component(tsdb: () => Tsdb, query: Config['query']): Component {
    return {
      name: 'rules',
      start: async () => {
        this.#notifier.start();
        const db = tsdb();
        const engine = new Engine({
          lookbackDelta: query.lookback_delta,
          maxSamples: query.max_samples,
          timeout: query.timeout,
        });
        this.#manager = new RuleManager({
          query: engineQueryFn(engine, db),
          queryable: db,
          appendable: db,
          log: this.log,
          notify: (alerts, rule) => this.#notify(alerts, rule),
          metrics: this.#metrics,
        });
        await this.#manager.update(this.#settings(this.reloader.current));
      },
      stop: async () => {
        await this.#manager?.stop();
        await this.#notifier.stop();
      },
    };
  }
}

/** Prometheus' default external URL: `http://<hostname>:<port>`. */
export function defaultExternalURL(address: unknown): string {
  const port =
    typeof address === 'object' && address !== null ? (address as { port: number }).port : 0;
  return `http://${hostname()}:${port}`;
}
