/**
 * @module
 * The response envelope of the Prometheus HTTP API, which every `/api/v1` route answers in so
 * that Prometheus clients (Grafana, our UI) read results and errors the same way.
 */

import type { FastifyReply } from 'fastify';

/** Prometheus' error types, as sent in `errorType`. */
export type ErrorType =
  'bad_data' | 'not_found' | 'timeout' | 'canceled' | 'execution' | 'internal' | 'unavailable';

const STATUS_OF: Readonly<Record<ErrorType, number>> = {
  bad_data: 400,
  not_found: 404,
  timeout: 503,
  canceled: 499,
  execution: 422,
  internal: 500,
  unavailable: 503,
};

/** Sends `{"status":"success","data":…}`. */
export function sendData(reply: FastifyReply, data: unknown): FastifyReply {
  return reply.code(200).send({ status: 'success', data });
}

/**
 * Sends `{"status":"error","errorType":…,"error":…}`, by default with the HTTP status Prometheus
 * uses for that type.
 *
 * @example
 * sendError(reply, 'bad_data', 'invalid parameter "start"');
 */
export function sendError(
  reply: FastifyReply,
  errorType: ErrorType,
  error: string,
  statusCode = STATUS_OF[errorType],
): FastifyReply {
  return reply.code(statusCode).send({ status: 'error', errorType, error });
}

/** The error type for an HTTP status code, for errors raised outside a route handler. */
export function errorTypeOf(statusCode: number): ErrorType {
  if (statusCode === 404) return 'not_found';
  if (statusCode === 503) return 'unavailable';
  return statusCode >= 500 ? 'internal' : 'bad_data';
}
