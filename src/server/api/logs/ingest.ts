/**
 * @module
 * `POST /api/v1/logs/ingest?index=<name>`: the native way to send logs. The body is JSON lines,
 * one document per line (gzip allowed); `@timestamp` gives each its time, else it gets the
 * arrival time. A line that is not a JSON object, or a document the store refuses, is reported
 * with its line number and does not stop the others; the answer says how many were created.
 *
 * A top-level `_id` (a string) is the document's id and is not stored as a field, as in
 * Elasticsearch where `_id` is metadata. A document whose id is already stored is not stored
 * again and is counted in `exists`: a sender that retries a batch with the same ids (the Vigil
 * agent does) stores each document once.
 */

import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { StoreBusyError } from '../../../logs/store/errors.js';
import type { LogWriter, WriteRequest } from '../../../logs/store/interface.js';
import type { AgentRegistry } from '../../agents.js';
import { sendData, sendError } from '../prom-v1/envelope.js';

const gunzipAsync = promisify(gunzip);

/** The index documents go to when the request names none. */
export const DEFAULT_INGEST_INDEX = 'logs-default';

/** Elasticsearch's limit on `_id`. */
const MAX_ID_BYTES = 512;

export interface LogIngestOptions {
  writer: () => LogWriter | null;
  /** Most bytes of a body, before and after gunzip. */
  bodyLimit: number;
  /** Where requests from `vigil agent` are recorded, for the Status page; none when absent. */
  agents?: AgentRegistry;
}

interface Rejection {
  line: number;
  type: string;
  reason: string;
}

export function registerIngestRoute(app: FastifyInstance, options: LogIngestOptions): void {
  app.post('/api/v1/logs/ingest', async (request, reply) => {
    const writer = options.writer();
    if (writer === null) return sendError(reply, 'unavailable', 'the log store is not open yet');
    let body = request.body;
    if (!Buffer.isBuffer(body)) return sendError(reply, 'bad_data', 'the request has no body');
    const wireBytes = body.length;
    if (String(request.headers['content-encoding'] ?? '').toLowerCase() === 'gzip') {
      try {
        body = await gunzipAsync(body, { maxOutputLength: options.bodyLimit });
      } catch (err) {
        return sendError(reply, 'bad_data', `cannot gunzip body: ${(err as Error).message}`);
      }
    }
    const index = (request.query as { index?: string }).index || DEFAULT_INGEST_INDEX;
    const docs: WriteRequest[] = [];
    const lines: number[] = [];
    const rejected: Rejection[] = [];
    const text = (body as Buffer).toString('utf8');
    let line = 0;
    for (let pos = 0; pos < text.length;) {
      let end = text.indexOf('\n', pos);
      if (end === -1) end = text.length;
      const raw = text.slice(pos, end);
      pos = end + 1;
      line++;
      if (raw.trim() === '') continue;
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw);
      } catch (err) {
        rejected.push({
          line,
          type: 'parse_error',
          reason: `cannot parse line ${line}: ${(err as Error).message}`,
        });
        continue;
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        rejected.push({ line, type: 'parse_error', reason: `line ${line} is not a JSON object` });
        continue;
      }
      const doc = parsed as Record<string, unknown>;
      const id = doc._id;
      if (id !== undefined) {
        if (typeof id !== 'string' || id === '' || Buffer.byteLength(id) > MAX_ID_BYTES) {
          rejected.push({
            line,
            type: 'parse_error',
            reason: `line ${line}: _id must be a string of 1 to ${MAX_ID_BYTES} bytes`,
          });
          continue;
        }
        delete doc._id;
        docs.push({ index, op: 'create', id, source: doc });
      } else {
        docs.push({ index, op: 'index', source: doc });
      }
      lines.push(line);
    }
    // Every non-blank line, stored or not: what the sender sent.
    const received = docs.length + rejected.length;
    let created = 0;
    let exists = 0;
    if (docs.length > 0) {
      try {
        const results = await writer.write(docs);
        results.forEach((r, i) => {
          if (r.status === 'created') created++;
          else if (r.status === 'exists') exists++;
          else if (r.status === 'rejected')
            rejected.push({ line: lines[i]!, type: r.type, reason: r.reason });
        });
      } catch (err) {
        if (err instanceof StoreBusyError) return sendError(reply, 'unavailable', err.message, 429);
        throw err;
      }
    }
    rejected.sort((a, b) => a.line - b.line);
    options.agents?.record(request, {
      index,
      documents: received,
      bytes: wireBytes,
    });
    return sendData(reply, { index, created, exists, rejected });
  });
}
