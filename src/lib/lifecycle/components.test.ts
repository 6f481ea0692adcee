import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Components, type Component } from './components.js';

function recorder(log: string[], name: string, failStart = false): Component {
  return {
    name,
    start: async () => {
      log.push(`start ${name}`);
      if (failStart) throw new Error('boom');
    },
    stop: async () => {
      log.push(`stop ${name}`);
    },
  };
}

test('starts in order, stops in reverse, ready only when all run', async () => {
  const log: string[] = [];
  const c = new Components();
  assert.equal(c.ready, false);
  c.add(recorder(log, 'a'));
  c.add(recorder(log, 'b'));
  assert.equal(c.ready, false);
  await c.startAll();
  assert.equal(c.ready, true);
  assert.deepEqual(
    c.status().map((s) => s.state),
    ['running', 'running'],
  );
  assert.deepEqual(await c.stopAll(), []);
  assert.equal(c.ready, false);
  assert.deepEqual(log, ['start a', 'start b', 'stop b', 'stop a']);
});

test('a failed start stops what started and reports the component', async () => {
  const log: string[] = [];
  const c = new Components();
  c.add(recorder(log, 'a'));
  c.add(recorder(log, 'b', true));
  c.add(recorder(log, 'c'));
  await assert.rejects(c.startAll(), /cannot start component b/);
  assert.deepEqual(log, ['start a', 'start b', 'stop a']);
  const b = c.status()[1]!;
  assert.equal(b.state, 'failed');
  assert.equal(b.error, 'boom');
});

test('duplicate names are rejected', () => {
  const c = new Components();
  c.add(recorder([], 'a'));
  assert.throws(() => c.add(recorder([], 'a')), /duplicate name "a"/);
});
