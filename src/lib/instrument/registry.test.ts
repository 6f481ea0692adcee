import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DuplicateMetricError, InvalidMetricError } from './errors.js';
import type { MetricFamily } from './family.js';
import { Registry } from './registry.js';

function up(name = 'vigil_up'): MetricFamily {
  return { name, help: 'Up.', type: 'gauge', samples: [{ suffix: '', labels: [], value: 1 }] };
}

test('registering the same name twice throws, naming the metric', () => {
  const registry = new Registry();
  registry.counter({ name: 'vigil_requests_total', help: 'x' });
  assert.throws(() => registry.counter({ name: 'vigil_requests_total', help: 'y' }), {
    name: 'DuplicateMetricError',
    message:
      'cannot register metric vigil_requests_total: a metric with that name is already registered',
  });
});

test('names whose series would collide on the wire are duplicates too', () => {
  const f = (register: (r: Registry) => void, clash: (r: Registry) => void, existing: string) => {
    const registry = new Registry();
    register(registry);
    assert.throws(
      () => clash(registry),
      (err) => err instanceof DuplicateMetricError && err.existing === existing,
    );
  };
  // OpenMetrics family vigil_requests, in text vigil_requests_total.
  f(
    (r) => r.counter({ name: 'vigil_requests_total', help: 'x' }),
    (r) => r.gauge({ name: 'vigil_requests', help: 'x' }),
    'vigil_requests_total',
  );
  f(
    (r) => r.histogram({ name: 'vigil_latency_seconds', help: 'x' }),
    (r) => r.gauge({ name: 'vigil_latency_seconds_count', help: 'x' }),
    'vigil_latency_seconds',
  );
  f(
    (r) => r.gauge({ name: 'vigil_latency_seconds_bucket', help: 'x' }),
    (r) => r.histogram({ name: 'vigil_latency_seconds', help: 'x' }),
    'vigil_latency_seconds_bucket',
  );
  f(
    (r) => r.collector({ collect: () => [up()] }),
    (r) => r.gauge({ name: 'vigil_up', help: 'x' }),
    'vigil_up',
  );
});

test('invalid metric names, label names and units throw at registration', () => {
  const f = (register: (r: Registry) => unknown, message: RegExp) =>
    assert.throws(
      () => register(new Registry()),
      (err) => err instanceof InvalidMetricError && message.test(err.message),
    );
  f((r) => r.gauge({ name: 'vigil-up', help: 'x' }), /metric names must match/);
  f((r) => r.gauge({ name: '1vigil', help: 'x' }), /metric names must match/);
  f((r) => r.gauge({ name: '', help: 'x' }), /metric names must match/);
  f((r) => r.gauge({ name: 'vigil_ü', help: 'x' }), /metric names must match/);
  f(
    (r) => r.gauge({ name: 'vigil_g', help: 'x', labelNames: ['a:b'] }),
    /label names must match.*"a:b"/,
  );
  f((r) => r.gauge({ name: 'vigil_g', help: 'x', labelNames: ['0a'] }), /label names must match/);
  f(
    (r) => r.gauge({ name: 'vigil_g', help: 'x', labelNames: ['__name__'] }),
    /starting with __ are reserved/,
  );
  f((r) => r.gauge({ name: 'vigil_g', help: 'x', labelNames: ['a', 'a'] }), /duplicate label name/);
  f(
    (r) => r.histogram({ name: 'vigil_h', help: 'x', labelNames: ['le'] }),
    /reserved label names: "le"/,
  );
  f(
    (r) => r.gauge({ name: 'vigil_g', help: 'x', labelNames: ['le'] }),
    /reserved label names: "le"/,
  );
  f((r) => r.counter({ name: 'vigil_c_total', help: 'x', labelNames: ['quantile'] }), /reserved/);
  f((r) => r.gauge({ name: 'vigil_g', help: 'x', unit: 'seconds' }), /unit must be a suffix/);
  f(
    (r) => r.counter({ name: 'vigil_s_total', help: 'x', unit: 'seconds' }),
    /unit must be a suffix/,
  );
  f(
    (r) =>
      r.collector({
        collect: () => [{ ...up(), samples: [{ suffix: '', labels: [['__x', '1']], value: 1 }] }],
      }),
    /starting with __ are reserved/,
  );
  assert.doesNotThrow(() =>
    new Registry().gauge({ name: 'vigil:rule_ratio', help: 'x', labelNames: ['_a', 'b1'] }),
  );
});

test('a failed registration reserves nothing', () => {
  const registry = new Registry();
  registry.gauge({ name: 'vigil_b', help: 'x' });
  assert.throws(() => registry.collector({ collect: () => [up('vigil_a'), up('vigil_b')] }));
  assert.doesNotThrow(() => registry.gauge({ name: 'vigil_a', help: 'x' }));
});

test('collect sorts families by name across metrics and collectors', () => {
  const registry = new Registry();
  registry.gauge({ name: 'vigil_c', help: 'x' });
  registry.collector({ collect: () => [up('vigil_b'), up('vigil_d')] });
  registry.counter({ name: 'vigil_a_total', help: 'x' });
  assert.deepEqual(
    registry.collect().map((f) => f.name),
    ['vigil_a', 'vigil_b', 'vigil_c', 'vigil_d'],
  );
});

test('a collector that starts reporting a taken name fails the exposition', () => {
  const registry = new Registry();
  let families: MetricFamily[] = [];
  registry.collector({ collect: () => families });
  registry.gauge({ name: 'vigil_up', help: 'x' });
  families = [up()];
  assert.throws(() => registry.expose('text'), {
    name: 'DuplicateMetricError',
    message: /vigil_up/,
  });
});

test('an untyped family from a collector', () => {
  const registry = new Registry();
  registry.collector({ collect: () => [{ ...up('vigil_legacy'), type: 'untyped' }] });
  assert.equal(
    registry.expose('text'),
    '# HELP vigil_legacy Up.\n# TYPE vigil_legacy untyped\nvigil_legacy 1\n',
  );
  assert.equal(
    registry.expose('openmetrics'),
    '# TYPE vigil_legacy unknown\n# HELP vigil_legacy Up.\nvigil_legacy 1\n# EOF\n',
  );
});

test('an empty registry', () => {
  assert.equal(new Registry().expose('text'), '');
  assert.equal(new Registry().expose('openmetrics'), '# EOF\n');
});
