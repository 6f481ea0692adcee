/**
 * @module
 * `POST /api/v1/write`: the Prometheus remote write 1.0 receiver. It maps the wire format
 * (Snappy block-compressed protobuf `prometheus.WriteRequest`) onto a storage `Appendable` and
 * answers as the spec asks: 204 when everything was stored; 400 with a one-line plain-text
 * reason for what must not be retried (malformed body, refused samples — the rest of the request
 * is stored); 413 and 415 for bodies too large or of the wrong type; 503 while the storage is
 * not open and 500 when a commit fails, both of which a sender retries. Metadata entries go to
 * the metadata store, whatever becomes of the request's samples.
 *
 * Errors are plain text, as Prometheus' receiver sends them, not the JSON envelope of the other
 * `/api/v1` routes: senders log the body as is.
 */

import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Registry } from '../../../lib/instrument/index.js';
import type { Logger } from '../../../lib/log/logger.js';
import { snappyDecode, SnappyError, SnappyTooLargeError } from '../../../lib/snappy/index.js';
import { ProtobufError } from '../../../lib/encoding/protobuf-reader.js';
import {
  ingestWriteRequest,
  REJECT_REASONS,
  storeMetadata,
  type IngestResult,
  type RejectReason,
} from '../../../metrics/remote/ingest.js';
import { decodeWriteRequest, type WriteRequest } from '../../../metrics/remote/write-request.js';
import type { Appendable } from '../../../metrics/storage/interface.js';
import type { MetadataStore } from '../../../metrics/storage/metadata.js';

export interface WriteRouteOptions {
  /** The storage to append to, or null while it is not open. */
  appendable: () => Appendable | null;
  /** Where the requests' metric metadata is recorded. */
  metadata: MetadataStore;
  registry: Registry;
  logger: Logger;
  /** `server.max_request_body_size`: the limit on the compressed body, bytes. */
  bodyLimit: number;
}

/**
 * The least decompressed size allowed whatever the body limit. Prometheus sends at most a few
 * thousand samples per request, a few hundred KiB decompressed; 32 MiB leaves room for large
 * batches from other senders while bounding what one request can make us allocate.
 */
export const MIN_DECODED_LIMIT = 32 * 1024 * 1024;

/** Senders log the response body as is; a label value can be megabytes long. */
const MAX_ERROR_TEXT = 1024;

const MEDIA_TYPE = 'application/x-protobuf';
/** The `proto` parameter remote write 2.0 senders add; 1.0 senders omit it. */
const PROTO_V1 = 'prometheus.WriteRequest';

/** Prometheus' wording for each refusal, which users of its senders already recognise. */
const PROMETHEUS_WORDING: Readonly<Record<RejectReason, string>> = {
  out_of_order: 'out of order sample',
  duplicate: 'duplicate sample for timestamp',
  out_of_bounds: 'out of bounds',
  too_far_in_future: 'out of bounds: timestamp is too far in the future',
  invalid_labels: 'invalid labels',
};

/**
 * Registers the receiver, with its own body parser and error handler, and its metrics.
 *
 * @example
 * await registerWriteRoute(app, { appendable: () => tsdb, metadata, registry, logger, bodyLimit });
 */
