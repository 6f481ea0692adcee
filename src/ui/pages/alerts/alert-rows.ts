/**
 * @module
 * The alerts the Alerts tab lists, and how each is found among the Alertmanager's alerts. Pure,
 * tested beside this file.
 */
import type { GettableAlert } from '../../api/responseTypes/alertmanager';
import type { RuleAlert, RuleGroup } from '../../api/responseTypes/rules';

/** An alert with the rule and group it came from. */
export interface RuleAlertRow {
  rule: string;
  group: string;
  alert: RuleAlert;
}

/**
 * The pending and firing alerts of all groups, firing first, otherwise in rule order.
 *
 * @example
 * activeAlerts(rules.groups).length;
 */
export function activeAlerts(groups: readonly RuleGroup[]): RuleAlertRow[] {
  const rows: RuleAlertRow[] = [];
  for (const group of groups) {
    for (const rule of group.rules) {
      if (rule.type !== 'alerting') continue;
      for (const alert of rule.alerts) {
        if (alert.state !== 'inactive') rows.push({ rule: rule.name, group: group.name, alert });
      }
    }
  }
  const rank = (r: RuleAlertRow) => (r.alert.state === 'firing' ? 0 : 1);
  // Array.prototype.sort is stable, so rule order survives within each state.
  return rows.sort((a, b) => rank(a) - rank(b));
}

/**
 * The Alertmanager's copy of a rule's alert. The sender adds external labels and applies
 * `alert_relabel_configs`, so the copy is the one whose labels include all of the rule's.
 *
 * @example
 * findHeldAlert(amAlerts, { alertname: 'Down', job: 'x' })?.status.silencedBy;
 */
export function findHeldAlert(
  held: readonly GettableAlert[],
  labels: Readonly<Record<string, string>>,
): GettableAlert | undefined {
  const entries = Object.entries(labels);
  return held.find((a) => entries.every(([k, v]) => a.labels[k] === v));
}

/**
 * The Alertmanager's alerts that none of `rows` accounts for: alerts other senders (another
 * Prometheus, a script posting to API v2) gave the Alertmanager.
 *
 * @example
 * alertsFromElsewhere(amAlerts, activeAlerts(rules.groups));
 */
export function alertsFromElsewhere(
  held: readonly GettableAlert[],
  rows: readonly RuleAlertRow[],
): GettableAlert[] {
  const mine = new Set<GettableAlert>();
  for (const row of rows) {
    const copy = findHeldAlert(held, row.alert.labels);
    if (copy !== undefined) mine.add(copy);
  }
  return held.filter((a) => !mine.has(a));
}
