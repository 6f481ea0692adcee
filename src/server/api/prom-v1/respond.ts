/**
 * @module
 * Success bodies whose `data` is JSON text built by hand (query results must print numbers the
 * way Prometheus does, which `JSON.stringify` cannot), and the mapping of query and parameter
 * errors onto Prometheus' error types.
 */

import type { FastifyReply } from 'fastify';
import {
  QueryExecutionError,
  QueryParseError,
  QueryTimeoutError,
  QueryTooManySamplesError,
} from '../../../metrics/promql/errors.js';
import { sendError } from './envelope.js';
import { ParamError } from './params.js';

/** The annotations that go beside `data`; empty lists are left out, as Prometheus does. */
export interface Notes {
  readonly warnings?: readonly string[];
  readonly infos?: readonly string[];
}

/** Prometheus' warning when `limit` cut a result short. */
export const TRUNCATED = 'results truncated due to limit';

/**
 * Sends `{"status":"success","data":<dataJson>}` plus `warnings`/`infos` when there are any.
 *
 * @example
 * sendJsonData(reply, formatQueryData(result), result);
 */
export function sendJsonData(
  reply: FastifyReply,
  dataJson: string,
  notes: Notes = {},
): FastifyReply {
  let body = `{"status":"success","data":${dataJson}`;
  if (notes.warnings !== undefined && notes.warnings.length > 0) {
    body += `,"warnings":${JSON.stringify(notes.warnings)}`;
  }
  if (notes.infos !== undefined && notes.infos.length > 0) {
    body += `,"infos":${JSON.stringify(notes.infos)}`;
  }
  return reply.code(200).type('application/json; charset=utf-8').send(`${body}}`);
}

/**
 * Answers a parameter or query error with Prometheus' error type and text; rethrows anything
 * else, which the server's error handler answers as `internal`.
 *
 * @example
 * try { … } catch (err) { return sendQueryError(reply, err); }
 */
export function sendQueryError(reply: FastifyReply, err: unknown): FastifyReply {
  if (err instanceof ParamError) return sendError(reply, 'bad_data', err.message);
  // Prometheus reports everything the engine refuses before running as a bad "query" parameter.
  if (err instanceof QueryParseError) {
    return sendError(reply, 'bad_data', `invalid parameter "query": ${err.message}`);
  }
  if (err instanceof QueryTimeoutError) return sendError(reply, 'timeout', err.message);
  if (err instanceof QueryTooManySamplesError || err instanceof QueryExecutionError) {
    return sendError(reply, 'execution', err.message);
  }
  throw err;
}

/**
 * Answers 503 `unavailable` for a request that arrives before the storage is open.
 *
 * @example
 * const q = options.queryable();
 * if (q === null) return sendUnavailable(reply);
 */
export function sendUnavailable(reply: FastifyReply): FastifyReply {
  return sendError(reply, 'unavailable', 'the TSDB is not open yet');
}
