/**
 * @module
 * `/api/v1/rules` and `/api/v1/alerts` in Prometheus 2.42's shapes: every group with its rules,
 * their health, last error and evaluation times, and each alerting rule's active alerts (values
 * in Go's `%e` form, times in RFC 3339 with Go's trimmed fraction, the zero time for "never").
 * `type=alert|record` narrows the rules as in Prometheus.
 */

import type { FastifyInstance } from 'fastify';
import type { Labels } from '../../../metrics/model/labels.js';
import { format } from '../../../metrics/promql/parser/printer.js';
import type { Alert, AlertingRule } from '../../../metrics/rules/alerting.js';
import type { Group, Rule } from '../../../metrics/rules/group.js';
import { sendError } from './envelope.js';

export interface RulesRouteOptions {
  /** The running rule groups; empty before rules start. */
  groups: () => readonly Group[];
}

/**
 * Go's `time.Time` in RFC 3339 with nanoseconds, trailing zeros trimmed; the zero time for 0.
 *
 * @example
 * goTime(1_700_000_000_500); // '2023-11-14T22:13:20.5Z'
 */
export function goTime(ms: number): string {
  if (ms === 0) return '0001-01-01T00:00:00Z';
  return new Date(ms).toISOString().replace(/\.?0+Z$/, 'Z');
}

/** Go's `strconv.FormatFloat(v, 'e', -1, 64)`, the form alert values take in the API. */
function formatE(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf';
  return v.toExponential().replace(/e([+-])(\d)$/, 'e$10$2');
}

const record = (l: Labels) => l.toRecord();

function alertJson(a: Alert) {
  return {
    labels: record(a.labels),
    annotations: a.annotations,
    state: a.state,
    activeAt: goTime(a.activeAt),
    value: formatE(a.value),
  };
}

/** Prometheus omits a recording rule's empty labels (an alerting rule's show as `{}`). */
const isEmpty = (o: object) => Object.keys(o).length === 0;

const ORDER = { inactive: 0, pending: 1, firing: 2 } as const;

function activeAlerts(r: AlertingRule): Alert[] {
  return [...r.active.values()].filter((a) => a.state !== 'inactive');
}

function ruleJson(r: Rule) {
  const common = {
    health: r.state.health,
    ...(r.state.lastError === '' ? {} : { lastError: r.state.lastError }),
    evaluationTime: r.state.evaluationTime,
    lastEvaluation: goTime(r.state.lastEvaluation),
  };
  if (r.kind === 'recording') {
    return {
      name: r.name,
      query: format(r.config.parsedExpr),
      ...(isEmpty(r.config.labels) ? {} : { labels: r.config.labels }),
      ...common,
      type: 'recording',
    };
  }
  const alerts = activeAlerts(r);
  const state = alerts.reduce<keyof typeof ORDER>(
    (s, a) => (ORDER[a.state] > ORDER[s] ? a.state : s),
    'inactive',
  );
  return {
    state,
    name: r.name,
    query: format(r.config.parsedExpr),
    duration: r.config.for / 1000,
    keepFiringFor: r.config.keepFiringFor / 1000,
    labels: r.config.labels,
    annotations: r.config.annotations,
    alerts: alerts.map(alertJson),
    ...common,
    type: 'alerting',
  };
}

/**
 * @example
 * registerRulesRoutes(app, { groups: () => manager.groups });
 */
export function registerRulesRoutes(app: FastifyInstance, opts: RulesRouteOptions): void {
  app.get('/api/v1/rules', async (req, reply) => {
    const type = (req.query as Record<string, string | undefined>)['type'] ?? '';
    if (type !== '' && type !== 'alert' && type !== 'record') {
      return sendError(reply, 'bad_data', `invalid query parameter type='${type}'`);
    }
    const groups = opts.groups().map((g) => ({
      name: g.config.name,
      file: g.config.file,
      rules: g.rules
        .filter((r) => type === '' || (type === 'alert') === (r.kind === 'alerting'))
        .map(ruleJson),
      interval: g.interval / 1000,
      limit: g.config.limit,
      evaluationTime: g.state.evaluationTime,
      lastEvaluation: goTime(g.state.lastEvaluation),
    }));
    return reply.send({ status: 'success', data: { groups } });
  });
  app.get('/api/v1/alerts', async (_req, reply) => {
    const alerts = opts
      .groups()
      .flatMap((g) => g.rules)
      .flatMap((r) => (r.kind === 'alerting' ? activeAlerts(r).map(alertJson) : []));
    return reply.send({ status: 'success', data: { alerts } });
  });
}
