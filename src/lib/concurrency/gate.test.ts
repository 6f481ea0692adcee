import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Gate } from './gate.js';

test('at most `limit` jobs run at once; the rest start in arrival order', async () => {
  const gate = new Gate(2);
  let running = 0;
  let peak = 0;
  const started: number[] = [];
  const job = (i: number) =>
    gate.run(async () => {
      started.push(i);
      peak = Math.max(peak, ++running);
      await new Promise((r) => setTimeout(r, 5));
      running--;
      if (i === 1) throw new Error('fails');
      return i;
    });
  const results = await Promise.allSettled([0, 1, 2, 3, 4].map(job));
  assert.equal(peak, 2);
  assert.deepEqual(started, [0, 1, 2, 3, 4]);
  assert.equal(results[1]!.status, 'rejected', 'a failing job frees its place too');
  assert.deepEqual(
    results
      .filter((r) => r.status === 'fulfilled')
      .map((r) => (r as PromiseFulfilledResult<number>).value),
    [0, 2, 3, 4],
  );
});
