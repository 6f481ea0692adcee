/**
 * @module
 * One Alertmanager: the alert store, routing tree, aggregation groups, inhibition, silences,
 * notification log and receivers of one alertmanager.yml, assembled and run as a lifecycle
 * {@link Component}, so `vigil alertmanager` runs it alone and `vigil server` can embed it.
 * State that must survive a restart (silences, the notification log) lives under `storageDir`;
 * alerts do not, as senders re-send the ones still firing (Prometheus every minute).
 */

import { basename, dirname, resolve } from 'node:path';
import type { Clock, Timer } from '../lib/clock/clock.js';
import type { Registry } from '../lib/instrument/index.js';
import type { Component } from '../lib/lifecycle/components.js';
import type { Logger } from '../lib/log/logger.js';
import { AlertStore } from './alerts.js';
import type { LoadedAlertmanagerConfig } from './config/load.js';
import { Dispatcher } from './dispatch.js';
import { Inhibitor } from './inhibit.js';
import { Marker } from './marker.js';
import { NotificationLog } from './nflog.js';
import type { Integration } from './notify/integration.js';
import { Pipeline } from './notify/pipeline.js';
import { EmailIntegration, resolveEmailConfig } from './notify/email.js';
import { SlackIntegration } from './notify/slack.js';
import { WebhookIntegration } from './notify/webhook.js';
import { NotificationTemplates } from './template/template.js';
import { Route } from './route.js';
import { DEFAULT_RETENTION_MS, Silences, silenceState } from './silences.js';
import type { TimePeriod } from './time-interval.js';

export interface AlertmanagerOptions {
  config: LoadedAlertmanagerConfig;
  /** Directory for silences.json and nflog.json. */
  storageDir: string;
  /**
   * The URL users reach this Alertmanager at, sent in notifications as `externalURL`; read at
   * each notification, as the listening port may be known only after start.
   */
  externalURL: () => string;
  clock: Clock;
  registry: Registry;
  logger: Logger;
  /** How long expired silences and notification log entries are kept (`--data.retention`). */
  retention?: number;
}

/** How often resolved alerts, old silences and old log entries are dropped (Alertmanager: 15m–30m). */
const MAINTENANCE_INTERVAL_MS = 15 * 60_000;

/** The parts built from one configuration, replaced whole by a reload. */
interface Parts {
  config: LoadedAlertmanagerConfig;
  templates: NotificationTemplates;
  route: Route;
  inhibitor: Inhibitor;
  receivers: ReadonlyMap<string, readonly Integration[]>;
  timeIntervals: ReadonlyMap<string, readonly TimePeriod[]>;
}

export class Alertmanager implements Component {
  readonly name = 'alertmanager';
  readonly clock: Clock;
  readonly store: AlertStore;
  readonly marker = new Marker();
  readonly silences: Silences;
  readonly nflog: NotificationLog;
  /** When the Alertmanager was opened, ms since the epoch. */
  readonly openedAt: number;
  #parts: Parts;
  readonly #pipeline: Pipeline;
  #dispatcher: Dispatcher;
  readonly #logger: Logger;
  readonly #externalURL: () => string;
  #maintenance: Timer | undefined;
  #started = false;
  #reloading: Promise<void> = Promise.resolve();

