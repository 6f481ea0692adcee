/**
 * @module
 * `DELETE /<index>`: deletes indices named exactly, comma-separated. Elasticsearch 8 refuses
 * wildcards and `_all` here by default (`action.destructive_requires_name: true`), so that one
 * slip cannot empty the store, and so does Vigil. Every name must exist (else
 * `index_not_found_exception` and nothing is deleted) unless `ignore_unavailable=true`. Answers
 * `{"acknowledged": true}`.
 */

import type { FastifyInstance } from 'fastify';
import type { LogSearcher, LogWriter } from '../../../logs/store/interface.js';
import { sendStoreNotOpen } from './envelope.js';
import { sendEsException } from './errors.js';
import { EsApiError, indexNotFound, splitTargets } from './targets.js';

export function registerDeleteIndexRoute(
  app: FastifyInstance,
  options: { writer: () => LogWriter | null; searcher: () => LogSearcher | null },
): void {
  app.delete('/:index', async (request, reply) => {
    const writer = options.writer();
    const searcher = options.searcher();
    if (writer === null || searcher === null) return sendStoreNotOpen(reply);
    const q = request.query as Record<string, string | undefined>;
    const ignoreUnavailable =
      q.ignore_unavailable !== undefined && q.ignore_unavailable !== 'false';
    try {
      const names = splitTargets((request.params as { index: string }).index);
      const pattern = names.find((n) => n === '_all' || n.includes('*') || n.startsWith('-'));
      if (pattern !== undefined) {
        throw new EsApiError(
          400,
          'illegal_argument_exception',
          `Wildcard expressions or all indices are not allowed: [${pattern}]`,
        );
      }
      const existing = new Set((await searcher.indices()).map((i) => i.name));
      const missing = names.find((n) => !existing.has(n));
      if (missing !== undefined && !ignoreUnavailable) throw indexNotFound(missing);
      await writer.deleteIndices(names.filter((n) => existing.has(n)));
      return reply.send({ acknowledged: true });
    } catch (err) {
      return sendEsException(reply, err);
    }
  });
}
