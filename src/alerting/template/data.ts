/**
 * @module
 * The dot of a notification template, shaped as Alertmanager's `template.Data`: `.Receiver`,
 * `.Status`, `.Alerts` (with `.Firing` and `.Resolved`), `.GroupLabels`, `.CommonLabels`,
 * `.CommonAnnotations`, `.ExternalURL`; each alert's `.Labels`, `.Annotations`, `.StartsAt`,
 * `.EndsAt`, `.GeneratorURL`, `.Fingerprint`. Label sets are {@link KV}s with Alertmanager's
 * methods; times are {@link GoTime}s.
 */

import type { NotificationData } from '../notify/data.js';
import { GO_ZERO_MS, GoTime } from './time.js';

/** One label or annotation: `.Name` and `.Value`. */
export interface Pair {
  readonly Name: string;
  readonly Value: string;
}

/** A list of pairs with `.Names` and `.Values`, as Alertmanager's `Pairs`. */
export type Pairs = Pair[] & { Names(): string[]; Values(): string[] };

function pairs(list: Pair[]): Pairs {
  return Object.defineProperties(list, {
    Names: { value: () => list.map((p) => p.Name) },
    Values: { value: () => list.map((p) => p.Value) },
  }) as Pairs;
}

/**
 * A label or annotation set (Go's `map[string]string`): its entries are its own properties,
 * so `.CommonLabels.job` reads a label, and its methods are Alertmanager's.
 */
export class KV {
  [name: string]: unknown;

  /**
   * @example
   * new KV({ job: 'api', alertname: 'Down' }).SortedPairs().Names(); // ['alertname', 'job']
   */
  constructor(entries: Readonly<Record<string, string>>) {
    Object.assign(this, entries);
  }

  #entries(): [string, string][] {
    return Object.entries(this) as [string, string][];
  }

  /** The pairs sorted by name, except `alertname`, which comes first. */
  SortedPairs(): Pairs {
    const list = this.#entries()
      .sort(([a], [b]) => (a === 'alertname' ? -1 : b === 'alertname' ? 1 : a < b ? -1 : 1))
      .map(([Name, Value]) => ({ Name, Value }));
    return pairs(list);
  }

  /** The names, sorted. */
  Names(): string[] {
    return Object.keys(this).sort();
  }

  /** The values, in the order of their sorted names. */
  Values(): string[] {
    return this.Names().map((n) => this[n] as string);
  }

  /** A copy without the given names. */
  Remove(names: unknown): KV {
    const drop = new Set(Array.isArray(names) ? names.map(String) : [String(names)]);
    return new KV(Object.fromEntries(this.#entries().filter(([n]) => !drop.has(n))));
  }
}

export interface TemplateAlert {
  readonly Status: 'firing' | 'resolved';
  readonly Labels: KV;
  readonly Annotations: KV;
  readonly StartsAt: GoTime;
  readonly EndsAt: GoTime;
  readonly GeneratorURL: string;
  readonly Fingerprint: string;
}

/** The alerts of a notification, with `.Firing` and `.Resolved`. */
export type TemplateAlerts = TemplateAlert[] & {
  Firing(): TemplateAlert[];
  Resolved(): TemplateAlert[];
};

export interface TemplateData {
  readonly Receiver: string;
  readonly Status: 'firing' | 'resolved';
  readonly Alerts: TemplateAlerts;
  readonly GroupLabels: KV;
  readonly CommonLabels: KV;
  readonly CommonAnnotations: KV;
  readonly ExternalURL: string;
}

function goTimeOf(rfc3339: string): GoTime {
  return new GoTime(rfc3339.startsWith('0001-') ? GO_ZERO_MS : Date.parse(rfc3339));
}

/**
 * The template dot of a notification whose webhook form is `data`.
 *
 * @example
 * const dot = templateData(notificationData(ctx, alerts, externalURL));
 * dot.Alerts.Firing().length;
 */
export function templateData(data: NotificationData): TemplateData {
  const alerts = data.alerts.map((a): TemplateAlert => ({
    Status: a.status,
    Labels: new KV(a.labels),
    Annotations: new KV(a.annotations),
    StartsAt: goTimeOf(a.startsAt),
    EndsAt: goTimeOf(a.endsAt),
    GeneratorURL: a.generatorURL,
    Fingerprint: a.fingerprint,
  }));
  Object.defineProperties(alerts, {
    Firing: { value: () => alerts.filter((a) => a.Status === 'firing') },
    Resolved: { value: () => alerts.filter((a) => a.Status === 'resolved') },
  });
  return {
    Receiver: data.receiver,
    Status: data.status,
    Alerts: alerts as TemplateAlerts,
    GroupLabels: new KV(data.groupLabels),
    CommonLabels: new KV(data.commonLabels),
    CommonAnnotations: new KV(data.commonAnnotations),
    ExternalURL: data.externalURL,
  };
}
