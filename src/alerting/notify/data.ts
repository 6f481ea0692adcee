/**
 * @module
 * The data a notification is built from — Alertmanager's `template.Data`: the receiver, whether
 * anything still fires, each alert with its status, and the labels and annotations all alerts
 * share. The webhook sends it as JSON; templates read it as `.Status`, `.CommonLabels`…
 */

import type { NotifyContext } from '../group.js';
import { resolvedAt, type Alert } from '../model/alert.js';
import { commonLabels, sortedLabels } from '../model/labels.js';
import { goTime } from '../model/time.js';

export interface AlertData {
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Go's time.Time JSON form. */
  startsAt: string;
  endsAt: string;
  generatorURL: string;
  fingerprint: string;
}

export interface NotificationData {
  receiver: string;
  status: 'firing' | 'resolved';
  alerts: AlertData[];
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  externalURL: string;
}

/** Go's `regexp.QuoteMeta`, which Alertmanager applies to the receiver name here. */
function quoteMeta(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

/**
 * @example
 * const data = notificationData(ctx, alerts, 'http://am.example:9093');
 */
export function notificationData(
  ctx: NotifyContext,
  alerts: readonly Alert[],
  externalURL: string,
): NotificationData {
  const data: AlertData[] = alerts.map((a) => ({
    status: resolvedAt(a, ctx.now) ? 'resolved' : 'firing',
    labels: sortedLabels(a.labels),
    annotations: sortedLabels(a.annotations),
    startsAt: goTime(a.startsAt),
    endsAt: goTime(a.endsAt),
    generatorURL: a.generatorURL,
    fingerprint: a.fingerprint,
  }));
  return {
    receiver: quoteMeta(ctx.receiver),
    status: data.some((a) => a.status === 'firing') ? 'firing' : 'resolved',
    alerts: data,
    groupLabels: sortedLabels(ctx.groupLabels),
    commonLabels: sortedLabels(commonLabels(alerts.map((a) => a.labels))),
    commonAnnotations: sortedLabels(commonLabels(alerts.map((a) => a.annotations))),
    externalURL,
  };
}
