import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { DuplicateMetricError, Registry } from '../../lib/instrument/index.js';
import { COLLECTOR_NAMES, registerExporters, UnknownCollectorError } from './index.js';

const testdata = fileURLToPath(new URL('testdata/', import.meta.url));

test('an unknown collector name throws and lists the known ones', () => {
  assert.throws(
    () => registerExporters(new Registry(), { collectors: ['cpu', 'gpu'] }),
    (err: unknown) =>
      err instanceof UnknownCollectorError &&
      err.collector === 'gpu' &&
      COLLECTOR_NAMES.every((n) => err.message.includes(n)),
  );
});

test('registering twice is a duplicate', () => {
  const registry = new Registry();
  registerExporters(registry, { collectors: ['loadavg'] });
  assert.throws(
    () => registerExporters(registry, { collectors: ['loadavg'] }),
    DuplicateMetricError,
  );
});

test('a failing collector reports success 0 and the others still answer', () => {
  const registry = new Registry();
  const errors: string[] = [];
  registerExporters(registry, {
    procPath: `${testdata}proc`,
    sysPath: `${testdata}sys`,
    collectors: ['meminfo', 'loadavg'],
    onError: (c) => errors.push(c),
  });
  const broken = new Registry();
  registerExporters(broken, {
    procPath: `${testdata}nowhere`,
    collectors: ['loadavg', 'uname'],
    onError: (c) => errors.push(c),
  });
  const text = broken.expose('text');
  assert.match(text, /^node_scrape_collector_success\{collector="loadavg"\} 0$/m);
  assert.match(text, /^node_scrape_collector_success\{collector="uname"\} 1$/m);
  assert.match(text, /^node_uname_info\{/m);
  assert.ok(errors.includes('loadavg'));
  assert.match(registry.expose('text'), /^node_load1 3.2$/m);
});

test('every collector on this machine, in both formats', () => {
  const registry = new Registry();
  const errors: string[] = [];
  registerExporters(registry, { onError: (c, err) => errors.push(`${c}: ${String(err)}`) });
  assert.deepEqual(errors, []);
  const text = registry.expose('text');
  for (const name of [
    'node_cpu_seconds_total',
    'node_memory_MemTotal_bytes',
    'node_load1',
    'node_uname_info',
  ]) {
    assert.match(text, new RegExp(`^# TYPE ${name} `, 'm'));
  }
  assert.doesNotMatch(text, /^node_scrape_collector_success\{[^}]*\} 0$/m);
  const om = registry.expose('openmetrics');
  assert.match(om, /^# UNIT node_cpu_seconds seconds$/m);
  assert.match(om, /^# EOF\n$/m);
});
