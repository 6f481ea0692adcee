/**
 * @module
 * Metadata queries: `/api/v1/series`, `/api/v1/labels` and `/api/v1/label/:name/values`, with
 * Prometheus' parameters (`match[]`, `start`, `end`, `limit`), defaults (all time, all
 * series) and answers (sorted lists, `[]` rather than `null` when nothing matches).
 */

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { compareUtf8 } from '../../../lib/strings/utf8-order.js';
import type { Labels } from '../../../metrics/model/labels.js';
import type { Matcher } from '../../../metrics/model/matcher.js';
import { labelsJson } from '../../../metrics/promql/value.js';
import type { Querier, Queryable } from '../../../metrics/storage/interface.js';
import {
  collectParams,
  limitParam,
  matchParam,
  MAX_TIME,
  MIN_TIME,
  ParamError,
  timeParam,
  type Params,
} from './params.js';
import { sendJsonData, sendQueryError, sendUnavailable, TRUNCATED } from './respond.js';

export interface SeriesRouteOptions {
  /** The storage to query, or null while it is not open. */
  queryable: () => Queryable | null;
}

type Handler = (params: Params, querier: Querier, request: FastifyRequest) => Answer;
type Answer = { json: string; warnings: string[] };

/**
 * Registers the metadata routes.
 *
 * @example
 * registerSeriesRoutes(app, { queryable: () => tsdb });
 */
export function registerSeriesRoutes(app: FastifyInstance, options: SeriesRouteOptions): void {
  const route =
    (handler: Handler, requireMatch: boolean) => (request: FastifyRequest, reply: FastifyReply) => {
      const q = options.queryable();
      if (q === null) return sendUnavailable(reply);
      let querier: Querier | null = null;
      try {
        const params = collectParams(request.url, request.body);
        if (requireMatch && (params.get('match[]') ?? []).length === 0) {
          throw new ParamError('no match[] parameter provided', null);
        }
        const start = timeParam(params, 'start', MIN_TIME);
        const end = timeParam(params, 'end', MAX_TIME);
        querier = q.querier(start, end);
        const { json, warnings } = handler(params, querier, request);
        return sendJsonData(reply, json, { warnings });
      } catch (err) {
        return sendQueryError(reply, err);
      } finally {
        querier?.close();
      }
    };

  const series = route(seriesHandler, true);
  app.get('/api/v1/series', series);
  app.post('/api/v1/series', series);
  const labels = route(labelNamesHandler, false);
  app.get('/api/v1/labels', labels);
  app.post('/api/v1/labels', labels);
  app.get('/api/v1/label/:name/values', route(labelValuesHandler, false));
}

function seriesHandler(params: Params, querier: Querier): Answer {
  const limit = limitParam(params);
  const sets = matchParam(params, true);
  const found = new Map<string, Labels>();
  const warnings = new Set<string>();
  for (const matchers of sets) {
    const set = querier.select(matchers);
    while (set.next()) {
      const labels = set.at().labels;
      found.set(labels.toString(), labels);
    }
    const err = set.err();
    if (err !== null) throw err;
    for (const w of set.warnings()) warnings.add(w);
  }
  // Each select is sorted; merging several needs a sort of its own.
  let list = [...found.values()];
  if (sets.length > 1) list.sort((a, b) => a.compare(b));
  if (limit > 0 && list.length > limit) {
    list = list.slice(0, limit);
    warnings.add(TRUNCATED);
  }
  return { json: `[${list.map(labelsJson).join(',')}]`, warnings: [...warnings] };
}

function labelNamesHandler(params: Params, querier: Querier): Answer {
  return stringList(params, (matchers) => querier.labelNames(matchers));
}

function labelValuesHandler(params: Params, querier: Querier, request: FastifyRequest): Answer {
  const name = (request.params as { name: string }).name;
  // Prometheus 3 accepts any UTF-8 label name, so only the empty one is invalid.
  if (name === '') throw new ParamError('invalid label name: ""', null);
  return stringList(params, (matchers) => querier.labelValues(name, matchers));
}

/** The union over every `match[]` set (all series when there is none), sorted and limited. */
function stringList(params: Params, read: (matchers?: readonly Matcher[]) => string[]): Answer {
  const limit = limitParam(params);
  const sets = matchParam(params, false);
  let list: string[];
  if (sets.length <= 1) {
    list = read(sets[0]);
  } else {
    const all = new Set<string>();
    for (const matchers of sets) for (const v of read(matchers)) all.add(v);
    // Byte order, as Go sorts strings; UTF-16 order differs above U+FFFF.
    list = [...all].sort(compareUtf8);
  }
  const warnings: string[] = [];
  if (limit > 0 && list.length > limit) {
    list = list.slice(0, limit);
    warnings.push(TRUNCATED);
  }
  return { json: JSON.stringify(list), warnings };
}
