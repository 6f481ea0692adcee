/**
 * @module
 * `GET /api/v1/logs/context`: the lines around one document in the same stream, what "view
 * surrounding lines" shows. The document is named by `index` and its page token (`sort` of a
 * hit); its stream is the set of fields that identify where the line came from, by default the
 * first of these the document has: `log.file.path`; the pod UID, container name and output
 * stream of a Kubernetes container; `container.id`; the systemd unit and host of a journald
 * line; the host. `stream=a,b` names the fields instead. `size` lines (default 10) come before
 * and after, both in time order.
 */

import type { FastifyInstance } from 'fastify';
import { forEachField, type FieldValue } from '../../../logs/model/fields.js';
import type { Query } from '../../../logs/query/query.js';
import { search, type Hit } from '../../../logs/query/search.js';
import type { LogSearcher, Position } from '../../../logs/store/interface.js';
import { sendData, sendError } from '../prom-v1/envelope.js';
import { ParamError } from '../prom-v1/params.js';
import { intParam, logParams, positionOf } from './params.js';
import { hitJson, sendLogError } from './search.js';

/** Candidate stream keys, most specific first; the first set the document has wins. */
const STREAM_KEYS: readonly (readonly string[])[] = [
  ['log.file.path'],
  ['kubernetes.pod.uid', 'kubernetes.container.name', 'stream'],
  ['container.id'],
  ['systemd.unit', 'host.name'],
  ['host.name'],
];

export function registerContextRoute(
  app: FastifyInstance,
  options: { searcher: () => LogSearcher | null },
): void {
  app.get('/api/v1/logs/context', async (request, reply) => {
    const searcher = options.searcher();
    if (searcher === null) return sendError(reply, 'unavailable', 'the log store is not open yet');
    try {
      const p = logParams(request.query, undefined);
      const index = p.get('index');
      const token = p.get('sort');
      if (index === undefined || index === '') throw new ParamError('is required', 'index');
      if (token === undefined) throw new ParamError('is required', 'sort');
      const anchor = positionOf(token, 'sort');
      const size = intParam(p, 'size', 10, 1, 1000);
      const doc = await findDocument(searcher, index, anchor);
      if (doc === undefined) return sendError(reply, 'not_found', 'no such document');
      const values = new Map<string, FieldValue>();
      forEachField(doc.source, (path, v) => {
        if (!values.has(path)) values.set(path, v);
      });
      const asked = p.get('stream');
      const keys =
        asked !== undefined
          ? asked
              .split(',')
              .map((s) => s.trim())
              .filter((s) => s !== '')
          : (STREAM_KEYS.find((set) => values.has(set[0]!)) ?? []).filter((k) => values.has(k));
      const query: Query = {
        kind: 'and',
        children: keys.map((k) => {
          const v = values.get(k);
          return v === undefined
            ? { kind: 'not', child: { kind: 'exists', field: { kind: 'path', path: k } } }
            : { kind: 'term', field: { kind: 'path', path: k }, value: v };
        }),
      };
      const around = (sort: 'desc' | 'asc') =>
        search(searcher, {
          indices: [index],
          query,
          sort,
          size,
          after: anchor,
          trackTotalHits: false,
        });
      const [before, after] = await Promise.all([around('desc'), around('asc')]);
      return sendData(reply, {
        stream: Object.fromEntries(keys.map((k) => [k, values.get(k) ?? null])),
        anchor: hitJson(doc),
        before: before.hits.reverse().map(hitJson),
        after: after.hits.map(hitJson),
      });
    } catch (err) {
      return sendLogError(reply, err);
    }
  });
}

async function findDocument(
  searcher: LogSearcher,
  index: string,
  at: Position,
): Promise<Hit | undefined> {
  let found: Hit | undefined;
  await searcher.search(
    { indices: [index], query: { kind: 'all' }, order: 'asc', from: at.ms, to: at.ms + 1 },
    (block) => {
      for (let i = 0; i < block.length; i++) {
        const p = block.position(i);
        if (p.ns === at.ns && p.tiebreak === at.tiebreak) {
          found = {
            index: block.index,
            id: block.id(i),
            time: { ms: block.ms[i]!, ns: block.ns[i]! },
            source: block.source(i),
            sort: p,
          };
          return false;
        }
      }
      return true;
    },
  );
  return found;
}
