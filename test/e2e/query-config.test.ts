import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startVigil } from '../harness/vigil.js';

test('the query section of the configuration sets the engine limits', async (t) => {
  const vigil = await startVigil(t, {
    config: 'query:\n  max_samples: 100\n  max_concurrency: 1\n',
  });
  const ask = async (query: string) => {
    const res = await fetch(
      `${vigil.url}/api/v1/query?${new URLSearchParams({ query, time: '1700000000' })}`,
    );
    return {
      status: res.status,
      body: (await res.json()) as { status: string; errorType?: string; error?: string },
    };
  };
  // A subquery of 600 points needs more than 100 samples in memory at once.
  const big = await ask('sum_over_time(vector(1)[10m:1s])');
  assert.equal(big.status, 422);
  assert.equal(big.body.errorType, 'execution');
  assert.match(big.body.error!, /query processing would load too many samples into memory/);
  const small = await ask('sum_over_time(vector(1)[10s:1s])');
  assert.equal(small.status, 200);
  // With one query at a time, concurrent requests still all get answers.
  const answers = await Promise.all(Array.from({ length: 5 }, () => ask('vector(2)')));
  assert.deepEqual(
    answers.map((a) => a.status),
    [200, 200, 200, 200, 200],
  );
  assert.equal((await vigil.stop()).code, 0);
});
