import { test } from 'node:test';
import assert from 'node:assert/strict';
import Fastify, { type FastifyInstance } from 'fastify';
import { tempDir } from '../../../../test/harness/temp.js';
import { openLocalStore } from '../../../logs/store/local/store.js';
import { esApi } from './routes.js';
import { FIXTURE_DOCS } from '../../../logs/query/testdata/fixture.js';

// The search-side routes of the Elasticsearch-compatible API, driven with real requests
// through fastify's inject against a real local store holding testdata/docs.json (k1-k10 in
// logs-a, the rest in logs-b).

const docs = FIXTURE_DOCS;
/**
 * Responses are checked field by field against Elasticsearch's shapes; typing each of them in
 * full would be longer than the tests.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const indexOf = (id: string) => (Number(id.slice(1)) <= 10 ? 'logs-a' : 'logs-b');

async function setup(t: { after: (fn: () => unknown) => void }) {
  const store = await openLocalStore(tempDir(t), { inlineJobs: true });
  const written = await store.write(
    docs.map((d) => ({
      index: indexOf(d._id),
      op: 'create' as const,
      id: d._id,
      source: d._source,
    })),
  );
  assert.ok(written.every((r) => r.status === 'created'));
  const app = Fastify();
  await app.register(esApi, { writer: () => store, searcher: () => store, bodyLimit: 1 << 20 });
  // Stands in for the web app's fallback, which takes browsers' requests for unknown pages.
  app.setNotFoundHandler((_req, reply) => reply.code(200).type('text/html').send('<html>'));
  t.after(async () => {
    await app.close();
    await store.close();
  });
  return { app, store };
}

async function call(
  app: FastifyInstance,
  method: 'GET' | 'POST' | 'HEAD',
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const res = await app.inject({
    method,
    url,
    headers: { 'content-type': 'application/json', ...headers },
    ...(body === undefined
      ? {}
      : { payload: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  assert.equal(res.headers['x-elastic-product'], 'Elasticsearch', url);
  const json =
    res.body === '' || !String(res.headers['content-type']).includes('json')
      ? undefined
      : (res.json() as Json);
  return { status: res.statusCode, json, text: res.body };
}

const ids = (res: Json): string[] => res.hits.hits.map((h: Json) => h._id);

test('_search: query, size, from, sort, totals, _source, fields, GET bodies and ?q=', async (t) => {
  const { app } = await setup(t);
  let r = await call(app, 'GET', '/_search', { query: { term: { level: 'warn' } } });
  assert.equal(r.status, 200);
  assert.deepEqual(ids(r.json), ['k21', 'k19', 'k3']);
  assert.deepEqual(r.json.hits.total, { value: 3, relation: 'eq' });
  assert.equal(r.json.hits.max_score, 1);
  assert.equal(r.json.hits.hits[0]._score, 1);
  assert.deepEqual(r.json._shards, { total: 2, successful: 2, skipped: 0, failed: 0 });

  r = await call(app, 'POST', '/logs-a/_search', {
    size: 2,
    from: 1,
    sort: [{ '@timestamp': { order: 'asc', unmapped_type: 'boolean' } }, { _doc: 'desc' }],
  });
  assert.deepEqual(ids(r.json), ['k5', 'k3']);
  assert.equal(r.json.hits.hits[0]._score, null);
  assert.equal(r.json.hits.max_score, null);
  assert.deepEqual(r.json.hits.total, { value: 10, relation: 'eq' });

  r = await call(
    app,
    'GET',
    '/logs-a,logs-b/_search?q=level:error&size=1&rest_total_hits_as_int=true',
  );
  assert.equal(r.json.hits.total, 5);
  assert.equal(r.json.hits.hits.length, 1);

  r = await call(app, 'POST', '/_search', { size: 0, track_total_hits: false });
  assert.equal(r.json.hits.total, undefined);
  r = await call(app, 'POST', '/_search', { size: 1, track_total_hits: 3 });
  assert.deepEqual(r.json.hits.total, { value: 3, relation: 'gte' });

  r = await call(app, 'POST', '/_search', {
    query: { term: { 'order.id': 'A-1001' } },
    _source: { includes: ['order.*', 'user'], excludes: ['user.last'] },
    fields: ['order.total', { field: '@timestamp' }],
    docvalue_fields: ['kubernetes.namespace'],
  });
  assert.deepEqual(r.json.hits.hits[0]._source, {
    order: { id: 'A-1001', total: 23.5 },
    user: { first: 'Alice' },
  });
  assert.deepEqual(r.json.hits.hits[0].fields, {
    'order.total': [23.5],
    'kubernetes.namespace': ['shop'],
    '@timestamp': ['2024-05-06T10:00:00Z'],
  });
  r = await call(app, 'POST', '/_search?_source=false', {
    query: { term: { 'order.id': 'A-1001' } },
  });
  assert.equal(r.json.hits.hits[0]._source, undefined);

  r = await call(app, 'POST', '/_count', { query: { match: { message: 'placed' } } });
  assert.deepEqual(r.json, {
    count: 2,
    _shards: { total: 2, successful: 2, skipped: 0, failed: 0 },
  });
  r = await call(app, 'GET', '/logs-b/_count?q=level:error');
  assert.equal(r.json.count, 3);
});

test('_search: search_after pages through every document once, both orders', async (t) => {
  const { app } = await setup(t);
  for (const order of ['desc', 'asc'] as const) {
    const seen: string[] = [];
    let after: unknown;
    for (let page = 0; page < 20; page++) {
      const r = await call(app, 'POST', '/_search', {
        size: 4,
        sort: [{ '@timestamp': order }],
        ...(after === undefined ? {} : { search_after: after }),
      });
      const hits = r.json.hits.hits;
      if (hits.length === 0) break;
      seen.push(...hits.map((h: Json) => h._id));
      after = hits[hits.length - 1].sort;
    }
    assert.equal(seen.length, docs.length, order);
    assert.equal(new Set(seen).size, docs.length, order);
  }
  // Only a time: resumes after every document of that millisecond.
  const r = await call(app, 'POST', '/_search', {
    sort: ['@timestamp'],
    search_after: [Date.UTC(2024, 4, 6, 11, 59, 59, 999)],
  });
  assert.deepEqual(ids(r.json), ['k6', 'k1', 'k2', 'k21', 'k20', 'k19', 'k18', 'k17', 'k16', 'k4']);
});

test('_search: highlighting as Grafana asks for it', async (t) => {
  const { app } = await setup(t);
  const r = await call(app, 'POST', '/_search', {
    query: { query_string: { query: 'message:refused OR level:warn', analyze_wildcard: true } },
    highlight: {
      fields: { '*': {} },
      pre_tags: ['@HIGHLIGHT@'],
      post_tags: ['@/HIGHLIGHT@'],
      fragment_size: 2147483647,
    },
  });
  const byId = Object.fromEntries(r.json.hits.hits.map((h: Json) => [h._id, h.highlight]));
  assert.deepEqual(byId.k5, {
    message: ['Failed to list *v1.Endpoints: connection @HIGHLIGHT@refused@/HIGHLIGHT@'],
  });
  assert.deepEqual(byId.k3, { level: ['@HIGHLIGHT@warn@/HIGHLIGHT@'] });
  const only = await call(app, 'POST', '/_search', {
    query: { match: { message: 'refused' } },
    highlight: { fields: [{ level: {} }] },
  });
  assert.equal(only.json.hits.hits[0].highlight, undefined);
});

test('_msearch: a Grafana logs query and a Grafana metrics query, and a failing one', async (t) => {
  const { app } = await setup(t);
  const from = Date.UTC(2024, 4, 6, 11);
  const to = Date.UTC(2024, 4, 6, 12);
  const range = { range: { '@timestamp': { gte: from, lte: to, format: 'epoch_millis' } } };
  const header = { search_type: 'query_then_fetch', ignore_unavailable: true, index: 'logs-*' };
  const logs = {
    size: 500,
    query: {
      bool: {
        filter: [
          range,
          { query_string: { analyze_wildcard: true, query: 'kubernetes.namespace:shop' } },
        ],
      },
    },
    sort: [
      { '@timestamp': { order: 'desc', unmapped_type: 'boolean' } },
      { _doc: { order: 'desc' } },
    ],
    script_fields: {},
    aggs: {
      '2': {
        date_histogram: {
          field: '@timestamp',
          fixed_interval: '10m',
          min_doc_count: 0,
          extended_bounds: { min: from, max: to },
          format: 'epoch_millis',
        },
      },
    },
    highlight: {
      fields: { '*': {} },
      pre_tags: ['@HIGHLIGHT@'],
      post_tags: ['@/HIGHLIGHT@'],
      fragment_size: 2147483647,
    },
  };
  const metrics = {
    size: 0,
    query: { bool: { filter: [range, { query_string: { analyze_wildcard: true, query: '*' } }] } },
    aggs: {
      '3': {
        terms: {
          field: 'kubernetes.namespace.keyword',
          size: 10,
          order: { '1': 'desc' },
          min_doc_count: '1',
        },
        aggs: {
          '1': { avg: { field: 'http.response.bytes' } },
          '4': { percentiles: { field: 'http.response.bytes', percents: ['50', '99'] } },
        },
      },
      '5': {
        filters: {
          filters: {
            'level:error': { query_string: { query: 'level:error', analyze_wildcard: true } },
            'level:warn': { query_string: { query: 'level:warn', analyze_wildcard: true } },
          },
        },
      },
      '6': { cardinality: { field: 'kubernetes.pod.name.keyword' } },
    },
  };
  const bad = { query: { bogus: {} } };
  const body =
    [header, logs, header, metrics, {}, bad, { index: 'missing' }, { size: 0 }]
      .map((x) => JSON.stringify(x))
      .join('\n') + '\n';
  const r = await call(app, 'POST', '/_msearch?max_concurrent_shard_requests=5', body, {
    'content-type': 'application/x-ndjson',
  });
  assert.equal(r.status, 200);
  const [l, m, b, missing] = r.json.responses;

  assert.equal(l.status, 200);
  assert.deepEqual(ids(l), ['k10', 'k1', 'k2', 'k21']);
  const buckets = l.aggregations['2'].buckets;
  assert.deepEqual(
    buckets.map((x: Json) => x.key),
    [0, 1, 2, 3, 4, 5, 6].map((k) => from + k * 600_000),
  );
  assert.deepEqual(
    buckets.map((x: Json) => x.doc_count),
    [0, 0, 0, 0, 0, 4, 0],
  );
  assert.equal(l.hits.hits[0].highlight['kubernetes.namespace'][0], '@HIGHLIGHT@shop@/HIGHLIGHT@');

  assert.equal(m.status, 200);
  assert.deepEqual(m.hits.hits, []);
  const ns = m.aggregations['3'].buckets;
  assert.deepEqual(
    ns.map((x: Json) => [x.key, x.doc_count]),
    [
      ['shop', 4],
      ['billing', 1],
      ['db', 1],
      ['default', 1],
      ['kube-system', 1],
    ],
  );
  assert.equal(ns[0]['1'].value, (5120 + 312 + 2 + 20000) / 4);
  assert.equal(ns[1]['1'].value, null);
  assert.deepEqual(Object.keys(ns[0]['4'].values), ['50.0', '99.0']);
  assert.deepEqual(m.aggregations['5'].buckets, {
    'level:error': { doc_count: 4 },
    'level:warn': { doc_count: 2 },
  });
  assert.equal(m.aggregations['6'].value, 6);

  assert.equal(b.status, 400);
  assert.equal(b.error.type, 'parsing_exception');
  assert.equal(b.error.reason, 'unknown query [bogus]');
  assert.equal(missing.status, 404);
  assert.equal(missing.error.type, 'index_not_found_exception');
});

test('errors in Elasticsearch shape', async (t) => {
  const { app } = await setup(t);
  const f = async (url: string, body: unknown, status: number, type: string, reason?: string) => {
    const r = await call(app, 'POST', url, body);
    assert.equal(r.status, status, url);
    assert.equal(r.json.status, status);
    assert.equal(r.json.error.type, type, JSON.stringify(r.json));
    assert.equal(r.json.error.root_cause[0].type, type);
    if (reason !== undefined) assert.equal(r.json.error.reason, reason);
    return r.json;
  };
  await f('/_search', { query: { nope: {} } }, 400, 'parsing_exception', 'unknown query [nope]');
  await f('/_search', { size: 9999, from: 2 }, 400, 'illegal_argument_exception');
  await f(
    '/_search',
    { sort: [{ 'http.response.status_code': 'desc' }] },
    400,
    'illegal_argument_exception',
  );
  await f('/_search', { post_filter: { match_all: {} } }, 400, 'parsing_exception');
  await f('/_search', { aggs: { x: { nope: {} } } }, 400, 'parsing_exception');
  await f('/_search', { from: 1, search_after: [1] }, 400, 'illegal_argument_exception');
  await f('/_search', '{"query":', 400, 'x_content_parse_exception');
  await f('/logs-x/_search', {}, 404, 'index_not_found_exception', 'no such index [logs-x]');
  const qs = await f(
    '/_search',
    { query: { query_string: { query: 'a AND' } } },
    400,
    'query_shard_exception',
  );
  assert.equal(qs.error.caused_by.type, 'parse_exception');
  assert.match(
    qs.error.caused_by.reason,
    /^Cannot parse 'a AND': Encountered "<EOF>" at line 1, column 5\./,
  );
  // Ignored when asked, and a pattern that matches nothing is an empty result.
  let r = await call(app, 'POST', '/logs-x/_search?ignore_unavailable=true', {});
  assert.deepEqual(r.json.hits.total, { value: 0, relation: 'eq' });
  r = await call(app, 'POST', '/nothing-*/_search', { aggs: { n: { terms: { field: 'level' } } } });
  assert.deepEqual(r.json.aggregations.n.buckets, []);
});

