// /api/v1/metadata against the built server: metadata arrives in a remote write request, then
// every parameter, GET and POST, the error answers, the store's family bound and forgetting.
// Debian's Prometheus as a real sender is covered in remote-write.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { snappyEncode } from '../../src/lib/snappy/index.js';
import {
  encodeWriteRequest,
  type MetadataSpec,
} from '../../src/metrics/remote/testdata/write-request.js';
import { startVigil } from '../harness/vigil.js';

const HEADERS = {
  'content-type': 'application/x-protobuf',
  'content-encoding': 'snappy',
  'x-prometheus-remote-write-version': '0.1.0',
};
// Long enough for the checks before the wait to finish on a busy machine.
const FORGET_AFTER_MS = 5000;

// Wire values of the MetricType enum.
const COUNTER = 1;
const GAUGE = 2;
const HISTOGRAM = 3;

test('metadata API: entries from remote write, every parameter, errors and bounds', async (t) => {
  const vigil = await startVigil(t, {
    config: `server:
  builtin_scrape_jobs: false
storage:
  metrics:
    metadata:
      forget_after: ${FORGET_AFTER_MS}ms
      max_metrics: 3
`,
  });
  const metadata: MetadataSpec[] = [
    { type: COUNTER, family: 'http_requests_total', help: 'Requests.' },
    { type: COUNTER, family: 'http_requests_total', help: 'Requests.' },
    { type: COUNTER, family: 'http_requests_total', help: 'HTTP requests.' },
    { type: GAUGE, family: 'node_memory_bytes', help: 'Memory <in use> & "free".', unit: 'bytes' },
    { type: HISTOGRAM, family: 'rpc_seconds', help: 'RPC latency.', unit: 'seconds' },
    // Refused: no family name; then a fourth family, over max_metrics.
    { type: GAUGE, family: '', help: 'Nameless.' },
    { type: GAUGE, family: 'zz_over_the_bound', help: 'Refused.' },
  ];
  const written = await fetch(`${vigil.url}/api/v1/write`, {
    method: 'POST',
    headers: HEADERS,
    body: snappyEncode(
      encodeWriteRequest(
        [{ labels: [['__name__', 'http_requests_total']], samples: [[Date.now(), 1]] }],
        metadata,
      ),
    ),
  });
  assert.equal(written.status, 204);

  const get = async (query: string) => {
    const res = await fetch(`${vigil.url}/api/v1/metadata${query}`);
    assert.equal(res.headers.get('content-type'), 'application/json; charset=utf-8');
    return [res.status, await res.text()] as const;
  };
  const ok = (data: string) => [200, `{"status":"success","data":${data}}`] as const;
  const requests =
    '"http_requests_total":[{"type":"counter","help":"HTTP requests.","unit":""},{"type":"counter","help":"Requests.","unit":""}]';
  const memory =
    '"node_memory_bytes":[{"type":"gauge","help":"Memory <in use> & \\"free\\".","unit":"bytes"}]';
  const rpc = '"rpc_seconds":[{"type":"histogram","help":"RPC latency.","unit":"seconds"}]';
  const all = `{${requests},${memory},${rpc}}`;

  assert.deepEqual(await get(''), ok(all));
  assert.deepEqual(await get('?metric=rpc_seconds'), ok(`{${rpc}}`));
  assert.deepEqual(await get('?metric=rpc_seconds_bucket'), ok('{}'));
  assert.deepEqual(await get('?metric='), ok(all));
  // limit counts families: 0 returns none, a negative one all of them.
  assert.deepEqual(await get('?limit=2'), ok(`{${requests},${memory}}`));
  assert.deepEqual(await get('?limit=0'), ok('{}'));
  assert.deepEqual(await get('?limit=-0'), ok('{}'));
  assert.deepEqual(await get('?limit=%2B1'), ok(`{${requests}}`));
  assert.deepEqual(await get('?limit=-1'), ok(all));
  assert.deepEqual(await get('?limit=99999999999'), ok(all));
  assert.deepEqual(await get('?metric=rpc_seconds&limit=0'), ok('{}'));
  // limit_per_metric counts entries of each family, newest first; 0 or less means all.
  const newest = '"http_requests_total":[{"type":"counter","help":"HTTP requests.","unit":""}]';
  assert.deepEqual(await get('?limit_per_metric=1'), ok(`{${newest},${memory},${rpc}}`));
  assert.deepEqual(await get('?limit_per_metric=1&limit=1'), ok(`{${newest}}`));
  assert.deepEqual(await get('?limit_per_metric=0'), ok(all));
  assert.deepEqual(await get('?limit_per_metric=-5'), ok(all));

  const post = await fetch(`${vigil.url}/api/v1/metadata`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'metric=http_requests_total&limit_per_metric=1',
  });
  assert.deepEqual([post.status, await post.text()], ok(`{${newest}}`));

  const bad = (error: string) =>
    [400, JSON.stringify({ status: 'error', errorType: 'bad_data', error })] as const;
  assert.deepEqual(await get('?limit=abc'), bad('limit must be a number'));
  assert.deepEqual(await get('?limit=1.5'), bad('limit must be a number'));
  assert.deepEqual(await get('?limit=9223372036854775808'), bad('limit must be a number'));
  assert.deepEqual(await get('?limit_per_metric=x'), bad('limit_per_metric must be a number'));
  assert.deepEqual(await get('?limit_per_metric=%201'), bad('limit_per_metric must be a number'));

  const metrics = await (await fetch(`${vigil.url}/metrics`)).text();
  assert.match(metrics, /^vigil_remote_write_received_metadata_total 7$/m);
  assert.match(metrics, /^vigil_remote_write_ignored_total\{kind="metadata"\} 2$/m);

  // Not reported again: forgotten after forget_after, which makes room for a new family.
  await new Promise((r) => setTimeout(r, FORGET_AFTER_MS + 200));
  assert.deepEqual(await get(''), ok('{}'));
  const again = await fetch(`${vigil.url}/api/v1/write`, {
    method: 'POST',
    headers: HEADERS,
    body: snappyEncode(encodeWriteRequest([], [metadata[6]!])),
  });
  assert.equal(again.status, 204);
  assert.deepEqual(
    await get(''),
    ok('{"zz_over_the_bound":[{"type":"gauge","help":"Refused.","unit":""}]}'),
  );
  assert.equal((await vigil.stop()).code, 0);
});
