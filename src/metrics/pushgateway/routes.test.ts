import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import Fastify from 'fastify';
import { tempDir } from '../../../test/harness/temp.js';
import { pushgatewayRoutes } from './routes.js';
import { PushStore } from './store.js';

async function app(t: TestContext, dir: string | null, prefix = '') {
  const store = PushStore.open({ dir, now: () => 1_700_000_000_500 });
  const server = Fastify();
  await server.register(pushgatewayRoutes, { store, prefix, adminApi: true });
  t.after(() => server.close());
  return { server, store };
}

const EXPOSITION =
  '# HELP push_failure_time_seconds Last Unix time when changing this group in the Pushgateway failed.\n' +
  '# TYPE push_failure_time_seconds gauge\npush_failure_time_seconds{instance="",job="j"} 0\n' +
  '# HELP push_time_seconds Last Unix time when changing this group in the Pushgateway succeeded.\n' +
  '# TYPE push_time_seconds gauge\npush_time_seconds{instance="",job="j"} 1.7000000005e+09\n' +
  '# TYPE x untyped\nx{instance="",job="j"} 1\n';

test('pushes survive reopening the store from its directory', async (t) => {
  const dir = tempDir(t);
  const a = await app(t, dir);
  const put = await a.server.inject({ method: 'PUT', url: '/metrics/job/j', payload: 'x 1\n' });
  assert.equal(put.statusCode, 200);
  const b = await app(t, dir);
  const res = await b.server.inject({ method: 'GET', url: '/metrics' });
  assert.equal(res.body, EXPOSITION);
});

test('routes mount under a prefix and read gzip bodies whatever the Content-Type', async (t) => {
  const { server } = await app(t, null, '/pushgateway');
  const res = await server.inject({
    method: 'POST',
    url: '/pushgateway/metrics/job/j',
    headers: { 'content-encoding': 'gzip', 'content-type': 'application/json' },
    payload: gzipSync('x 1\n'),
  });
  assert.equal(res.statusCode, 200);
  assert.equal((await server.inject({ url: '/pushgateway/metrics' })).body, EXPOSITION);
  assert.equal((await server.inject({ url: '/metrics' })).statusCode, 404);
});

test('protobuf bodies get 415, inconsistent pushes 400 with the reason', async (t) => {
  const { server } = await app(t, null);
  const proto = await server.inject({
    method: 'PUT',
    url: '/metrics/job/j',
    headers: {
      'content-type':
        'application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited',
    },
    payload: Buffer.from([0]),
  });
  assert.equal(proto.statusCode, 415);
  assert.match(proto.body, /protobuf delimited\) is not supported/);
  await server.inject({ method: 'PUT', url: '/metrics/job/a', payload: '# TYPE m counter\nm 1\n' });
  const conflict = await server.inject({
    method: 'PUT',
    url: '/metrics/job/b',
    payload: '# TYPE m gauge\nm 1\n',
  });
  assert.equal(conflict.statusCode, 400);
  assert.match(conflict.body, /gauge metric m\{instance="",job="b"\} is not a counter/);
  const stamped = await server.inject({ method: 'PUT', url: '/metrics/job/c', payload: 'm 1 5\n' });
  assert.equal(stamped.statusCode, 400);
  assert.match(stamped.body, /must not have timestamps/);
});

test('/api/v1/metrics lists groups in the Pushgateway JSON shape', async (t) => {
  const { server } = await app(t, null);
  await server.inject({
    method: 'PUT',
    url: '/metrics/job/j',
    payload: '# HELP s Sizes.\n# TYPE s summary\ns{quantile="0.5"} 1\ns_sum 3\ns_count 2\n',
  });
  const res = await server.inject({ url: '/api/v1/metrics' });
  const body = JSON.parse(res.body) as { status: string; data: Record<string, unknown>[] };
  assert.equal(body.status, 'success');
  assert.deepEqual(body.data[0]!.labels, { job: 'j' });
  assert.equal(body.data[0]!.last_push_successful, true);
  assert.deepEqual(body.data[0]!.s, {
    time_stamp: '2023-11-14T22:13:20.500Z',
    type: 'SUMMARY',
    help: 'Sizes.',
    metrics: [
      { labels: { instance: '', job: 'j' }, quantiles: { '0.5': '1' }, count: '2', sum: '3' },
    ],
  });
});
