/**
 * @module
 * `GET /federate?match[]=…`: the newest sample of every matching series in the Prometheus text
 * format, with its timestamp, so another Prometheus (or Vigil) can scrape a slice of this one —
 * Prometheus' federation endpoint. A series counts when its newest sample within the lookback
 * delta is not a staleness marker; samples are grouped by metric name under `# TYPE … untyped`,
 * as Prometheus writes them.
 */

import type { FastifyInstance } from 'fastify';
import { escapeLabelValue } from '../../../lib/instrument/escape.js';
import { compareUtf8 } from '../../../lib/strings/utf8-order.js';
import { formatGoFloat } from '../../../lib/instrument/numbers.js';
import type { Labels } from '../../../metrics/model/labels.js';
import { isStaleMarker } from '../../../metrics/promql/sample-buffer.js';
import type { Queryable } from '../../../metrics/storage/interface.js';
import { collectParams, matchParam, ParamError } from '../prom-v1/params.js';

export interface FederateOptions {
  queryable: () => Queryable | null;
  /** How far back a series' newest sample may be, ms (the query lookback delta). */
  lookbackDelta: number;
}

interface Newest {
  labels: Labels;
  t: number;
  v: number;
}

/** The text format's series line, `name{a="b"} 1 1700000000000`. */
function line(s: Newest): string {
  const pairs: string[] = [];
  s.labels.forEach((n, v) => {
    if (n !== '__name__') pairs.push(`${n}="${escapeLabelValue(v)}"`);
  });
  const labels = pairs.length > 0 ? `{${pairs.join(',')}}` : '';
  return `${s.labels.metricName}${labels} ${formatGoFloat(s.v)} ${s.t}\n`;
}

/**
 * Registers `/federate`.
 *
 * @example
 * registerFederateRoute(app, { queryable: () => tsdb, lookbackDelta: 300_000 });
 */
export function registerFederateRoute(app: FastifyInstance, options: FederateOptions): void {
  app.get('/federate', async (request, reply) => {
    reply.type('text/plain; version=0.0.4; charset=utf-8');
    let sets;
    try {
      sets = matchParam(collectParams(request.url, undefined), false);
    } catch (err) {
      if (!(err instanceof ParamError)) throw err;
      return reply.code(400).send(`${err.message}\n`);
    }
    const q = options.queryable();
    if (q === null) return reply.code(503).send('the TSDB is not open yet\n');
    const now = Date.now();
    const querier = q.querier(now - options.lookbackDelta, now);
    const newest = new Map<string, Newest>();
    try {
      for (const matchers of sets) {
        const set = querier.select(matchers);
        while (set.next()) {
          const series = set.at();
          if (newest.has(series.labels.key)) continue;
          const it = series.iterator();
          let t = NaN;
          let v = NaN;
          while (it.next()) {
            t = it.atT();
            v = it.atV();
          }
          if (Number.isNaN(t) || isStaleMarker(v)) continue;
          newest.set(series.labels.key, { labels: series.labels, t, v });
        }
        const err = set.err();
        if (err !== null) throw err;
      }
    } finally {
      querier.close();
    }
    // By name first: label names that sort before `__name__` (capitals) must not split a family.
    const sorted = [...newest.values()].sort(
      (a, b) => compareUtf8(a.labels.metricName, b.labels.metricName) || a.labels.compare(b.labels),
    );
    let body = '';
    let last = '';
    for (const s of sorted) {
      const name = s.labels.metricName;
      if (name !== last) {
        body += `# TYPE ${name} untyped\n`;
        last = name;
      }
      body += line(s);
    }
    return reply.send(body);
  });
}
