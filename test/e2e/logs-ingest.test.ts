/**
 * The log store inside a real `vigil server`: documents sent through Elasticsearch's `_bulk`,
 * Loki's push (JSON and snappy protobuf) and the native ingest API are found by KQL through the
 * native search API, survive a restart, and reach a live tail; `/` answers Elasticsearch
 * clients and browsers each in their own way.
 */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { snappyEncode } from '../../src/lib/snappy/index.js';
import { lokiPushRequest } from '../../src/logs/ingest/testdata/protobuf.js';
import { startVigil, tempDir, type VigilServer } from '../harness/vigil.js';

const CONFIG = 'server:\n  builtin_scrape_jobs: false\n';

async function search(v: VigilServer, params: Record<string, string>) {
  const res = await fetch(`${v.url}/api/v1/logs/search?${new URLSearchParams(params)}`);
  const body = (await res.json()) as {
    status: string;
    data: {
      hits: { id: string; index: string; source: Record<string, unknown>; highlight?: unknown }[];
      total: { value: number };
    };
    error?: string;
  };
  return { status: res.status, body };
}

async function eventually<T>(fn: () => Promise<T | undefined>, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('logs sent by _bulk, Loki push and native ingest are searchable, survive a restart and are tailed', async (t) => {
  const dataDir = tempDir(t);
  let v = await startVigil(t, { config: CONFIG, dataDir });

  const info = await fetch(`${v.url}/`, { headers: { accept: 'application/json' } });
  assert.equal(info.headers.get('x-elastic-product'), 'Elasticsearch');
  assert.equal(
    ((await info.json()) as { version: { number: string } }).version.number.split('.')[0],
    '8',
  );
  const page = await fetch(`${v.url}/`, { headers: { accept: 'text/html,*/*' } });
  assert.match(page.headers.get('content-type') ?? '', /text\/html/);

  const now = Date.now();
  const iso = (ms: number) => new Date(ms).toISOString();
  const bulkBody =
    [
      { index: { _index: 'logs-app', _id: 'a1' } },
      {
        '@timestamp': iso(now - 3000),
        message: 'GET /api/users 200',
        kubernetes: { namespace: 'shop', labels: { app: 'web' } },
      },
      { create: { _index: 'logs-app', _id: 'a2' } },
      {
        '@timestamp': iso(now - 2000),
        message: 'Connection refused to db:5432',
        kubernetes: { namespace: 'shop', labels: { 'app.kubernetes.io/name': 'api' } },
      },
      { create: { _index: 'logs-app', _id: 'a1' } },
      { '@timestamp': iso(now - 1000), message: 'duplicate id' },
    ]
      .map((l) => JSON.stringify(l))
      .join('\n') + '\n{"index":{"_index":"logs-app"}}\n{"broken":\n';
  const bulk = await fetch(`${v.url}/_bulk`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-ndjson', 'content-encoding': 'gzip' },
    body: gzipSync(bulkBody),
  });
  assert.equal(bulk.status, 200);
  assert.equal(bulk.headers.get('x-elastic-product'), 'Elasticsearch');
  const items = (await bulk.json()) as {
    errors: boolean;
    items: Record<string, { status: number; error?: { type: string } }>[];
  };
  assert.equal(items.errors, true);
  assert.deepEqual(
    items.items.map((i) => Object.values(i)[0]!.status),
    [201, 201, 409, 400],
  );
  assert.equal(items.items[2]!.create!.error!.type, 'version_conflict_engine_exception');

  const loki = await fetch(`${v.url}/loki/api/v1/push`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      streams: [
        {
          stream: { job: 'promtail', namespace: 'kube-system' },
          values: [[`${BigInt(now - 500) * 1_000_000n + 7n}`, 'level=warn msg="disk pressure"']],
        },
      ],
    }),
  });
  assert.equal(loki.status, 204);
  const lokiPb = await fetch(`${v.url}/loki/api/v1/push`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-protobuf' },
    body: snappyEncode(
      lokiPushRequest(
        '{job="alloy", namespace="monitoring"}',
        BigInt(now - 400) * 1_000_000n,
        'scrape failed: timeout',
      ),
    ),
  });
  assert.equal(lokiPb.status, 204, await lokiPb.text());

  const ingest = await fetch(`${v.url}/api/v1/logs/ingest?index=logs-native`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-ndjson' },
    body: `{"@timestamp":"${iso(now - 100)}","message":"native line","level":"error"}\nnot json\n`,
  });
  const ingested = (await ingest.json()) as {
    data: { created: number; rejected: { line: number }[] };
  };
  assert.equal(ingested.data.created, 1);
  assert.deepEqual(
    ingested.data.rejected.map((r) => r.line),
    [2],
  );

  const checks = async (server: VigilServer) => {
    const refused = await eventually(async () => {
      const r = await search(server, { q: 'message:"connection refused"', highlight: 'true' });
      return r.body.data.hits.length > 0 ? r : undefined;
    });
    assert.deepEqual(
      refused.body.data.hits.map((h) => h.id),
      ['a2'],
    );
    assert.deepEqual(refused.body.data.hits[0]!.highlight, {
      message: ['<em>Connection</em> <em>refused</em> to db:5432'],
    });
    // The two conflicting Kubernetes label layouts are both indexed and searchable.
    const web = await search(server, { q: 'kubernetes.labels.app:web' });
    assert.deepEqual(
      web.body.data.hits.map((h) => h.id),
      ['a1'],
    );
    const api = await search(server, { q: 'kubernetes.labels.app.kubernetes.io/name:api' });
    assert.deepEqual(
      api.body.data.hits.map((h) => h.id),
      ['a2'],
    );
    const ns = await search(server, {
      q: 'namespace:kube-system or namespace:monitoring',
      index: 'logs-loki',
    });
    assert.equal(ns.body.data.total.value, 2);
    const all = await search(server, { q: '', start: 'now-1h' });
    assert.equal(all.body.data.total.value, 5);
    const order = all.body.data.hits.map((h) => h.index);
    assert.deepEqual(order, ['logs-native', 'logs-loki', 'logs-loki', 'logs-app', 'logs-app']);
  };
  await checks(v);

  const bad = await search(v, { q: 'message:(a or' });
  assert.equal(bad.status, 400);
  assert.match(bad.body.error ?? '', /invalid parameter "q": Expected/);

  const aggs = await fetch(`${v.url}/api/v1/logs/aggregate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      start: 'now-1h',
      aggs: { per_index: { terms: { field: 'kubernetes.namespace' } } },
    }),
  });
  const aggBody = (await aggs.json()) as {
    data: { aggregations: { per_index: { buckets: unknown[] } } };
  };
  assert.deepEqual(aggBody.data.aggregations.per_index.buckets, [{ key: 'shop', doc_count: 2 }]);

  const metrics = await (await fetch(`${v.url}/metrics`)).text();
  for (const line of [
    'vigil_logs_documents_total{api="elasticsearch",result="created"} 2',
    'vigil_logs_documents_total{api="elasticsearch",result="exists"} 1',
    'vigil_logs_documents_total{api="loki",result="created"} 2',
    'vigil_logs_documents_total{api="native",result="created"} 1',
  ]) {
    assert.ok(metrics.includes(line), `missing ${line}`);
  }
  assert.match(metrics, /vigil_logs_searches_total\{api="native"\} \d+/);

  assert.equal((await v.stop('SIGTERM')).code, 0);
  v = await startVigil(t, { config: CONFIG, dataDir });
  await checks(v);

  const controller = new AbortController();
  const tail = await fetch(`${v.url}/api/v1/logs/tail?q=level:error`, {
    signal: controller.signal,
  });
  assert.equal(tail.headers.get('content-type'), 'text/event-stream; charset=utf-8');
  const reader = tail.body!.getReader();
  await new Promise((r) => setTimeout(r, 700));
  const sent = Date.now();
  await fetch(`${v.url}/api/v1/logs/ingest?index=logs-native`, {
    method: 'POST',
    body: `{"@timestamp":"${iso(Date.now())}","message":"tailed line","level":"error"}\n`,
  });
  let text = '';
  while (!text.includes('tailed line')) {
    const { value, done } = await reader.read();
    if (done) break;
    text += new TextDecoder().decode(value);
  }
  const latency = Date.now() - sent;
  controller.abort();
  assert.match(text, /event: hits\ndata: \[.*"tailed line"/);
  assert.doesNotMatch(text, /native line/);
  assert.ok(latency < 2000, `tail latency ${latency} ms`);

  const del = (names: string) =>
    fetch(`${v.url}/api/v1/logs/indices/${names}`, { method: 'DELETE' }).then(async (r) => ({
      status: r.status,
      body: (await r.json()) as { data?: { deleted: string[] }; errorType?: string },
    }));
  assert.equal((await del('logs-*')).status, 400);
  assert.deepEqual(await del('logs-loki,logs-none'), {
    status: 200,
    body: { status: 'success', data: { deleted: ['logs-loki'] } },
  });
  assert.equal((await del('logs-loki')).status, 404);
  assert.equal(
    (await search(v, { q: '', start: 'now-1h', index: 'logs-loki' })).body.data.total.value,
    0,
  );
  assert.equal((await v.stop('SIGKILL')).signal, 'SIGKILL');
  v = await startVigil(t, { config: CONFIG, dataDir });
  const names = (
    (await (await fetch(`${v.url}/api/v1/logs/indices`)).json()) as {
      data: { name: string }[];
    }
  ).data.map((i) => i.name);
  assert.deepEqual(names.sort(), ['logs-app', 'logs-native']);
});
