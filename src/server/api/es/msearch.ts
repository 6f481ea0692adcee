/**
 * @module
 * `GET|POST /_msearch` and `/<index>/_msearch`: Elasticsearch's NDJSON of header and body
 * pairs, which is how Grafana's Elasticsearch data source sends every query. Each header may
 * name `index` (a string with commas or a list; the path's index otherwise) and
 * `ignore_unavailable`; other header keys (`search_type`, `preference`, …) are accepted. Searches
 * run one after another and each answers in `responses` with `status`, a failed one with its
 * error in Elasticsearch's envelope, so one bad query does not fail the others.
 */

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { LogSearcher } from '../../../logs/store/interface.js';
import { ndjson, rawBody } from './body.js';
import { esError, sendEsError, sendStoreNotOpen } from './envelope.js';
import { esErrorOf, sendEsException } from './errors.js';
import { executeSearch, SearchPhaseError } from './search.js';
import { EsApiError, splitTargets } from './targets.js';

export interface MsearchRouteOptions {
  /** The store, or null while it is not open. */
  searcher: () => LogSearcher | null;
  /** The most bytes of a request body. */
  bodyLimit: number;
}

type Obj = Record<string, unknown>;

function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Registers `_msearch`. Must be called inside the plugin of `routes.ts`, which reads bodies as
 * bytes.
 *
 * @example
 * registerMsearchRoutes(app, { searcher: () => store, bodyLimit: 32 << 20 });
 */
export function registerMsearchRoutes(app: FastifyInstance, options: MsearchRouteOptions): void {
  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const searcher = options.searcher();
    if (searcher === null) {
      return sendStoreNotOpen(reply);
    }
    const started = performance.now();
    let lines;
    try {
      lines = ndjson(await rawBody(request, options.bodyLimit));
    } catch (err) {
      return sendEsException(reply, err);
    }
    if (lines.length === 0) {
      return sendEsError(
        reply,
        400,
        'action_request_validation_exception',
        'Validation Failed: 1: no requests added;',
      );
    }
    const q = request.query as Obj;
    const pathTargets = splitTargets((request.params as { index?: string }).index ?? '');
    const responses: Obj[] = [];
    for (let k = 0; k < lines.length; k += 2) {
      const header = lines[k]!;
      const body = lines[k + 1];
      try {
        if (body === undefined) {
          throw new EsApiError(
            400,
            'parse_exception',
            `cannot read search at line ${header.line}: a header without a body`,
          );
        }
        for (const part of [header, body]) {
          if (part.value instanceof Error)
            throw new EsApiError(400, 'x_content_parse_exception', part.value.message);
          if (!isObject(part.value)) {
            throw new EsApiError(
              400,
              'parse_exception',
              `cannot read line ${part.line}: want a JSON object`,
            );
          }
        }
        const h = header.value as Obj;
        const targets = h.index === undefined ? pathTargets : splitTargets(h.index);
        const params = {
          ...q,
          ...(h.ignore_unavailable === undefined
            ? {}
            : { ignore_unavailable: h.ignore_unavailable }),
        };
        responses.push({
          ...(await executeSearch(searcher, targets, body.value as Obj, params)),
          status: 200,
        });
      } catch (err) {
        const known =
          err instanceof SearchPhaseError ? esErrorOf(err.error, err.phase) : esErrorOf(err);
        if (known === undefined) {
          const cause = err instanceof SearchPhaseError ? err.error : err;
          request.log.error({ err: cause }, 'cannot run search of _msearch');
          responses.push(
            esError(500, 'exception', `cannot run search: ${(cause as Error).message}`),
          );
        } else responses.push(known);
      }
    }
    return reply.send({ took: Math.round(performance.now() - started), responses });
  };
  for (const path of ['/_msearch', '/:index/_msearch']) {
    app.get(path, handler);
    app.post(path, handler);
  }
}
