import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TargetGroup } from '../interface.js';
import { StaticDiscoverer } from './static.js';

test('reports one group per entry, once, and returns when aborted', async () => {
  const d = new StaticDiscoverer([
    { targets: ['a:80', 'b:80'], labels: { env: 'prod' } },
    { targets: [], labels: {} },
  ]);
  const calls: TargetGroup[][] = [];
  const controller = new AbortController();
  let returned = false;
  const done = d.run((g) => calls.push(g), controller.signal).then(() => (returned = true));
  assert.deepEqual(calls, [
    [
      {
        source: '0',
        targets: [{ __address__: 'a:80' }, { __address__: 'b:80' }],
        labels: { env: 'prod' },
      },
      { source: '1', targets: [], labels: {} },
    ],
  ]);
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(returned, false, 'run must wait for the abort');
  controller.abort();
  await done;
  assert.equal(calls.length, 1);
});

test('an aborted signal returns at once without reporting', async () => {
  const calls: TargetGroup[][] = [];
  await new StaticDiscoverer([{ targets: ['a:1'], labels: {} }]).run(
    (g) => calls.push(g),
    AbortSignal.abort(),
  );
  assert.deepEqual(calls, []);
});
