/**
 * @module
 * `GET /api/v1/logs/tail`: live tail as Server-Sent Events. Each `hits` event carries the
 * documents matching `q` (in `index`) that arrived since the last, oldest first; a `ping`
 * comment every 15 s keeps proxies from closing the stream.
 *
 * Documents are ordered by their own `@timestamp`, which a shipper may set well before the line
 * reaches Vigil, so polling "after the last position sent" would miss late arrivals. Instead
 * each poll (every `POLL_MS`) reads the last `LATE_MS` of time and sends the documents it has
 * not sent yet, remembering the ids sent within that window: a line is seen within one poll if
 * it arrives less than `LATE_MS` after its timestamp.
 */

import type { FastifyInstance } from 'fastify';
import { search } from '../../../logs/query/search.js';
import type { LogSearcher } from '../../../logs/store/interface.js';
import { sendError } from '../prom-v1/envelope.js';
import { indicesParam, logParams, queryParam } from './params.js';
import { hitJson, sendLogError } from './search.js';

/** Matching documents are written within 1 s: a write is searchable within 1 s, plus this. */
const POLL_MS = 500;
/** How late (behind its timestamp) a line may arrive and still be tailed. */
const LATE_MS = 10_000;
/** Most documents per event; the rest follow in the next poll. */
const MAX_PER_POLL = 1000;
const PING_MS = 15_000;

export function registerTailRoute(
  app: FastifyInstance,
  options: { searcher: () => LogSearcher | null },
): void {
  app.get('/api/v1/logs/tail', async (request, reply) => {
    const searcher = options.searcher();
    if (searcher === null) return sendError(reply, 'unavailable', 'the log store is not open yet');
    let query;
    let indices: string[];
    try {
      const p = logParams(request.query, undefined);
      query = queryParam(p, Date.now());
      indices = indicesParam(p);
    } catch (err) {
      return sendLogError(reply, err);
    }
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write(': tailing\n\n');
    // Only what arrives from now on: the ids already there are marked sent.
    const sent = new Map<string, number>();
    let stopped = false;
    let lastPing = Date.now();
    const poll = async (first: boolean) => {
      const now = Date.now();
      for (const [id, ms] of sent) if (ms < now - LATE_MS) sent.delete(id);
      const out = await search(searcher, {
        indices,
        query,
        from: now - LATE_MS,
        sort: 'asc',
        size: first ? 100_000 : sent.size + MAX_PER_POLL,
        trackTotalHits: false,
      });
      const fresh = out.hits.filter((h) => !sent.has(`${h.index}/${h.id}`));
      for (const h of fresh) sent.set(`${h.index}/${h.id}`, h.time.ms);
      if (!first && fresh.length > 0) {
        res.write(
          `event: hits\ndata: ${JSON.stringify(fresh.slice(0, MAX_PER_POLL).map(hitJson))}\n\n`,
        );
      } else if (now - lastPing > PING_MS) {
        res.write(': ping\n\n');
        lastPing = now;
      }
    };
    const loop = async () => {
      let first = true;
      while (!stopped) {
        try {
          await poll(first);
        } catch (err) {
          res.write(`event: error\ndata: ${JSON.stringify({ error: (err as Error).message })}\n\n`);
        }
        first = false;
        await new Promise((r) => setTimeout(r, POLL_MS));
      }
    };
    request.raw.on('close', () => {
      stopped = true;
    });
    void loop();
  });
}
