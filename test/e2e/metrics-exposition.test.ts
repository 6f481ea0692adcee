import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { startVigil } from '../harness/vigil.js';

const PROMTOOL = '/usr/bin/promtool';
// CI installs Debian's prometheus package; a developer machine may not have it.
const noPromtool =
  !existsSync(PROMTOOL) && !process.env.CI
    ? 'promtool not installed (apt-get install prometheus)'
    : false;

test('promtool check metrics finds no problems in /metrics', { skip: noPromtool }, async (t) => {
  const vigil = await startVigil(t);
  // Exercise the HTTP metrics so the request histogram has series.
  for (const path of ['/-/healthy', '/api/v1/status/buildinfo', '/nope'])
    await fetch(`${vigil.url}${path}`);
  const res = await fetch(`${vigil.url}/metrics`);
  assert.equal(res.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
  const body = await res.text();
  for (const family of [
    'process_cpu_seconds_total',
    'process_resident_memory_bytes',
    'process_open_fds',
    'process_start_time_seconds',
    'nodejs_heap_size_used_bytes',
    'nodejs_eventloop_lag_seconds',
    'vigil_build_info',
    'vigil_http_requests_total',
    'vigil_http_request_duration_seconds',
  ]) {
    assert.match(body, new RegExp(`^# TYPE ${family} `, 'm'), family);
  }
  assert.match(
    body,
    /^vigil_http_requests_total\{handler="\/-\/healthy",method="GET",code="200"\} 1$/m,
  );
  assert.match(
    body,
    /^vigil_http_request_duration_seconds_bucket\{handler="\/-\/healthy",method="GET",le="\+Inf"\} 1$/m,
  );
  const check = spawnSync(PROMTOOL, ['check', 'metrics'], { input: body, encoding: 'utf8' });
  assert.equal(check.status, 0, check.stdout + check.stderr);
  assert.equal(check.stdout + check.stderr, '');
  assert.equal((await vigil.stop()).code, 0);
});

test('an OpenMetrics scraper gets OpenMetrics', async (t) => {
  const vigil = await startVigil(t);
  const res = await fetch(`${vigil.url}/metrics`, {
    headers: {
      accept:
        'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1',
    },
  });
  assert.equal(
    res.headers.get('content-type'),
    'application/openmetrics-text; version=1.0.0; charset=utf-8',
  );
  const body = await res.text();
  assert.ok(body.endsWith('# EOF\n'));
  assert.match(body, /^# TYPE vigil_http_requests counter$/m);
  assert.equal((await vigil.stop()).code, 0);
});
