import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import type { MetricFamily } from './family.js';
import { registerProcessMetrics } from './process-collector.js';
import { Registry } from './registry.js';

const linux = process.platform === 'linux';

/** Collects after the event-loop monitor has taken a few samples. */
async function collect(): Promise<{ registry: Registry; families: Map<string, MetricFamily> }> {
  const registry = new Registry();
  const stop = registerProcessMetrics(registry);
  await new Promise((resolve) => setTimeout(resolve, 50));
  const families = new Map(registry.collect().map((f) => [f.name, f]));
  stop();
  return { registry, families };
}

function value(families: Map<string, MetricFamily>, name: string): number {
  const family = families.get(name);
  assert.ok(family, `missing family ${name}`);
  assert.equal(family.samples.length, 1, name);
  return family.samples[0]!.value;
}

test('process collector reports the standard families with sane values', async () => {
  const { families } = await collect();
  const names = [
    'process_cpu_user_seconds',
    'process_cpu_system_seconds',
    'process_cpu_seconds',
    'process_resident_memory_bytes',
    'process_start_time_seconds',
    'nodejs_heap_size_total_bytes',
    'nodejs_heap_size_used_bytes',
    'nodejs_external_memory_bytes',
    'nodejs_heap_space_size_used_bytes',
    'nodejs_eventloop_lag_seconds',
    'nodejs_eventloop_lag_min_seconds',
    'nodejs_eventloop_lag_max_seconds',
    'nodejs_eventloop_lag_p99_seconds',
    'nodejs_version_info',
    'nodejs_active_resources',
  ];
  for (const name of names) assert.ok(families.has(name), `missing ${name}`);

  const cpu = value(families, 'process_cpu_seconds');
  assert.ok(cpu > 0);
  assert.ok(
    Math.abs(
      cpu -
        value(families, 'process_cpu_user_seconds') -
        value(families, 'process_cpu_system_seconds'),
    ) < 1e-9,
  );
  assert.equal(families.get('process_cpu_seconds')!.type, 'counter');
  assert.ok(value(families, 'process_resident_memory_bytes') > 0);
  const now = Date.now() / 1000;
  const start = value(families, 'process_start_time_seconds');
  assert.ok(start <= now && start > now - 3600, `start time ${start}`);
  assert.ok(
    value(families, 'nodejs_heap_size_used_bytes') <=
      value(families, 'nodejs_heap_size_total_bytes'),
  );
  const lag = value(families, 'nodejs_eventloop_lag_seconds');
  // Seconds, not ms or ns; on a machine busy with other tests the loop can lag a few seconds.
  assert.ok(lag >= 0 && lag < 30, `lag ${lag}`);
  assert.ok(
    value(families, 'nodejs_eventloop_lag_min_seconds') <=
      value(families, 'nodejs_eventloop_lag_max_seconds'),
  );
  const spaces = families
    .get('nodejs_heap_space_size_used_bytes')!
    .samples.map((s) => s.labels[0]![1]);
  assert.ok(spaces.includes('old') && spaces.includes('new'), spaces.join());
  const [version] = families.get('nodejs_version_info')!.samples;
  assert.deepEqual(version!.labels[0], ['version', process.version]);
});

test('process collector reads /proc on Linux', { skip: !linux && 'needs /proc/self' }, async () => {
  const { families } = await collect();
  const open = value(families, 'process_open_fds');
  assert.ok(open > 0 && Number.isInteger(open));
  assert.ok(value(families, 'process_max_fds') >= open);
  assert.ok(
    value(families, 'process_virtual_memory_bytes') >
      value(families, 'process_resident_memory_bytes'),
  );
});

test('registering process metrics twice throws', () => {
  const registry = new Registry();
  const stop = registerProcessMetrics(registry);
  assert.throws(() => registerProcessMetrics(registry), { name: 'DuplicateMetricError' });
  stop();
});

const promtool = spawnSync('promtool', ['--version']).status === 0;

test(
  'promtool check metrics accepts the text exposition',
  { skip: !promtool && 'promtool not installed' },
  async () => {
    const { registry } = await collect();
    registry
      .counter({ name: 'vigil_requests_total', help: 'Requests.', labelNames: ['path'] })
      .labels('/a"\\\n')
      .inc();
    registry
      .histogram({ name: 'vigil_latency_seconds', help: 'Latency.', labelNames: ['k'] })
      .labels('x')
      .observe(0.2);
    registry.gauge({ name: 'vigil_queue_bytes', help: 'Queue.' }).set(3);
    const result = spawnSync('promtool', ['check', 'metrics'], {
      input: registry.expose('text'),
      encoding: 'utf8',
    });
    assert.equal(result.stdout + result.stderr, '');
    assert.equal(result.status, 0);
  },
);
