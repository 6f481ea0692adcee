/**
 * @module
 * Bodies read as bytes, whatever their content type, for the plugins whose wire formats label
 * bodies loosely (Elasticsearch's NDJSON, Loki's protobuf, JSON lines) or compress them: the
 * route decides how to read them after looking at `Content-Encoding`.
 */

import type { FastifyInstance } from 'fastify';

/**
 * Replaces the plugin's body parsers with one that hands every body over as a Buffer of at
 * most `bodyLimit` bytes (larger bodies get 413). Call it first in an encapsulated plugin.
 *
 * @example
 * export async function myApi(app: FastifyInstance) { rawBodies(app, 32 << 20); … }
 */
export function rawBodies(app: FastifyInstance, bodyLimit: number): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit }, (_r, b, done) => done(null, b));
}
