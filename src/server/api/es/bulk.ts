/**
 * @module
 * `POST`/`PUT /_bulk` and `/<index>/_bulk`. The body is taken as bytes whatever its content type
 * (shippers send `application/x-ndjson`, `application/json` and the versioned Elasticsearch
 * types), gunzipped when `Content-Encoding: gzip`, and handed to the bulk mapping in
 * `logs/ingest/es-bulk.ts`. Query parameters shippers add (`refresh`, `pipeline`, `routing`,
 * `timeout`) are accepted; documents are searchable within a second anyway. `filter_path` cuts
 * the answer down as Elasticsearch's does (`filter-path.ts`, applied to every answer of the ES
 * API in `routes.ts`).
 */

import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { bulk } from '../../../logs/ingest/es-bulk.js';
import { StoreBusyError } from '../../../logs/store/errors.js';
import type { LogWriter } from '../../../logs/store/interface.js';
import { sendEsError, sendStoreNotOpen } from './envelope.js';

const gunzipAsync = promisify(gunzip);

export interface BulkRouteOptions {
  /** Where documents go, or null while the log store is not open. */
  writer: () => LogWriter | null;
  /** The most bytes of a body, compressed and decompressed. */
  bodyLimit: number;
}

/**
 * Registers the bulk routes. Must be called in a scope where every content type is parsed as a
 * Buffer (see `routes.ts`).
 */
export function registerBulkRoutes(app: FastifyInstance, options: BulkRouteOptions): void {
  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const writer = options.writer();
    if (writer === null) {
      return sendStoreNotOpen(reply);
    }
    const body = await bodyText(request, options.bodyLimit);
    if (typeof body !== 'string') return sendEsError(reply, body.status, body.type, body.reason);
    if (body.trim() === '') {
      return sendEsError(
        reply,
        400,
        'action_request_validation_exception',
        'Validation Failed: 1: no requests added;',
      );
    }
    const index = (request.params as { index?: string }).index;
    try {
      const res = await bulk(writer, body, index === undefined ? {} : { defaultIndex: index });
      return reply.type('application/json').send(res);
    } catch (err) {
      if (err instanceof StoreBusyError) {
        return sendEsError(reply, 429, 'es_rejected_execution_exception', err.message);
      }
      throw err;
    }
  };
  for (const url of ['/_bulk', '/:index/_bulk']) {
    app.post(url, handler);
    app.put(url, handler);
  }
}

interface BodyError {
  status: number;
  type: string;
  reason: string;
}

async function bodyText(request: FastifyRequest, limit: number): Promise<string | BodyError> {
  let raw = request.body;
  if (!Buffer.isBuffer(raw)) {
    return { status: 400, type: 'parse_exception', reason: 'request body is required' };
  }
  const encoding = String(request.headers['content-encoding'] ?? '')
    .trim()
    .toLowerCase();
  if (encoding === 'gzip') {
    try {
      raw = await gunzipAsync(raw, { maxOutputLength: limit });
    } catch (err) {
      const tooLarge = (err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE';
      return tooLarge
        ? {
            status: 413,
            type: 'content_too_long_exception',
            reason: `cannot read bulk body: more than ${limit} bytes after gunzip`,
          }
        : {
            status: 400,
            type: 'parse_exception',
            reason: `cannot gunzip bulk body: ${(err as Error).message}`,
          };
    }
  } else if (encoding !== '' && encoding !== 'identity') {
    return {
      status: 415,
      type: 'illegal_argument_exception',
      reason: `cannot read bulk body: unsupported Content-Encoding ${encoding}`,
    };
  }
  return (raw as Buffer).toString('utf8');
}