export async function registerWriteRoute(
  app: FastifyInstance,
  options: WriteRouteOptions,
): Promise<void> {
  const { logger, registry } = options;
  const decodedLimit = Math.max(MIN_DECODED_LIMIT, options.bodyLimit);
  const received = registry.counter({
    name: 'vigil_remote_write_received_samples_total',
    help: 'Float samples in well-formed remote write requests, stored or not.',
  });
  const rejectedFamily = registry.counter({
    name: 'vigil_remote_write_rejected_samples_total',
    help: 'Remote write samples not stored, by reason.',
    labelNames: ['reason'],
  });
  const rejected = new Map(REJECT_REASONS.map((r) => [r, rejectedFamily.labels(r)]));
  const receivedMetadata = registry.counter({
    name: 'vigil_remote_write_received_metadata_total',
    help: 'Metric metadata entries in well-formed remote write requests, stored or not.',
  });
  const ignoredFamily = registry.counter({
    name: 'vigil_remote_write_ignored_total',
    help: 'Remote write data received and dropped: native histogram samples and exemplars (Vigil stores float samples only), and metadata entries that are not valid UTF-8, have no family name or find the metadata store full.',
    labelNames: ['kind'],
  });
  const ignored = {
    histogram: ignoredFamily.labels('histogram'),
    exemplar: ignoredFamily.labels('exemplar'),
    metadata: ignoredFamily.labels('metadata'),
  };
  const record = (req: WriteRequest, result: IngestResult | null) => {
    received.inc(req.timestamps.length);
    ignored.histogram.inc(req.histograms);
    ignored.exemplar.inc(req.exemplars);
    if (result === null) return;
    for (const reason of REJECT_REASONS) rejected.get(reason)!.inc(result.rejected[reason]);
  };

  // A scope of its own, so the raw-body parser and plain-text errors apply to this route only.
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    // Every content type reaches the handler as bytes, which answers 415 itself when it is
    // not protobuf; fastify's bodyLimit (server.max_request_body_size) still applies.
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
    scope.setErrorHandler((err: FastifyError, request, reply) => {
      const code = err.statusCode !== undefined && err.statusCode >= 400 ? err.statusCode : 500;
      if (code >= 500) logger.error('remote write failed', { url: request.url, err });
      return text(reply, code, err.message);
    });

    scope.post('/api/v1/write', async (request: FastifyRequest, reply: FastifyReply) => {
      const unsupported = checkHeaders(request);
      if (unsupported !== null) return text(reply, 415, unsupported);
      const appendable = options.appendable();
      if (appendable === null) return text(reply, 503, 'the TSDB is not open yet');
      const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      let req: WriteRequest;
      try {
        req = decodeWriteRequest(snappyDecode(body, decodedLimit));
      } catch (err) {
        if (err instanceof SnappyTooLargeError) return text(reply, 413, err.message);
        if (!(err instanceof SnappyError || err instanceof ProtobufError)) throw err;
        logger.debug('malformed remote write request', { err });
        return text(reply, 400, err.message);
      }
      receivedMetadata.inc(req.metadata.length + req.invalidMetadata);
      ignored.metadata.inc(req.invalidMetadata + storeMetadata(req, options.metadata));
      let result: IngestResult;
      try {
        result = await ingestWriteRequest(req, appendable);
      } catch (err) {
        record(req, null);
        logger.error('cannot store remote write request', { err });
        return text(reply, 500, `cannot store samples: ${(err as Error).message}`);
      }
      record(req, result);
      if (result.first === null) return reply.code(204).send();
      logger.debug('remote write samples rejected', { ...result.rejected });
      return text(reply, 400, rejectionText(result));
    });
  });
}

/** Why the request's headers rule it out (for a 415), or null when they are fine. */
function checkHeaders(request: FastifyRequest): string | null {
  // Like Prometheus, a missing header is taken to mean remote write 1.0's value.
  const type = request.headers['content-type'];
  if (type !== undefined) {
    const [media, ...params] = type.split(';').map((p) => p.trim());
    if (media!.toLowerCase() !== MEDIA_TYPE) {
      return `unsupported content type ${JSON.stringify(type)}: expected ${MEDIA_TYPE}`;
    }
    const proto = params.find((p) => p.toLowerCase().startsWith('proto='))?.slice('proto='.length);
    if (proto !== undefined && proto !== PROTO_V1) {
      return `unsupported protobuf message ${JSON.stringify(proto)}: only ${PROTO_V1} (remote write 1.0) is accepted`;
    }
  }
  const encoding = request.headers['content-encoding'];
  if (encoding !== undefined && encoding.trim().toLowerCase() !== 'snappy') {
    return `unsupported content encoding ${JSON.stringify(encoding)}: expected snappy`;
  }
  return null;
}

/** One line: Prometheus' wording, how much was refused, then the first refusal in full. */
function rejectionText(result: IngestResult): string {
  const { reason, error } = result.first!;
  let n = 0;
  for (const r of REJECT_REASONS) n += result.rejected[r];
  return `${PROMETHEUS_WORDING[reason]} (${n} of ${result.samples} samples rejected, the rest stored): ${error.message}`;
}

function text(reply: FastifyReply, code: number, message: string): FastifyReply {
  const line = message.length > MAX_ERROR_TEXT ? `${message.slice(0, MAX_ERROR_TEXT)}…` : message;
  return reply.code(code).type('text/plain; charset=utf-8').send(`${line}\n`);
}
