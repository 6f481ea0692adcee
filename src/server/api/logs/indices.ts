/**
 * @module
 * `GET /api/v1/logs/indices` (every index with its documents, bytes, time span and the retention
 * rule that applies to it),
 * `DELETE /api/v1/logs/indices/<names>` (comma-separated exact names; answers the names deleted,
 * 404 when none of them exists) and
 * `GET /api/v1/logs/fields` (the fields of the indices asked, with every type seen, whether they
 * are indexed, and their top values among the newest documents matching `q`, which is what a
 * field sidebar shows: Kibana samples the same way).
 */

import type { FastifyInstance } from 'fastify';
import { forEachField, type FieldValue } from '../../../logs/model/fields.js';
import type { LogSearcher, LogWriter } from '../../../logs/store/interface.js';
import { sendData, sendError } from '../prom-v1/envelope.js';
import { indicesParam, intParam, logParams, queryParam, timeParam } from './params.js';
import { sendLogError } from './search.js';

/** The retention rule of an index as listed: the rule's pattern and limits (absent: none). */
export interface IndexRetention {
  indices: string;
  maxAgeMs?: number;
  maxBytes?: number;
}

/** Top values listed per field. */
const TOP = 5;

export function registerIndexRoutes(
  app: FastifyInstance,
  options: {
    searcher: () => LogSearcher | null;
    writer: () => LogWriter | null;
    retentionOf?: (index: string) => IndexRetention | undefined;
  },
): void {
  app.get('/api/v1/logs/indices', async (_request, reply) => {
    const searcher = options.searcher();
    if (searcher === null) return sendError(reply, 'unavailable', 'the log store is not open yet');
    const indices = await searcher.indices();
    const retentionOf = options.retentionOf;
    if (retentionOf === undefined) return sendData(reply, indices);
    return sendData(
      reply,
      indices.map((i) => ({ ...i, retention: retentionOf(i.name) ?? null })),
    );
  });

  app.delete('/api/v1/logs/indices/:names', async (request, reply) => {
    const writer = options.writer();
    if (writer === null) return sendError(reply, 'unavailable', 'the log store is not open yet');
    const names = (request.params as { names: string }).names.split(',').filter((n) => n !== '');
    const pattern = names.find((n) => n.includes('*'));
    if (pattern !== undefined) {
      return sendError(reply, 'bad_data', `cannot delete "${pattern}": name indices exactly`);
    }
    const deleted = await writer.deleteIndices(names);
    if (deleted.length === 0) {
      return sendError(reply, 'not_found', `no such index: ${names.join(', ')}`);
    }
    return sendData(reply, { deleted });
  });

  app.get('/api/v1/logs/fields', async (request, reply) => {
    const searcher = options.searcher();
    if (searcher === null) return sendError(reply, 'unavailable', 'the log store is not open yet');
    try {
      const p = logParams(request.query, undefined);
      const now = Date.now();
      const indices = indicesParam(p);
      const sample = intParam(p, 'sample', 500, 0, 10_000);
      const from = timeParam(p, 'start', now);
      const to = timeParam(p, 'end', now, true);
      const mapping = await searcher.mapping(indices);
      const counts = new Map<string, Map<string, { value: FieldValue; count: number }>>();
      const present = new Map<string, number>();
      let seen = 0;
      if (sample > 0) {
        await searcher.search(
          {
            indices,
            query: queryParam(p, now),
            order: 'desc',
            ...(from === undefined ? {} : { from }),
            ...(to === undefined ? {} : { to }),
            sources: true,
          },
          (block) => {
            for (let i = 0; i < block.length && seen < sample; i++, seen++) {
              const inDoc = new Set<string>();
              forEachField(block.source(i), (path, value) => {
                if (!inDoc.has(path)) present.set(path, (present.get(path) ?? 0) + 1);
                inDoc.add(path);
                let m = counts.get(path);
                if (m === undefined) counts.set(path, (m = new Map()));
                const key = `${typeof value}:${String(value)}`;
                const c = m.get(key);
                if (c === undefined) m.set(key, { value, count: 1 });
                else c.count++;
              });
            }
            return seen < sample;
          },
        );
      }
      const fields = [...mapping.values()]
        .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
        .map((f) => ({
          path: f.path,
          types: f.types,
          conflict: f.types.length > 1,
          indexed: f.indexed,
          sampled: present.get(f.path) ?? 0,
          top: [...(counts.get(f.path)?.values() ?? [])]
            .sort((a, b) => b.count - a.count)
            .slice(0, TOP),
        }));
      return sendData(reply, { sample: seen, fields });
    } catch (err) {
      return sendLogError(reply, err);
    }
  });
}