test('_mapping, _field_caps, _cat/indices, HEAD|GET /<index>, _resolve/index', async (t) => {
  const { app, store } = await setup(t);
  await store.write([
    { index: 'k8s', op: 'index', source: { kubernetes: { labels: { app: 'web' } }, n: 1 } },
    {
      index: 'k8s',
      op: 'index',
      source: { kubernetes: { labels: { 'app.kubernetes.io/name': 'dns' } }, n: 'x' },
    },
  ]);
  let r = await call(app, 'GET', '/k8s/_mapping');
  const keyword = { type: 'text', fields: { keyword: { type: 'keyword', ignore_above: 256 } } };
  assert.deepEqual(r.json.k8s.mappings.properties.kubernetes, {
    properties: { labels: { properties: { app: keyword, 'app.kubernetes.io/name': keyword } } },
  });
  assert.deepEqual(r.json.k8s.mappings.properties.n, {
    ...keyword,
    meta: { vigil_types: 'text,long' },
  });
  r = await call(app, 'GET', '/_mapping');
  assert.deepEqual(Object.keys(r.json).sort(), ['k8s', 'logs-a', 'logs-b']);
  assert.deepEqual(
    r.json['logs-b'].mappings.properties.http.properties.response.properties.status_code,
    {
      type: 'long',
    },
  );

  r = await call(app, 'GET', '/k8s,logs-a/_field_caps?fields=n,kubernetes.*,_id');
  assert.deepEqual(r.json.indices, ['k8s', 'logs-a']);
  assert.deepEqual(r.json.fields.n, {
    text: {
      type: 'text',
      metadata_field: false,
      searchable: true,
      aggregatable: false,
      indices: ['k8s'],
    },
    long: {
      type: 'long',
      metadata_field: false,
      searchable: true,
      aggregatable: true,
      indices: ['k8s'],
    },
  });
  assert.equal(r.json.fields['kubernetes.labels.app.keyword'].keyword.aggregatable, true);
  assert.equal(r.json.fields._id._id.metadata_field, true);

  r = await call(app, 'GET', '/_cat/indices?format=json&h=index,docs.count&s=index');
  assert.deepEqual(r.json, [
    { index: 'k8s', 'docs.count': '2' },
    { index: 'logs-a', 'docs.count': '10' },
    { index: 'logs-b', 'docs.count': '11' },
  ]);
  r = await call(app, 'GET', '/_cat/indices/logs-*?v&h=health,status,index,docs.count&bytes=b');
  assert.equal(
    r.text,
    'health status index  docs.count\ngreen  open   logs-a 10\ngreen  open   logs-b 11\n',
  );

  assert.equal((await call(app, 'HEAD', '/logs-a')).status, 200);
  assert.equal((await call(app, 'HEAD', '/logs-x')).status, 404);
  r = await call(app, 'GET', '/logs-a');
  assert.deepEqual(Object.keys(r.json['logs-a']), ['aliases', 'mappings', 'settings']);
  assert.equal(r.json['logs-a'].settings.index.number_of_shards, '1');
  r = await call(app, 'GET', '/logs-x');
  assert.equal(r.status, 404);
  // A browser gets the web app, as for `/`, even where an index has the name.
  r = await call(app, 'GET', '/logs-a', undefined, { accept: 'text/html,application/xhtml+xml' });
  assert.equal(r.text, '<html>');

  r = await call(app, 'GET', '/_resolve/index/logs-*,-logs-b');
  assert.deepEqual(r.json, {
    indices: [{ name: 'logs-a', attributes: ['open'] }],
    aliases: [],
    data_streams: [],
  });
});

