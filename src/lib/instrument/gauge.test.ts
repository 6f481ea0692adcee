import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Registry } from './registry.js';

test('gauge set/inc/dec/setToCurrentTime', () => {
  const g = new Registry().gauge({ name: 'vigil_in_flight', help: 'x' });
  g.set(5);
  g.inc();
  g.dec(3);
  assert.equal(g.value, 3);
  const before = Date.now() / 1000;
  g.setToCurrentTime();
  assert.ok(g.value >= before && g.value <= Date.now() / 1000);
});

test('gauge with labels in both formats', () => {
  const registry = new Registry();
  const g = registry.gauge({
    name: 'vigil_queue_bytes',
    help: 'Queued bytes.',
    unit: 'bytes',
    labelNames: ['queue'],
  });
  g.labels('wal').set(1024);
  g.labels('remote').set(-0.25);
  assert.equal(
    registry.expose('text'),
    '# HELP vigil_queue_bytes Queued bytes.\n' +
      '# TYPE vigil_queue_bytes gauge\n' +
      'vigil_queue_bytes{queue="wal"} 1024\n' +
      'vigil_queue_bytes{queue="remote"} -0.25\n',
  );
  assert.equal(
    registry.expose('openmetrics'),
    '# TYPE vigil_queue_bytes gauge\n' +
      '# UNIT vigil_queue_bytes bytes\n' +
      '# HELP vigil_queue_bytes Queued bytes.\n' +
      'vigil_queue_bytes{queue="wal"} 1024\n' +
      'vigil_queue_bytes{queue="remote"} -0.25\n' +
      '# EOF\n',
  );
});

test('gauge collect callback runs at each exposition', () => {
  const registry = new Registry();
  let n = 0;
  registry.gauge({ name: 'vigil_ticks', help: 'Ticks.', collect: (g) => g.set(++n) });
  assert.equal(n, 0, 'registration must not run the callback');
  assert.equal(
    registry.expose('text'),
    '# HELP vigil_ticks Ticks.\n# TYPE vigil_ticks gauge\nvigil_ticks 1\n',
  );
  assert.match(registry.expose('text'), /^vigil_ticks 2$/m);
});

test('gauge values NaN and infinities', () => {
  const registry = new Registry();
  const g = registry.gauge({ name: 'vigil_ratio', help: '', labelNames: ['k'] });
  g.labels('a').set(NaN);
  g.labels('b').set(Infinity);
  g.labels('c').set(-Infinity);
  assert.equal(
    registry.expose('text'),
    '# TYPE vigil_ratio gauge\nvigil_ratio{k="a"} NaN\nvigil_ratio{k="b"} +Inf\nvigil_ratio{k="c"} -Inf\n',
  );
});
