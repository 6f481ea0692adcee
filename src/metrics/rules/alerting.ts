/**
 * @module
 * An alerting rule and its alerts' life cycle, with Prometheus 2.42's semantics: each result
 * series is an alert, `pending` from its first evaluation and `firing` once it has been active
 * for `for`; an alert whose series is gone becomes `inactive` (resolved) unless it has been
 * firing and `keep_firing_for` has not yet run out since its series went away. Resolved alerts
 * are kept 15 minutes so they are sent as resolved. Each evaluation writes `ALERTS`
 * (`alertstate` pending or firing, value 1) and `ALERTS_FOR_STATE` (value: the alert's
 * `activeAt` in seconds), the series a restart restores `for` state from.
 */

import { Labels } from '../model/labels.js';
import type { RuleConfig } from './file.js';
import { newEvalRecord, type EvalRecord, type QueryFn, type RuleSample } from './rule.js';
import { expandAlertTemplate } from './template.js';
import type { TemplateSample } from './template-funcs.js';

export type AlertState = 'inactive' | 'pending' | 'firing';

/** How long a resolved alert is kept (and re-sent as resolved), as in Prometheus. */
const RESOLVED_RETENTION = 15 * 60_000;

export interface Alert {
  labels: Labels;
  annotations: Record<string, string>;
  state: AlertState;
  value: number;
  /** ms; when the alert's series first appeared (or the restored time). */
  activeAt: number;
  /** ms; 0 until the alert fires. */
  firedAt: number;
  /** ms; 0 while active. */
  resolvedAt: number;
  /** ms; when its series went away while `keep_firing_for` holds it firing; 0 otherwise. */
  keepFiringSince: number;
  /** ms; when it was last sent to Alertmanagers; 0 never. */
  lastSentAt: number;
  /** ms; the end time sent with a firing alert, so Alertmanagers resolve it if we go quiet. */
  validUntil: number;
}

/** What the rule sees besides its query results. */
export interface AlertContext {
  readonly externalLabels: Readonly<Record<string, string>>;
  readonly externalURL: string;
}

export class AlertingRule {
  readonly kind = 'alerting';
  readonly state: EvalRecord = newEvalRecord();
  /** Active alerts by label-set key. */
  readonly active = new Map<string, Alert>();
  /**
   * Whether `for` state has been restored after a start; until then the rule writes no
   * `ALERTS_FOR_STATE`, which restoring reads.
   */
  restored: boolean;

  constructor(
    readonly config: RuleConfig & { alert: string },
    restored: boolean,
  ) {
    this.restored = restored;
  }

  get name(): string {
    return this.config.alert;
  }

  /**
   * Evaluates at `t` (ms), updates the alerts and returns the `ALERTS` and `ALERTS_FOR_STATE`
   * samples to append.
   *
   * @throws when the query fails, labels collide or more than `limit` alerts are active.
   */
  async eval(query: QueryFn, t: number, limit: number, ctx: AlertContext): Promise<RuleSample[]> {
    const result = await query(this.config.expr, t);
    const templateQuery = async (expr: string): Promise<TemplateSample[]> =>
      (await query(expr, t)).map((s) => ({ Labels: s.labels.toRecord(), Value: s.v }));
    const current = new Map<string, Alert>();
    for (const s of result) {
      const seriesLabels = s.labels.toRecord();
      const data = {
        labels: seriesLabels,
        externalLabels: ctx.externalLabels,
        externalURL: ctx.externalURL,
        value: s.v,
        query: templateQuery,
      };
      const r = { ...seriesLabels };
      delete r['__name__'];
      for (const [k, tmpl] of this.config.labelTemplates)
        r[k] = await expandAlertTemplate(tmpl, data);
      r['alertname'] = this.config.alert;
      const annotations: Record<string, string> = {};
      for (const [k, tmpl] of this.config.annotationTemplates) {
        annotations[k] = await expandAlertTemplate(tmpl, data);
      }
      const labels = Labels.fromRecord(r);
      if (current.has(labels.key)) {
        throw new Error(
          'vector contains metrics with the same labelset after applying alert labels',
        );
      }
      current.set(labels.key, {
        labels,
        annotations,
        state: 'pending',
        value: s.v,
        activeAt: t,
        firedAt: 0,
        resolvedAt: 0,
        keepFiringSince: 0,
        lastSentAt: 0,
        validUntil: 0,
      });
    }
    for (const [key, a] of current) {
      const existing = this.active.get(key);
      if (existing !== undefined && existing.state !== 'inactive') {
        existing.value = a.value;
        existing.annotations = a.annotations;
        continue;
      }
      this.active.set(key, a);
    }
    const out: RuleSample[] = [];
    let activeCount = 0;
    for (const [key, a] of this.active) {
      if (!current.has(key)) {
        let keepFiring = false;
        if (a.state === 'firing' && this.config.keepFiringFor > 0) {
          if (a.keepFiringSince === 0) a.keepFiringSince = t;
          keepFiring = t - a.keepFiringSince < this.config.keepFiringFor;
        }
        if (
          a.state === 'pending' ||
          (a.resolvedAt !== 0 && t - a.resolvedAt > RESOLVED_RETENTION)
        ) {
          this.active.delete(key);
        }
        if (a.state !== 'inactive' && !keepFiring) {
          a.state = 'inactive';
          a.resolvedAt = t;
        }
        if (!keepFiring) continue;
      } else {
        a.keepFiringSince = 0;
      }
      activeCount++;
      if (a.state === 'pending' && t - a.activeAt >= this.config.for) {
        a.state = 'firing';
        a.firedAt = t;
      }
      if (this.restored) {
        out.push({ labels: seriesOf(a, 'ALERTS', a.state), v: 1 });
        out.push({
          labels: seriesOf(a, 'ALERTS_FOR_STATE', null),
          v: Math.floor(a.activeAt / 1000),
        });
      }
    }
    if (limit > 0 && activeCount > limit) {
      this.active.clear();
      throw new Error(`exceeded limit of ${limit} with ${activeCount} alerts`);
    }
    return out;
  }

  /**
   * The alerts due to be sent at `t`: firing ones every `resendDelay`, resolved ones once after
   * they resolve; each gets a `validUntil` of four times the larger of resend delay and interval.
   */
  alertsToSend(t: number, resendDelay: number, interval: number): Alert[] {
    const out: Alert[] = [];
    for (const a of this.active.values()) {
      if (a.state === 'pending') continue;
      const due =
        (a.resolvedAt !== 0 && a.resolvedAt > a.lastSentAt) || a.lastSentAt + resendDelay <= t;
      if (!due) continue;
      a.lastSentAt = t;
      a.validUntil = t + 4 * Math.max(resendDelay, interval);
      out.push({ ...a, annotations: { ...a.annotations } });
    }
    return out;
  }
}

function seriesOf(a: Alert, name: string, state: AlertState | null): Labels {
  const r = a.labels.toRecord();
  r['__name__'] = name;
  if (state !== null) r['alertstate'] = state;
  return Labels.fromRecord(r);
}
