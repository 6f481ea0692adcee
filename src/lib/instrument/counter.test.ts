import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Registry } from './registry.js';

function requests(registry = new Registry()) {
  return registry.counter({
    name: 'vigil_http_requests_total',
    help: 'HTTP requests.',
    labelNames: ['method', 'code'],
  });
}

test('counter with labels, text format', () => {
  const registry = new Registry();
  const c = requests(registry);
  c.labels('GET', '200').inc();
  c.labels('GET', '200').inc(2);
  c.labels('POST', '500').inc(0.5);
  assert.equal(
    registry.expose('text'),
    '# HELP vigil_http_requests_total HTTP requests.\n' +
      '# TYPE vigil_http_requests_total counter\n' +
      'vigil_http_requests_total{method="GET",code="200"} 3\n' +
      'vigil_http_requests_total{method="POST",code="500"} 0.5\n',
  );
});

test('counter with labels, OpenMetrics: family without _total, samples with it', () => {
  const registry = new Registry();
  requests(registry).labels('GET', '200').inc(3);
  assert.equal(
    registry.expose('openmetrics'),
    '# TYPE vigil_http_requests counter\n' +
      '# HELP vigil_http_requests HTTP requests.\n' +
      'vigil_http_requests_total{method="GET",code="200"} 3\n' +
      '# EOF\n',
  );
});

test('counter without labels is exposed as 0 before first use', () => {
  const registry = new Registry();
  const c = registry.counter({ name: 'vigil_cpu_seconds_total', help: 'CPU.', unit: 'seconds' });
  assert.equal(
    registry.expose('openmetrics'),
    '# TYPE vigil_cpu_seconds counter\n' +
      '# UNIT vigil_cpu_seconds seconds\n' +
      '# HELP vigil_cpu_seconds CPU.\n' +
      'vigil_cpu_seconds_total 0\n' +
      '# EOF\n',
  );
  c.inc();
  assert.equal(c.value, 1);
});

test('labels() returns the same child for the same values', () => {
  const c = requests();
  assert.equal(c.labels('GET', '200'), c.labels('GET', '200'));
  assert.notEqual(c.labels('GET', '200'), c.labels('GET', '404'));
  // A separator-joined key must not confuse these two tuples.
  assert.notEqual(c.labels('a,b', 'c'), c.labels('a', 'b,c'));
  assert.notEqual(c.labels('aÿ', 'b'), c.labels('a', 'ÿb'));
});

test('counter rejects negative and NaN increments', () => {
  const c = requests().labels('GET', '200');
  assert.throws(() => c.inc(-1), {
    name: 'RangeError',
    message: /vigil_http_requests_total by -1/,
  });
  assert.throws(() => c.inc(NaN), RangeError);
  assert.equal(c.value, 0);
});

test('labels() checks arity and rejects U+FFFF', () => {
  const c = requests();
  assert.throws(() => c.labels('GET'), { message: /want 2 label values \(method, code\), got 1/ });
  assert.throws(() => c.inc(), { name: 'TypeError', message: /call labels\(\) first/ });
  assert.throws(() => c.labels('GET', 'x\uffff'), /U\+FFFF/);
  assert.throws(() => c.labels('GET\uffff200', ''), /U\+FFFF/);
});

test('counter names must end in _total', () => {
  assert.throws(() => new Registry().counter({ name: 'vigil_requests', help: 'x' }), {
    name: 'InvalidMetricError',
    message: /vigil_requests: counter names must end in _total/,
  });
  assert.throws(
    () => new Registry().counter({ name: '_total', help: 'x' }),
    /metric names must match/,
  );
});