  /**
   * Reads the persisted state and assembles the parts; nothing runs until {@link start}.
   *
   * @throws {TemplateLoadError} when a template file does not parse.
   * @throws when the silences or the notification log cannot be read.
   * @example
   * const am = new Alertmanager({ config, storageDir, externalURL: () => url, clock: systemClock, registry, logger });
   * await am.start();
   */
  constructor(o: AlertmanagerOptions) {
    this.clock = o.clock;
    this.#logger = o.logger;
    this.#externalURL = o.externalURL;
    this.openedAt = o.clock.now();
    const retention = o.retention ?? DEFAULT_RETENTION_MS;
    this.store = new AlertStore(o.clock);
    this.store.onDelete((fp) => this.marker.delete(fp));
    this.#parts = this.#assemble(o.config);
    this.silences = Silences.open({
      dir: o.storageDir,
      clock: o.clock,
      retention,
      marker: this.marker,
    });
    this.nflog = NotificationLog.open({ dir: o.storageDir, clock: o.clock, retention });
    this.#pipeline = new Pipeline({
      receivers: this.#parts.receivers,
      inhibitor: this.#parts.inhibitor,
      silences: this.silences,
      timeIntervals: this.#parts.timeIntervals,
      nflog: this.nflog,
      clock: o.clock,
      registry: o.registry,
      logger: o.logger,
    });
    this.#dispatcher = new Dispatcher(this.route, this.store, o.clock, this.#pipeline.notify);
    this.#registerMetrics(o.registry);
  }

  /** The configuration in force. */
  get config(): LoadedAlertmanagerConfig {
    return this.#parts.config;
  }

  get route(): Route {
    return this.#parts.route;
  }

  get inhibitor(): Inhibitor {
    return this.#parts.inhibitor;
  }

  get receivers(): ReadonlyMap<string, readonly Integration[]> {
    return this.#parts.receivers;
  }

  get templates(): NotificationTemplates {
    return this.#parts.templates;
  }

  /** Builds what a configuration defines; throws, changing nothing, when a template is broken. */
  #assemble(config: LoadedAlertmanagerConfig): Parts {
    const cfg = config.config;
    const externalURL = this.#externalURL;
    const templates = NotificationTemplates.load(cfg.templates, dirname(resolve(config.file)), () =>
      this.clock.now(),
    );
    const receivers = new Map<string, Integration[]>();
    for (const r of cfg.receivers) {
      // Indexes count per kind, as Alertmanager's `<kind>[i]` names in logs and the nflog.
      const list: Integration[] = [];
      r.webhook_configs.forEach((w, i) => {
        list.push(new WebhookIntegration(w, i, externalURL));
      });
      r.email_configs.forEach((e, i) => {
        list.push(
          new EmailIntegration(resolveEmailConfig(e, cfg.global), i, templates, externalURL),
        );
      });
      r.slack_configs.forEach((c, i) => {
        list.push(new SlackIntegration(c, i, cfg.global, templates, externalURL));
      });
      receivers.set(r.name, list);
    }
    const timeIntervals = new Map<string, TimePeriod[]>();
    for (const t of [...cfg.time_intervals, ...cfg.mute_time_intervals]) {
      timeIntervals.set(t.name, t.time_intervals);
    }
    return {
      config,
      templates,
      route: new Route(cfg.route),
      inhibitor: new Inhibitor(cfg.inhibit_rules, this.store, this.marker, this.clock),
      receivers,
      timeIntervals,
    };
  }

  /**
   * Applies a new configuration, as Alertmanager's reload does: alerts, silences and the
   * notification log stay; groups are rebuilt under the new route tree (flushes in flight are
   * aborted first), and alerts older than group_wait are flushed at once, the notification log
   * keeping what was already sent from being sent again.
   *
   * @throws {TemplateLoadError} when a template file does not parse; the old configuration stays.
   * @example
   * await am.reload(loadAlertmanagerConfig('alertmanager.yml'));
   */
  reload(config: LoadedAlertmanagerConfig): Promise<void> {
    const run = this.#reloading.then(async () => {
      const parts = this.#assemble(config);
      await this.#dispatcher.stop();
      this.#parts.inhibitor.close();
      this.#parts = parts;
      this.#pipeline.reconfigure(parts);
      this.#dispatcher = new Dispatcher(parts.route, this.store, this.clock, this.#pipeline.notify);
      if (this.#started) this.#dispatcher.start();
      this.#logger.info('configuration reloaded', {
        config: basename(config.file),
        receivers: parts.receivers.size,
      });
    });
    this.#reloading = run.catch(() => {});
    return run;
  }

  async start(): Promise<void> {
    this.#started = true;
    this.#dispatcher.start();
    this.#scheduleMaintenance();
    this.#logger.info('alertmanager started', {
      config: basename(this.config.file),
      receivers: this.receivers.size,
    });
  }

  async stop(): Promise<void> {
    this.#started = false;
    await this.#reloading;
    this.#maintenance?.cancel();
    await this.#dispatcher.stop();
    await this.nflog.flushed();
  }

  /** The aggregation groups, for `/api/v2/alerts/groups`. */
  groups() {
    return this.#dispatcher.groups();
  }

  /**
   * Resolves once the flushes in flight now have finished: their notifications delivered (or
   * given up) and logged. For tests and benchmarks on a manual clock.
   */
  settled(): Promise<void> {
    return this.#dispatcher.settled();
  }

  /** Runs garbage collection of alerts, silences and the notification log now. */
  maintain(): void {
    const alerts = this.store.gc();
    const silences = this.silences.gc();
    const entries = this.nflog.gc();
    this.#logger.debug('maintenance done', { alerts, silences, nflog_entries: entries });
  }

  #scheduleMaintenance(): void {
    this.#maintenance = this.clock.setTimer(MAINTENANCE_INTERVAL_MS, () => {
      try {
        this.maintain();
      } catch (err) {
        this.#logger.error('maintenance failed', { err });
      }
      this.#scheduleMaintenance();
    });
  }

  #registerMetrics(registry: Registry): void {
    registry.gauge({
      name: 'alertmanager_alerts',
      help: 'How many alerts by state.',
      labelNames: ['state'],
      collect: (g) => {
        const now = this.clock.now();
        let active = 0;
        let suppressed = 0;
        for (const a of this.store.list()) {
          if (a.endsAt !== 0 && a.endsAt <= now) continue;
          if (this.marker.status(a.fingerprint).state === 'suppressed') suppressed++;
          else active++;
        }
        g.labels('active').set(active);
        g.labels('suppressed').set(suppressed);
      },
    });
    registry.gauge({
      name: 'alertmanager_silences',
      help: 'How many silences by state.',
      labelNames: ['state'],
      collect: (g) => {
        const now = this.clock.now();
        const n = { active: 0, pending: 0, expired: 0 };
        for (const s of this.silences.list()) n[silenceState(s, now)]++;
        for (const [state, v] of Object.entries(n)) g.labels(state).set(v);
      },
    });
    registry.gauge({
      name: 'alertmanager_nflog_entries',
      help: 'Entries in the notification log.',
      collect: (g) => g.set(this.nflog.size),
    });
  }
}
