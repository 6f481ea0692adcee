/**
 * @module
 * The index-level read endpoints clients call to learn what is there: `GET /_mapping` and
 * `/<index>/_mapping` (Grafana lists fields from it), `_field_caps` (Kibana's data views),
 * `_cat/indices` (text or `?format=json`), `HEAD|GET /<index>` and `_resolve/index/<pattern>`.
 *
 * `GET /<index>` shares the root's single-segment paths with the web app's own pages
 * (`/logs`, `/status`): a browser's request (`Accept: text/html`) goes on to the web app's
 * fallback, as `GET /` does, even when an index has that name.
 */

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { matchParts } from '../../../logs/query/filter/field.js';
import type { IndexInfo, LogSearcher } from '../../../logs/store/interface.js';
import { jsonObject, rawBody } from './body.js';
import { sendStoreNotOpen } from './envelope.js';
import { sendEsException } from './errors.js';
import { fieldCaps, propertiesOf } from './mapping-tree.js';
import { bytesIn, EsApiError, humanBytes, resolveTargets, splitTargets } from './targets.js';

export interface IndexRouteOptions {
  /** The store, or null while it is not open. */
  searcher: () => LogSearcher | null;
  /** The most bytes of a request body. */
  bodyLimit: number;
}

type Query = Record<string, string | undefined>;

/** The searcher, or a 503 sent. */
function open(options: IndexRouteOptions, reply: FastifyReply): LogSearcher | undefined {
  const s = options.searcher();
  if (s === null) {
    sendStoreNotOpen(reply);
    return undefined;
  }
  return s;
}

/** `?ignore_unavailable=true` (and the flag `?ignore_unavailable`). */
function flag(q: Query, name: string): boolean {
  const v = q[name];
  return v !== undefined && v !== 'false';
}

async function targetsOf(
  searcher: LogSearcher,
  request: FastifyRequest,
  ignoreUnavailable = flag(request.query as Query, 'ignore_unavailable'),
): Promise<IndexInfo[]> {
  const expr = (request.params as { index?: string }).index;
  return resolveTargets(splitTargets(expr ?? '*'), await searcher.indices(), ignoreUnavailable);
}

async function mappingsOf(searcher: LogSearcher, indices: readonly IndexInfo[]) {
  const out: Record<string, unknown> = {};
  for (const i of indices) {
    out[i.name] = { mappings: { properties: propertiesOf(await searcher.mapping([i.name])) } };
  }
  return out;
}

function settingsOf(i: IndexInfo) {
  return {
    index: {
      number_of_shards: '1',
      number_of_replicas: '0',
      provided_name: i.name,
      creation_date: String(i.minMs ?? 0),
      uuid: i.name,
      version: { created: '8110099' },
    },
  };
}

/** A `_cat/indices` row, every value a string as `_cat` gives them. */
function catRow(i: IndexInfo, bytes: string | undefined): Record<string, string> {
  const size = bytes === undefined ? humanBytes(i.bytes) : bytesIn(i.bytes, bytes);
  return {
    health: 'green',
    status: 'open',
    index: i.name,
    uuid: i.name,
    pri: '1',
    rep: '0',
    'docs.count': String(i.docs),
    'docs.deleted': '0',
    'store.size': size,
    'pri.store.size': size,
  };
}

const CAT_DEFAULT = ['health', 'status', 'index', 'uuid', 'pri', 'rep', 'docs.count'];

/** `_cat`'s text table: columns padded to their widest cell, `v` adds the header. */
function catText(rows: Record<string, string>[], columns: string[], header: boolean): string {
  const table = header ? [Object.fromEntries(columns.map((c) => [c, c])), ...rows] : rows;
  const widths = columns.map((c) => Math.max(...table.map((r) => (r[c] ?? '').length)));
  return table
    .map(
      (r) =>
        columns
          .map((c, k) => (r[c] ?? '').padEnd(widths[k]!))
          .join(' ')
          .trimEnd() + '\n',
    )
    .join('');
}

/**
 * Registers the index endpoints. Must be called inside the plugin of `routes.ts`, which reads
 * bodies as bytes.
 *
 * @example
 * registerIndexRoutes(app, { searcher: () => store, bodyLimit: 32 << 20 });
 */