test('filters aggregation: named, anonymous, other bucket, keyed false, nested in a histogram', async (t) => {
  const { app } = await setup(t);
  const warn = { term: { level: 'warn' } };
  const error = { match: { level: 'error' } };
  const agg = (filters: object) => ({ size: 0, aggs: { f: { filters: filters } } });
  let r = await call(app, 'POST', '/_search', agg({ filters: [warn, error], other_bucket: true }));
  assert.deepEqual(r.json.aggregations.f.buckets, [
    { doc_count: 3 },
    { doc_count: 5 },
    { doc_count: 13 },
  ]);
  r = await call(
    app,
    'POST',
    '/_search',
    agg({ filters: { warn, error }, other_bucket_key: 'rest', keyed: false }),
  );
  assert.deepEqual(r.json.aggregations.f.buckets, [
    { key: 'warn', doc_count: 3 },
    { key: 'error', doc_count: 5 },
    { key: 'rest', doc_count: 13 },
  ]);
  r = await call(app, 'POST', '/_search', {
    size: 0,
    query: { range: { '@timestamp': { gte: '2024-05-06T11:50:00Z', lt: '2024-05-06T12:00:00Z' } } },
    aggs: {
      h: {
        date_histogram: { field: '@timestamp', fixed_interval: '5m' },
        aggs: { f: { filters: { filters: { warn } } } },
      },
    },
  });
  assert.deepEqual(
    r.json.aggregations.h.buckets.map((b: Json) => [b.doc_count, b.f.buckets.warn.doc_count]),
    [
      [1, 1],
      [6, 1],
    ],
  );
  r = await call(app, 'POST', '/_search', agg({ filters: { bad: { nope: {} } } }));
  assert.equal(r.status, 400);
  assert.equal(r.json.error.type, 'parsing_exception');
});
