/**
 * @module
 * `POST /loki/api/v1/push`, answering as Loki does: 204 when every entry is stored, 400 with a
 * plain-text reason for a body that cannot be read or entries that were refused (the others are
 * stored), 429 when the store pushes back, 503 while it is not open. Protobuf bodies are
 * snappy block-compressed (`application/x-protobuf`); JSON bodies may be gzipped.
 */

import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { rawBodies } from '../raw-body.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ProtobufError } from '../../../lib/encoding/protobuf-reader.js';
import { snappyDecode, SnappyError, SnappyTooLargeError } from '../../../lib/snappy/index.js';
import {
  decodeLokiJson,
  decodeLokiProtobuf,
  LokiPushError,
} from '../../../logs/ingest/loki-push.js';
import { StoreBusyError } from '../../../logs/store/errors.js';
import type { LogWriter, WriteRequest } from '../../../logs/store/interface.js';

const gunzipAsync = promisify(gunzip);

export interface LokiPushOptions {
  /** Where entries go, or null while the log store is not open. */
  writer: () => LogWriter | null;
  /** The index Loki's entries are written to. */
  index: string;
  /** The most bytes of a body, compressed and decompressed. */
  bodyLimit: number;
}

/**
 * The plugin; register it without a prefix.
 *
 * @example
 * await app.register(lokiPush, { writer: () => store, index: 'logs-loki', bodyLimit: 32 << 20 });
 */
export async function lokiPush(app: FastifyInstance, options: LokiPushOptions): Promise<void> {
  rawBodies(app, options.bodyLimit);
  app.post('/loki/api/v1/push', async (request, reply) => {
    const writer = options.writer();
    if (writer === null) return text(reply, 503, 'the log store is not open yet');
    let docs: WriteRequest[];
    try {
      docs = await decode(request, options);
    } catch (err) {
      if (
        err instanceof LokiPushError ||
        err instanceof ProtobufError ||
        err instanceof SnappyError
      ) {
        return text(reply, err instanceof SnappyTooLargeError ? 413 : 400, err.message);
      }
      throw err;
    }
    if (docs.length === 0) return reply.code(204).send();
    let results;
    try {
      results = await writer.write(docs);
    } catch (err) {
      if (err instanceof StoreBusyError) return text(reply, 429, err.message);
      throw err;
    }
    const refused = results.filter((r) => r.status === 'rejected');
    if (refused.length === 0) return reply.code(204).send();
    const first = refused[0]!;
    return text(
      reply,
      400,
      `${refused.length} of ${docs.length} entries refused; first: ${'reason' in first ? first.reason : ''}`,
    );
  });
}

async function decode(request: FastifyRequest, options: LokiPushOptions): Promise<WriteRequest[]> {
  const body = request.body;
  if (!Buffer.isBuffer(body)) throw new LokiPushError('the request has no body');
  const type = String(request.headers['content-type'] ?? '')
    .split(';', 1)[0]!
    .trim()
    .toLowerCase();
  if (type === 'application/x-protobuf') {
    return decodeLokiProtobuf(snappyDecode(body, options.bodyLimit), options.index);
  }
  if (type !== 'application/json' && type !== '') {
    throw new LokiPushError(
      `unsupported Content-Type ${type}: send application/json or application/x-protobuf`,
    );
  }
  let raw: Buffer = body;
  const encoding = String(request.headers['content-encoding'] ?? '')
    .trim()
    .toLowerCase();
  if (encoding === 'gzip') {
    try {
      raw = await gunzipAsync(body, { maxOutputLength: options.bodyLimit });
    } catch (err) {
      throw new LokiPushError(`cannot gunzip body: ${(err as Error).message}`);
    }
  }
  return decodeLokiJson(raw.toString('utf8'), options.index);
}

function text(reply: FastifyReply, status: number, message: string): FastifyReply {
  return reply.code(status).type('text/plain; charset=utf-8').send(`${message}\n`);
}