export function registerIndexRoutes(app: FastifyInstance, options: IndexRouteOptions): void {
  const mapping = async (request: FastifyRequest, reply: FastifyReply) => {
    const searcher = open(options, reply);
    if (searcher === undefined) return reply;
    try {
      return reply.send(await mappingsOf(searcher, await targetsOf(searcher, request)));
    } catch (err) {
      return sendEsException(reply, err);
    }
  };
  app.get('/_mapping', mapping);
  app.get('/:index/_mapping', mapping);

  const caps = async (request: FastifyRequest, reply: FastifyReply) => {
    const searcher = open(options, reply);
    if (searcher === undefined) return reply;
    try {
      const q = request.query as Query;
      const fromBody = jsonObject(await rawBody(request, options.bodyLimit)) ?? {};
      const fields = splitTargets(q.fields ?? (fromBody.fields as unknown) ?? '*');
      const wanted = (p: string) =>
        fields.some((f) => (f.includes('*') ? matchParts(f.split('*'), p) : f === p));
      const indices = await targetsOf(searcher, request);
      const byIndex = new Map();
      for (const i of indices) byIndex.set(i.name, await searcher.mapping([i.name]));
      return reply.send({
        indices: indices.map((i) => i.name),
        fields: fieldCaps(byIndex, wanted),
      });
    } catch (err) {
      return sendEsException(reply, err);
    }
  };
  for (const url of ['/_field_caps', '/:index/_field_caps']) {
    app.get(url, caps);
    app.post(url, caps);
  }

  const cat = async (request: FastifyRequest, reply: FastifyReply) => {
    const searcher = open(options, reply);
    if (searcher === undefined) return reply;
    try {
      const q = request.query as Query;
      const indices = await targetsOf(searcher, request, true);
      const rows = indices.map((i) => catRow(i, q.bytes));
      const sortKey = q.s?.split(':')[0];
      if (sortKey !== undefined)
        rows.sort((a, b) => (a[sortKey] ?? '').localeCompare(b[sortKey] ?? ''));
      if (q.s?.endsWith(':desc') === true) rows.reverse();
      const columns =
        q.h === undefined
          ? [...CAT_DEFAULT, 'docs.deleted', 'store.size', 'pri.store.size']
          : q.h.split(',');
      if (q.format === 'json') {
        return reply.send(
          rows.map((r) => Object.fromEntries(columns.map((c) => [c, r[c] ?? null]))),
        );
      }
      return reply.type('text/plain; charset=UTF-8').send(catText(rows, columns, flag(q, 'v')));
    } catch (err) {
      return sendEsException(reply, err);
    }
  };
  app.get('/_cat/indices', cat);
  app.get('/_cat/indices/:index', cat);

  app.get('/_resolve/index/:index', async (request, reply) => {
    const searcher = open(options, reply);
    if (searcher === undefined) return reply;
    try {
      const indices = await targetsOf(searcher, request, true);
      return reply.send({
        indices: indices.map((i) => ({ name: i.name, attributes: ['open'] })),
        aliases: [],
        data_streams: [],
      });
    } catch (err) {
      return sendEsException(reply, err);
    }
  });

  const index = async (request: FastifyRequest, reply: FastifyReply) => {
    // The web app's pages share these paths; browsers get the app, as for `/`.
    if (String(request.headers.accept ?? '').includes('text/html')) return reply.callNotFound();
    const searcher = open(options, reply);
    if (searcher === undefined) return reply;
    let indices: IndexInfo[];
    try {
      indices = await targetsOf(searcher, request);
    } catch (err) {
      if (request.method === 'HEAD' && err instanceof EsApiError)
        return reply.code(err.status).send();
      return sendEsException(reply, err);
    }
    if (request.method === 'HEAD') return reply.code(indices.length > 0 ? 200 : 404).send();
    const mappings = await mappingsOf(searcher, indices);
    const out: Record<string, unknown> = {};
    for (const i of indices) {
      out[i.name] = { aliases: {}, ...(mappings[i.name] as object), settings: settingsOf(i) };
    }
    return reply.send(out);
  };
  app.get('/:index', index);
}
