/**
 * @module
 * `/api/v1/targets` and `/api/v1/targets/metadata` in Prometheus' shapes: every target of every
 * scrape pool with its labels before and after relabeling, scrape URL, health, last error, last
 * scrape time and duration; and the metadata each target exposed (`match_target`, `metric`,
 * `limit`).
 */

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { formatDuration } from '../../../lib/units/duration.js';
import type { Labels } from '../../../metrics/model/labels.js';
import type { Matcher } from '../../../metrics/model/matcher.js';
import { parseMetricSelector } from '../../../metrics/promql/parser/parse.js';
import type { ActiveTarget } from '../../../metrics/scrape/pool.js';
import { collectParams, formValue, ParamError, type Params } from './params.js';
import { sendJsonData, sendQueryError } from './respond.js';

/** One scrape pool as the API shows it. */
export interface TargetPool {
  job: string;
  active: readonly ActiveTarget[];
  dropped: readonly Labels[];
  /** All dropped targets, also those not listed (`keep_dropped_targets`). */
  droppedCount: number;
}

export interface TargetsRouteOptions {
  /** The scrape pools, in job order; empty while scraping has not started. */
  pools: () => readonly TargetPool[];
}

/** Go's zero time, which Prometheus shows for a target not scraped yet. */
const NEVER = '0001-01-01T00:00:00Z';

function labelsObject(labels: Labels): string {
  const parts: string[] = [];
  labels.forEach(
    (name, value) => void parts.push(`${JSON.stringify(name)}:${JSON.stringify(value)}`),
  );
  return `{${parts.join(',')}}`;
}

function activeJson(job: string, t: ActiveTarget): string {
  const loop = t.loop;
  const lastScrape =
    loop === null || loop.lastScrape === 0 ? NEVER : new Date(loop.lastScrape).toISOString();
  return JSON.stringify({
    discoveredLabels: '\u0000d',
    labels: '\u0000l',
    scrapePool: job,
    scrapeUrl: t.url,
    globalUrl: t.url,
    lastError: loop === null ? t.error : loop.lastError,
    lastScrape,
    lastScrapeDuration: loop?.lastScrapeDuration ?? 0,
    health: loop?.health ?? 'unknown',
    scrapeInterval: formatDuration(t.interval),
    scrapeTimeout: formatDuration(t.timeout),
  })
    .replace('"\\u0000d"', labelsObject(t.discovered))
    .replace('"\\u0000l"', labelsObject(t.labels));
}

/**
 * Registers the target routes.
 *
 * @example
 * registerTargetsRoutes(app, { pools: () => scrape?.targetPools() ?? [] });
 */
export function registerTargetsRoutes(app: FastifyInstance, options: TargetsRouteOptions): void {
  app.get('/api/v1/targets', (request: FastifyRequest, reply: FastifyReply) => {
    const params = collectParams(request.url, request.body);
    const state = (formValue(params, 'state') || 'any').toLowerCase();
    const poolFilter = formValue(params, 'scrapePool');
    const pools = options.pools().filter((p) => poolFilter === '' || p.job === poolFilter);
    const active =
      state === 'any' || state === 'active'
        ? pools.flatMap((p) => p.active.map((t) => activeJson(p.job, t)))
        : [];
    const dropped =
      state === 'any' || state === 'dropped'
        ? pools.flatMap((p) => p.dropped.map((l) => `{"discoveredLabels":${labelsObject(l)}}`))
        : [];
    const counts = pools.map((p) => `${JSON.stringify(p.job)}:${p.droppedCount}`);
    return sendJsonData(
      reply,
      `{"activeTargets":[${active.join(',')}],"droppedTargets":[${dropped.join(',')}],"droppedTargetCounts":{${counts.join(',')}}}`,
    );
  });

  app.get('/api/v1/targets/metadata', (request: FastifyRequest, reply: FastifyReply) => {
    let query: { matchers: Matcher[] | null; metric: string; limit: number };
    try {
      query = metadataQuery(collectParams(request.url, request.body));
    } catch (err) {
      return sendQueryError(reply, err);
    }
    const out: string[] = [];
    for (const pool of options.pools()) {
      for (const t of pool.active) {
        if (t.loop === null) continue;
        if (
          query.matchers !== null &&
          !query.matchers.every((m) => m.matches(t.labels.get(m.name)))
        ) {
          continue;
        }
        const entries = [...t.loop.metadata].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
        for (const [metric, m] of entries) {
          if (query.metric !== '' && metric !== query.metric) continue;
          if (query.limit >= 0 && out.length >= query.limit) break;
          out.push(
            JSON.stringify({
              target: '\u0000t',
              metric,
              type: m.type,
              help: m.help,
              unit: m.unit,
            }).replace('"\\u0000t"', labelsObject(t.labels)),
          );
        }
      }
    }
    return sendJsonData(reply, `[${out.join(',')}]`);
  });
}

function metadataQuery(params: Params): {
  matchers: Matcher[] | null;
  metric: string;
  limit: number;
} {
  const selector = formValue(params, 'match_target');
  let matchers: Matcher[] | null = null;
  if (selector !== '') {
    try {
      matchers = parseMetricSelector(selector);
    } catch (err) {
      throw new ParamError((err as Error).message, 'match_target');
    }
  }
  const limitText = formValue(params, 'limit');
  const limit = limitText === '' ? -1 : Number(limitText);
  if (!Number.isInteger(limit)) throw new ParamError('limit must be a number', null);
  return { matchers, metric: formValue(params, 'metric'), limit };
}
