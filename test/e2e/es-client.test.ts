import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from '@elastic/elasticsearch';
import { startVigil } from '../harness/vigil.js';

// The official Elasticsearch client (8.x) against a real `vigil server`: its bulk helper indexes 100 000 documents with no item errors, then search,
// count, msearch and the index APIs answer it. The client checks the X-Elastic-Product header
// on every response, so this also shows every route sets it.

const DOCS = 100_000;
const NAMESPACES = ['shop', 'kube-system', 'billing', 'db', 'monitoring'];
const LEVELS = ['info', 'info', 'info', 'warn', 'error'];
const T0 = Date.UTC(2024, 4, 6, 0, 0, 0);

// An async generator: the bulk helper takes those (and arrays and streams), not sync iterators.
async function* documents(): AsyncGenerator<Record<string, unknown>> {
  for (let i = 0; i < DOCS; i++) {
    yield {
      '@timestamp': new Date(T0 + i * 100).toISOString(),
      message: `request ${i} served in ${i % 97} ms${i % 1000 === 7 ? ' with a rare-marker' : ''}`,
      level: LEVELS[i % LEVELS.length],
      kubernetes: { namespace: NAMESPACES[i % NAMESPACES.length], pod: { name: `pod-${i % 50}` } },
      http: { response: { status_code: i % 10 === 0 ? 500 : 200, bytes: i % 5000 } },
    };
  }
}

test('the official client indexes 100 000 documents with helpers.bulk, then searches and counts', async (t) => {
  const vigil = await startVigil(t, { config: 'server:\n  builtin_scrape_jobs: false\n' });
  const client = new Client({ node: vigil.url });
  t.after(() => client.close());
  // The client's first request: `/` answers it as an Elasticsearch 8 cluster, not with the app.
  const info = await client.info();
  assert.equal(info.version.number.split('.')[0], '8');
  assert.equal(info.tagline, 'You Know, for Search');

  let n = 0;
  const failures: unknown[] = [];
  const result = await client.helpers.bulk({
    datasource: documents(),
    onDocument: () => ({ create: { _index: 'logs-client', _id: `doc-${n++}` } }),
    onDrop: (d) => failures.push(d),
    flushBytes: 1 << 20,
    concurrency: 4,
  });
  assert.deepEqual(failures, []);
  assert.equal(result.failed, 0);
  assert.equal(result.successful, DOCS);
  assert.equal(result.total, DOCS);

  // Acknowledged documents are searchable within a second.
  let count = 0;
  for (let tries = 0; tries < 50 && count < DOCS; tries++) {
    count = (await client.count({ index: 'logs-client' })).count;
    if (count < DOCS) await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(count, DOCS);

  // The same ids again are kept once: documents are immutable.
  const again = await client.bulk({
    operations: [{ index: { _index: 'logs-client', _id: 'doc-0' } }, { message: 'changed' }],
  });
  assert.equal(again.errors, false);
  assert.equal((await client.count({ index: 'logs-*' })).count, DOCS);

  const errors = await client.count({
    index: 'logs-client',
    query: { bool: { filter: [{ term: { 'level.keyword': 'error' } }] } },
  });
  assert.equal(errors.count, DOCS / 5);

  const rare = await client.search({
    index: 'logs-client',
    query: { match_phrase: { message: 'rare-marker' } },
    size: 3,
    sort: [{ '@timestamp': 'asc' }],
    highlight: { fields: { message: {} }, number_of_fragments: 0 },
  });
  assert.deepEqual(rare.hits.total, { value: DOCS / 1000, relation: 'eq' });
  assert.deepEqual(
    rare.hits.hits.map((h) => h._id),
    ['doc-7', 'doc-1007', 'doc-2007'],
  );
  assert.deepEqual(rare.hits.hits[0]!.highlight, {
    message: ['request 7 served in 7 ms with a <em>rare</em>-<em>marker</em>'],
  });

  const next = await client.search({
    index: 'logs-client',
    query: { match_phrase: { message: 'rare-marker' } },
    size: 3,
    sort: [{ '@timestamp': 'asc' }],
    search_after: rare.hits.hits[2]!.sort!,
  });
  assert.deepEqual(
    next.hits.hits.map((h) => h._id),
    ['doc-3007', 'doc-4007', 'doc-5007'],
  );

  const aggs = await client.search({
    index: 'logs-client',
    size: 0,
    track_total_hits: true,
    query: {
      range: { '@timestamp': { gte: T0, lt: T0 + 3_600_000, format: 'epoch_millis' } },
    },
    aggs: {
      ns: {
        terms: { field: 'kubernetes.namespace.keyword' },
        aggs: { bytes: { max: { field: 'http.response.bytes' } } },
      },
      per_10m: { date_histogram: { field: '@timestamp', fixed_interval: '10m' } },
    },
  });
  assert.deepEqual(aggs.hits.total, { value: 36_000, relation: 'eq' });
  const ns = (aggs.aggregations!.ns as { buckets: { key: string; doc_count: number }[] }).buckets;
  assert.deepEqual(
    ns.map((b) => [b.key, b.doc_count]),
    [
      ['billing', 7200],
      ['db', 7200],
      ['kube-system', 7200],
      ['monitoring', 7200],
      ['shop', 7200],
    ],
  );
  const hist = (aggs.aggregations!.per_10m as { buckets: { doc_count: number }[] }).buckets;
  assert.deepEqual(
    hist.map((b) => b.doc_count),
    [6000, 6000, 6000, 6000, 6000, 6000],
  );

  const multi = await client.msearch({
    searches: [
      { index: 'logs-client' },
      {
        size: 0,
        query: { query_string: { query: 'http.response.status_code:500 AND level:info' } },
      },
      { index: 'nope' },
      { size: 0 },
    ],
  });
  const [first, second] = multi.responses as { hits: { total: unknown }; status?: number }[];
  assert.deepEqual(first!.hits.total, { value: DOCS / 10, relation: 'eq' });
  assert.equal(second!.status, 404);

  const mapping = await client.indices.getMapping({ index: 'logs-client' });
  assert.equal(
    (mapping['logs-client']!.mappings.properties!['@timestamp'] as { type: string }).type,
    'date',
  );
  assert.equal(await client.indices.exists({ index: 'logs-client' }), true);
  assert.equal(await client.indices.exists({ index: 'logs-none' }), false);
  const cat = await client.cat.indices({ index: 'logs-*', format: 'json' });
  assert.equal(cat[0]!['docs.count'], String(DOCS));
  const caps = await client.fieldCaps({ index: 'logs-client', fields: 'kubernetes.*' });
  assert.equal(caps.fields['kubernetes.namespace.keyword']!.keyword!.aggregatable, true);

  await assert.rejects(client.indices.delete({ index: 'logs-*' }), (err: Error) =>
    err.message.includes('illegal_argument_exception'),
  );
  await assert.rejects(client.indices.delete({ index: 'logs-client,logs-none' }), (err: Error) =>
    err.message.includes('index_not_found_exception'),
  );
  assert.equal(await client.indices.exists({ index: 'logs-client' }), true);
  assert.deepEqual(await client.indices.delete({ index: 'logs-client' }), { acknowledged: true });
  assert.equal(await client.indices.exists({ index: 'logs-client' }), false);
  assert.equal((await client.count({ index: 'logs-*', ignore_unavailable: true })).count, 0);
});
