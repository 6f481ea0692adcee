import assert from 'node:assert/strict';
import { test } from 'node:test';
import Fastify from 'fastify';
import { tempDir } from '../../../../test/harness/temp.js';
import { openLocalStore } from '../../../logs/store/local/store.js';
import { applyFilterPath, parseFilterPath } from './filter-path.js';
import { esApi } from './routes.js';

const filtered = (value: unknown, spec: unknown) => applyFilterPath(value, parseFilterPath(spec)!);

const bulkAnswer = {
  took: 4,
  errors: true,
  items: [
    { create: { _index: 'logs', _id: 'a', _version: 1, result: 'created', status: 201 } },
    {
      create: {
        _index: 'logs',
        _id: 'b',
        status: 409,
        error: { type: 'version_conflict_engine_exception', reason: '[b]: exists' },
      },
    },
  ],
};

test('a path keeps its field and the objects on the way to it', () => {
  assert.deepEqual(filtered({ took: 3, _shards: { total: 1, failed: 0 } }, '_shards.failed'), {
    _shards: { failed: 0 },
  });
  assert.deepEqual(filtered({ took: 3, errors: false }, 'errors'), { errors: false });
});

test('arrays take no segment: each element is filtered, and what keeps nothing is dropped', () => {
  assert.deepEqual(filtered(bulkAnswer, 'errors,items.*.status,items.*.error'), {
    errors: true,
    items: [
      { create: { status: 201 } },
      {
        create: {
          status: 409,
          error: { type: 'version_conflict_engine_exception', reason: '[b]: exists' },
        },
      },
    ],
  });
  // Only the failed item has an error: the other one is gone, positions with it.
  assert.deepEqual(filtered(bulkAnswer, 'items.*.error.type'), {
    items: [{ create: { error: { type: 'version_conflict_engine_exception' } } }],
  });
});

test('nothing matched is an empty object; a path through a scalar matches nothing', () => {
  assert.deepEqual(filtered(bulkAnswer, 'hits.total'), {});
  assert.deepEqual(filtered(bulkAnswer, 'took.value'), {});
  assert.deepEqual(filtered({ items: [] }, 'items'), { items: [] });
});

test('* matches any part of a name; ** any number of levels, none included', () => {
  const nodes = { nodes: { n1: { host: 'a', hostname: 'a.local', ip: '10.0.0.1' } } };
  assert.deepEqual(filtered(nodes, 'nodes.*.host*'), {
    nodes: { n1: { host: 'a', hostname: 'a.local' } },
  });
  assert.deepEqual(filtered(nodes, 'nodes.*.*name'), { nodes: { n1: { hostname: 'a.local' } } });
  const aggs = {
    aggregations: { by: { buckets: [{ key: 'x', doc_count: 2, avg: { value: 1.5 } }] } },
    value: 9,
  };
  assert.deepEqual(filtered(aggs, 'aggregations.**.value'), {
    aggregations: { by: { buckets: [{ avg: { value: 1.5 } }] } },
  });
  assert.deepEqual(filtered(aggs, '**.value'), {
    aggregations: { by: { buckets: [{ avg: { value: 1.5 } }] } },
    value: 9,
  });
  assert.deepEqual(filtered(aggs, 'aggregations.by.**'), { aggregations: aggs.aggregations });
});

test('names are matched literally but for *', () => {
  const v = { 'p[99]': 1, 'p(9': 2, pa: 3 };
  assert.deepEqual(filtered(v, 'p[99]'), { 'p[99]': 1 });
  assert.deepEqual(filtered(v, 'p(*'), { 'p(9': 2 });
});

test('a path after - is removed; exclusions go first, then the inclusions', () => {
  const hits = { took: 1, hits: { hits: [{ _id: 'a', _source: { m: 1 } }], total: 1 } };
  assert.deepEqual(filtered(hits, '-hits.hits._source'), {
    took: 1,
    hits: { hits: [{ _id: 'a' }], total: 1 },
  });
  assert.deepEqual(filtered(hits, 'hits.hits,-hits.hits._source'), {
    hits: { hits: [{ _id: 'a' }] },
  });
  assert.deepEqual(filtered(hits, '-**._id'), {
    took: 1,
    hits: { hits: [{ _source: { m: 1 } }], total: 1 },
  });
});

test('the parameter may repeat, and blank or missing paths name nothing', () => {
  assert.deepEqual(filtered(bulkAnswer, ['took', ' errors ']), { took: 4, errors: true });
  assert.equal(parseFilterPath(undefined), undefined);
  assert.equal(parseFilterPath(' , '), undefined);
  assert.equal(parseFilterPath(['', '-']), undefined);
});

test('the ES API applies filter_path to its answers over HTTP, but not to its errors', async (t) => {
  const store = await openLocalStore(tempDir(t), { inlineJobs: true });
  const app = Fastify();
  await app.register(esApi, { writer: () => store, searcher: () => store, bodyLimit: 1 << 20 });
  t.after(async () => {
    await app.close();
    await store.close();
  });
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  const body =
    '{"create":{"_index":"logs","_id":"x"}}\n{"message":"one"}\n' +
    '{"create":{"_index":"logs","_id":"x"}}\n{"message":"again"}\n';
  // What Vigil's agent and Logstash ask for.
  const bulk = await fetch(`${base}/_bulk?filter_path=errors,items.*.status,items.*.error.type`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-ndjson' },
    body,
  });
  assert.equal(bulk.status, 200);
  assert.equal(bulk.headers.get('x-elastic-product'), 'Elasticsearch');
  assert.deepEqual(await bulk.json(), {
    errors: true,
    items: [
      { create: { status: 201 } },
      { create: { status: 409, error: { type: 'version_conflict_engine_exception' } } },
    ],
  });
  await store.flush();
  const search = await fetch(`${base}/logs/_search?filter_path=hits.hits._id,hits.total.value`);
  assert.deepEqual(await search.json(), { hits: { total: { value: 1 }, hits: [{ _id: 'x' }] } });
  const missing = await fetch(`${base}/nope/_search?filter_path=hits`);
  assert.equal(missing.status, 404);
  const error = (await missing.json()) as { error: { type: string } };
  assert.equal(error.error.type, 'index_not_found_exception');
});
