/**
 * @module
 * `GET|POST /api/v2/alerts` and `GET /api/v2/alerts/groups`. A posted alert without a start
 * starts now (or at its end), one without an end ends after resolve_timeout unless re-sent;
 * invalid alerts are refused with one 400 listing them, the valid ones of the same request are
 * still taken, as Alertmanager does. Lists leave out resolved alerts and show each alert's
 * status as of the request: its silences and inhibitions are re-evaluated first.
 */

import type { FastifyInstance } from 'fastify';
import type { Alertmanager } from '../alertmanager.js';
import { compareAlerts, newAlert, resolvedAt, type Alert } from '../model/alert.js';
import { isLabelName, sortedLabels } from '../model/labels.js';
import { matchesAll } from '../model/matchers.js';
import type { Counter } from '../../lib/instrument/index.js';
import { filterMatchers, flag, receiverFilter, type Query } from './query.js';
import { ApiError, gettableAlert, readPostableAlerts, type PostedAlert } from './wire.js';

function validate(a: PostedAlert): string | undefined {
  if (a.startsAt === 0) return 'start time missing';
  if (a.endsAt !== 0 && a.endsAt < a.startsAt) return 'start time must be before end time';
  const bad = Object.keys(a.labels).find((n) => !isLabelName(n));
  if (bad !== undefined) return `invalid label set: invalid name "${bad}"`;
  if (Object.keys(a.labels).length === 0) return 'at least one label pair required';
  const badAnnotation = Object.keys(a.annotations).find((n) => !isLabelName(n));
  if (badAnnotation !== undefined) return `invalid annotations: invalid name "${badAnnotation}"`;
  return undefined;
}

export function registerAlertRoutes(
  app: FastifyInstance,
  am: Alertmanager,
  received: Counter,
  invalid: Counter,
): void {
  const status = (a: Alert) => {
    am.inhibitor.mutes(a.labels);
    am.silences.mutedBy(a.labels);
    return am.marker.status(a.fingerprint);
  };
  const receiversOf = (a: Alert) => am.route.match(a.labels).map((r) => r.options.receiver);

  app.post('/alerts', async (request, reply) => {
    const posted = readPostableAlerts(request.body);
    const now = am.clock.now();
    const resolveTimeout = am.config.config.global.resolve_timeout;
    const errors: string[] = [];
    const valid: Alert[] = [];
    for (const p of posted) {
      const startsAt = p.startsAt !== 0 ? p.startsAt : p.endsAt !== 0 ? p.endsAt : now;
      const timeout = p.endsAt === 0;
      const alert = { ...p, startsAt, endsAt: timeout ? now + resolveTimeout : p.endsAt };
      received.labels(alert.endsAt > now ? 'firing' : 'resolved').inc();
      const problem = validate(alert);
      if (problem !== undefined) {
        invalid.inc();
        errors.push(problem);
        continue;
      }
      valid.push(newAlert({ ...alert, updatedAt: now, timeout }));
    }
    am.store.put(valid);
    if (errors.length > 0) throw new ApiError(400, errors.join('; '));
    return reply.code(200).send();
  });

  app.get('/alerts', async (request) => {
    const q = request.query as Query;
    const matchers = filterMatchers(q);
    const byReceiver = receiverFilter(q);
    const [active, silenced, inhibited, unprocessed] = [
      flag(q, 'active'),
      flag(q, 'silenced'),
      flag(q, 'inhibited'),
      flag(q, 'unprocessed'),
    ];
    const now = am.clock.now();
    const out = [];
    for (const a of am.store.list()) {
      const receivers = receiversOf(a);
      if (byReceiver !== undefined && !receivers.some(byReceiver)) continue;
      if (!matchesAll(matchers, a.labels) || resolvedAt(a, now)) continue;
      const s = status(a);
      if (!active && s.state === 'active') continue;
      if (!unprocessed && s.state === 'unprocessed') continue;
      if (!silenced && s.silencedBy.length > 0) continue;
      if (!inhibited && s.inhibitedBy.length > 0) continue;
      out.push(gettableAlert(a, s, receivers));
    }
    return out.sort((x, y) => (x.fingerprint < y.fingerprint ? -1 : 1));
  });

  app.get('/alerts/groups', async (request) => {
    const q = request.query as Query;
    const matchers = filterMatchers(q);
    const byReceiver = receiverFilter(q);
    const [active, silenced, inhibited] = [
      flag(q, 'active'),
      flag(q, 'silenced'),
      flag(q, 'inhibited'),
    ];
    const now = am.clock.now();
    const groups = [];
    for (const g of am.groups()) {
      const receiver = g.route.options.receiver;
      if (byReceiver !== undefined && !byReceiver(receiver)) continue;
      const alerts = [];
      for (const a of g.alerts().sort(compareAlerts)) {
        if (!matchesAll(matchers, a.labels) || resolvedAt(a, now)) continue;
        const s = status(a);
        if (!active && s.state === 'active') continue;
        if (!silenced && s.silencedBy.length > 0) continue;
        if (!inhibited && s.inhibitedBy.length > 0) continue;
        alerts.push(gettableAlert(a, s, receiversOf(a)));
      }
      if (alerts.length === 0) continue;
      groups.push({ alerts, labels: sortedLabels(g.labels), receiver: { name: receiver } });
    }
    return groups.sort((a, b) => {
      const ka = JSON.stringify(a.labels);
      const kb = JSON.stringify(b.labels);
      return ka !== kb ? (ka < kb ? -1 : 1) : a.receiver.name < b.receiver.name ? -1 : 1;
    });
  });
}
