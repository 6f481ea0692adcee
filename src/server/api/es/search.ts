/**
 * @module
 * `GET|POST /_search`, `/<index>/_search`, `/_count` and `/<index>/_count`, answered from the
 * store through the search orchestration (`logs/query/search.ts`) in Elasticsearch's response
 * shape: `took`, `timed_out`, `_shards`, `hits` (`total` as `{value, relation}`, `max_score`,
 * `hits`) and `aggregations`. {@link executeSearch} is shared with `_msearch`.
 */

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { mappingResolver } from '../../../logs/query/es-dsl/fields.js';
import { search } from '../../../logs/query/search.js';
import type { LogSearcher } from '../../../logs/store/interface.js';
import { jsonObject, rawBody } from './body.js';
import { sendStoreNotOpen } from './envelope.js';
import { sendEsException } from './errors.js';
import { renderHit } from './hits.js';
import { planSearch } from './search-body.js';
import { resolveTargets, splitTargets } from './targets.js';

export interface SearchRouteOptions {
  /** The store, or null while it is not open. */
  searcher: () => LogSearcher | null;
  /** The most bytes of a request body. */
  bodyLimit: number;
}

type Obj = Record<string, unknown>;

function shards(n: number) {
  return { total: n, successful: n, skipped: 0, failed: 0 };
}

/**
 * Marks where a failure happened: reading the request or running it (an aggregation error
 * while running is too many buckets, while reading a bad request).
 *
 * @example
 * throw new SearchPhaseError('parse', err);
 */
export class SearchPhaseError extends Error {
  constructor(
    readonly phase: 'parse' | 'run',
    readonly error: unknown,
  ) {
    super(error instanceof Error ? error.message : String(error), { cause: error });
    this.name = 'SearchPhaseError';
  }
}

/**
 * Runs one search request against the indices `targets` names.
 *
 * @param q URL parameters (or an `_msearch` header's)
 * @throws {SearchPhaseError} wrapping the error of the phase that failed.
 * @example
 * const res = await executeSearch(store, ['logs-*'], { query: { match_all: {} } }, {});
 * res.hits.total; // { value: 42, relation: 'eq' }
 */
export async function executeSearch(
  searcher: LogSearcher,
  targets: readonly string[],
  body: Obj,
  q: Obj,
  countOnly = false,
): Promise<Obj> {
  const started = performance.now();
  const now = Date.now();
  let plan;
  let names: string[];
  try {
    const ignore = q.ignore_unavailable === true || q.ignore_unavailable === 'true';
    names = resolveTargets(targets, await searcher.indices(), ignore).map((i) => i.name);
    const mapping = await searcher.mapping(names);
    const req = countOnly ? { query: body.query, size: 0, track_total_hits: true } : body;
    plan = planSearch(req, q, { now, mapping, resolve: mappingResolver(mapping) });
  } catch (err) {
    throw new SearchPhaseError('parse', err);
  }
  let out;
  try {
    out =
      names.length === 0
        ? { hits: [], total: { value: 0, relation: 'eq' as const }, aggregations: undefined }
        : await search(searcher, { ...plan.options, indices: names });
  } catch (err) {
    throw new SearchPhaseError('run', err);
  }
  if (countOnly) return { count: out.total?.value ?? 0, _shards: shards(names.length) };
  const aggregations =
    out.aggregations ??
    (plan.options.aggs === undefined
      ? undefined
      : Object.fromEntries([...plan.options.aggs.create()].map(([k, a]) => [k, a.result()])));
  const total = out.total === undefined ? undefined : plan.totalAsInt ? out.total.value : out.total;
  return {
    took: Math.round(performance.now() - started),
    timed_out: false,
    _shards: shards(names.length),
    hits: {
      ...(total === undefined ? {} : { total }),
      max_score: plan.scored && out.hits.length > 0 ? 1 : null,
      hits: out.hits.map((h) => renderHit(h, plan)),
    },
    ...(aggregations === undefined ? {} : { aggregations }),
  };
}

/**
 * Registers `_search` and `_count`. Must be called inside the plugin of `routes.ts`, which
 * reads bodies as bytes.
 *
 * @example
 * registerSearchRoutes(app, { searcher: () => store, bodyLimit: 32 << 20 });
 */
export function registerSearchRoutes(app: FastifyInstance, options: SearchRouteOptions): void {
  const handler = (countOnly: boolean) => async (request: FastifyRequest, reply: FastifyReply) => {
    const searcher = options.searcher();
    if (searcher === null) {
      return sendStoreNotOpen(reply);
    }
    const q = request.query as Obj;
    try {
      const body =
        jsonObject(
          await rawBody(request, options.bodyLimit),
          typeof q.source === 'string' ? q.source : undefined,
        ) ?? {};
      const targets = splitTargets((request.params as { index?: string }).index ?? '');
      return reply.send(await executeSearch(searcher, targets, body, q, countOnly));
    } catch (err) {
      if (err instanceof SearchPhaseError) return sendEsException(reply, err.error, err.phase);
      return sendEsException(reply, err);
    }
  };
  for (const [path, countOnly] of [
    ['/_search', false],
    ['/:index/_search', false],
    ['/_count', true],
    ['/:index/_count', true],
  ] as const) {
    app.get(path, handler(countOnly));
    app.post(path, handler(countOnly));
  }
}
