/**
 * @module
 * Request bodies of the search-side routes, which arrive as bytes (the plugin reads every body
 * raw, see `routes.ts`): a JSON object (`_search`, `_count`, `_field_caps`) or Elasticsearch's
 * NDJSON (`_msearch`). GET requests may carry a body too, as Elasticsearch allows, or pass it
 * as `?source=` with `source_content_type`.
 */

import type { FastifyRequest } from 'fastify';
import { EsApiError } from './targets.js';

/**
 * The raw body of a request. Fastify parses bodies of POST and PUT only; Elasticsearch reads a
 * GET's body too (`curl -XGET … -d '{"query":…}'`), so a GET's is read from the socket here,
 * up to `limit` bytes.
 *
 * @throws {EsApiError} 413 when the body is larger than `limit`.
 * @example
 * const raw = await rawBody(request, 32 << 20);
 */
export async function rawBody(request: FastifyRequest, limit: number): Promise<Buffer | undefined> {
  if (Buffer.isBuffer(request.body)) return request.body;
  const h = request.headers;
  if (
    request.method !== 'GET' ||
    (h['content-length'] === undefined && h['transfer-encoding'] === undefined)
  ) {
    return undefined;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request.raw) {
    const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
    size += b.length;
    if (size > limit) {
      throw new EsApiError(
        413,
        'content_too_long_exception',
        `cannot read request body: more than ${limit} bytes`,
      );
    }
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}

/**
 * The body as a JSON object, or undefined when there is none.
 *
 * @throws {EsApiError} 400 `parse_exception` when it is not a JSON object.
 * @example
 * jsonObject(Buffer.from('{"size":0}')); // { size: 0 }
 */
export function jsonObject(body: unknown, source?: string): Record<string, unknown> | undefined {
  let text: string;
  if (Buffer.isBuffer(body) && body.length > 0) text = body.toString('utf8');
  else if (typeof source === 'string' && source !== '') text = source;
  else return undefined;
  if (text.trim() === '') return undefined;
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (err) {
    throw new EsApiError(
      400,
      'x_content_parse_exception',
      `cannot parse request body: ${(err as Error).message}`,
    );
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw new EsApiError(400, 'parse_exception', 'cannot parse request body: want a JSON object');
  }
  return v as Record<string, unknown>;
}

/**
 * The non-blank lines of an NDJSON body, each parsed, with its 1-based line number; a line that
 * is not JSON is returned as an Error so one bad search fails alone.
 *
 * @example
 * ndjson(Buffer.from('{}\n{"size":0}\n')); // [{ line: 1, value: {} }, { line: 2, value: { size: 0 } }]
 */
export function ndjson(body: unknown): { line: number; value: unknown }[] {
  if (!Buffer.isBuffer(body)) return [];
  const out: { line: number; value: unknown }[] = [];
  body
    .toString('utf8')
    .split('\n')
    .forEach((raw, i) => {
      if (raw.trim() === '') return;
      try {
        out.push({ line: i + 1, value: JSON.parse(raw) as unknown });
      } catch (err) {
        out.push({
          line: i + 1,
          value: new Error(`cannot parse line ${i + 1}: ${(err as Error).message}`),
        });
      }
    });
  return out;
}
