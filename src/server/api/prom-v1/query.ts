/**
 * @module
 * `/api/v1/query`, `/api/v1/query_range` and `/api/v1/format_query`, GET and POST (form body),
 * answered as Prometheus answers them: the same parameters, limits, error types and texts.
 * Queries run on the PromQL engine against the storage's `Queryable`.
 */

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Gate } from '../../../lib/concurrency/gate.js';
import { Engine, type EngineOptions } from '../../../metrics/promql/engine.js';
import { ParseError } from '../../../metrics/promql/parser/errors.js';
import { parseExpr } from '../../../metrics/promql/parser/parse.js';
import { prettyFormat } from '../../../metrics/promql/parser/pretty.js';
import { formatQueryData, type QueryResult } from '../../../metrics/promql/value.js';
import type { Queryable } from '../../../metrics/storage/interface.js';
import {
  collectParams,
  durationParam,
  formValue,
  limitParam,
  ParamError,
  parseDurationMs,
  requiredTimeParam,
  timeParam,
  type Params,
} from './params.js';
import { sendJsonData, sendQueryError, sendUnavailable, TRUNCATED } from './respond.js';

/** Prometheus' defaults for `--query.lookback-delta`, `--query.max-samples`, `--query.timeout`. */
export const QUERY_DEFAULTS = {
  lookbackDelta: 5 * 60_000,
  maxSamples: 50_000_000,
  timeout: 2 * 60_000,
} as const satisfies EngineOptions;

/**
 * Most points a range query may return per series: enough for a week at 60 s steps or a year
 * at 1 h steps, and it bounds the response a careless `step` can ask for.
 */
export const MAX_POINTS_PER_SERIES = 11_000;

export interface QueryRouteOptions {
  /** The storage to query, or null while it is not open. */
  queryable: () => Queryable | null;
  /** The engine's limits; the `timeout` and `lookback_delta` parameters override them. */
  engine?: EngineOptions;
  /** Queries evaluated at once (default 20, as Prometheus); later ones wait in line. */
  maxConcurrency?: number;
}

type Handler = (params: Params, q: Queryable, reply: FastifyReply) => Promise<FastifyReply>;

/**
 * Registers the query routes.
 *
 * @example
 * registerQueryRoutes(app, { queryable: () => tsdb });
 */
export function registerQueryRoutes(app: FastifyInstance, options: QueryRouteOptions): void {
  const base: EngineOptions = { ...QUERY_DEFAULTS, ...options.engine };
  const shared = new Engine(base);
  const gate = new Gate(options.maxConcurrency ?? 20);
  // A parameter that narrows the engine's limits gets an engine of its own: engines hold no
  // state, so one per such request costs a few fields.
  const engineFor = (params: Params): Engine => {
    const timeout = durationParam(params, 'timeout');
    const lookback = lookbackParam(params);
    if (timeout === null && lookback === null) return shared;
    return new Engine({
      ...base,
      timeout: timeout === null ? base.timeout : Math.min(timeout, base.timeout ?? Infinity),
      lookbackDelta: lookback ?? base.lookbackDelta,
    });
  };

  const instant: Handler = async (params, q, reply) => {
    const limit = limitParam(params);
    const time = timeParam(params, 'time', Date.now());
    const engine = engineFor(params);
    const result = await engine.instantQuery(q, formValue(params, 'query'), time);
    return sendResult(reply, result, limit);
  };

  const range: Handler = async (params, q, reply) => {
    const limit = limitParam(params);
    const start = requiredTimeParam(params, 'start');
    const end = requiredTimeParam(params, 'end');
    if (end < start) throw new ParamError('end timestamp must not be before start time', 'end');
    const step =
      durationParam(params, 'step') ?? fail('step', 'cannot parse "" to a valid duration');
    if (step <= 0) {
      fail(
        'step',
        'zero or negative query resolution step widths are not accepted. Try a positive integer',
      );
    }
    if (Math.trunc((end - start) / step) > MAX_POINTS_PER_SERIES) {
      throw new ParamError(
        'exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)',
        null,
      );
    }
    const engine = engineFor(params);
    const result = await engine.rangeQuery(q, formValue(params, 'query'), start, end, step);
    return sendResult(reply, result, limit);
  };

  for (const [path, handler] of [
    ['/api/v1/query', instant],
    ['/api/v1/query_range', range],
  ] as const) {
    const run = async (request: FastifyRequest, reply: FastifyReply) => {
      const q = options.queryable();
      if (q === null) return sendUnavailable(reply);
      try {
        return await gate.run(() => handler(collectParams(request.url, request.body), q, reply));
      } catch (err) {
        return sendQueryError(reply, err);
      }
    };
    app.get(path, run);
    app.post(path, run);
  }

  const format = (request: FastifyRequest, reply: FastifyReply) => {
    const query = formValue(collectParams(request.url, request.body), 'query');
    try {
      return sendJsonData(reply, JSON.stringify(prettyFormat(parseExpr(query))));
    } catch (err) {
      if (!(err instanceof ParseError)) throw err;
      return sendQueryError(reply, new ParamError(err.message, 'query'));
    }
  };
  app.get('/api/v1/format_query', format);
  app.post('/api/v1/format_query', format);
}

function fail(param: string, reason: string): never {
  throw new ParamError(reason, param);
}

/** `lookback_delta`, null when absent or not positive (the engine's default then applies). */
function lookbackParam(params: Params): number | null {
  const v = formValue(params, 'lookback_delta');
  if (v === '') return null;
  let d: number;
  try {
    d = parseDurationMs(v);
  } catch (err) {
    // Prometheus words this one differently from the other duration parameters.
    throw new ParamError(`error parsing lookback delta duration: ${(err as Error).message}`, null);
  }
  return d > 0 ? d : null;
}

/** Cuts vectors and matrices to `limit` series (0: no limit) and sends the result. */
function sendResult(reply: FastifyReply, result: QueryResult, limit: number): FastifyReply {
  const warnings = [...result.warnings];
  let value: QueryResult = result;
  if (limit > 0 && (value.resultType === 'vector' || value.resultType === 'matrix')) {
    if (value.result.length > limit) {
      // One branch per type, so each keeps its element type.
      value =
        value.resultType === 'vector'
          ? { ...value, result: value.result.slice(0, limit) }
          : { ...value, result: value.result.slice(0, limit) };
      warnings.push(TRUNCATED);
    }
  }
  return sendJsonData(reply, formatQueryData(value), { warnings, infos: result.infos });
}
