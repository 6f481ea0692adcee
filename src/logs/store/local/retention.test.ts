import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../../../test/harness/temp.js';
import { planRetention } from './retention.js';
import { openLocalStore } from './store.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2024, 4, 10, 12);

test('planRetention: by age, then by size oldest first, never the newest partition', () => {
  const parts = [
    { index: 'a', day: '2024-05-06', bytes: 100 },
    { index: 'a', day: '2024-05-08', bytes: 100 },
    { index: 'a', day: '2024-05-09', bytes: 100 },
    { index: 'a', day: '2024-05-10', bytes: 500 },
    { index: 'b', day: '2024-05-01', bytes: 1 },
  ];
  const f = (rules: Parameters<typeof planRetention>[1]) =>
    planRetention(parts, rules, NOW).map((p) => `${p.index}/${p.day}`);
  assert.deepEqual(f([{ indices: 'a', maxAgeMs: 2 * DAY }]), ['a/2024-05-06']);
  assert.deepEqual(f([{ indices: 'a', maxAgeMs: DAY }]), ['a/2024-05-06', 'a/2024-05-08']);
  assert.deepEqual(f([{ indices: '*', maxBytes: 650 }]), ['a/2024-05-06', 'a/2024-05-08']);
  assert.deepEqual(f([{ indices: 'a*', maxBytes: 1 }]), [
    'a/2024-05-06',
    'a/2024-05-08',
    'a/2024-05-09',
  ]);
  assert.deepEqual(f([]), []);
});

test('the store drops whole partitions past retention, oldest first', async (t) => {
  const dir = tempDir(t);
  let now = NOW;
  const s = await openLocalStore(dir, {
    inlineJobs: true,
    now: () => now,
    retention: [{ indices: 'logs-*', maxAgeMs: 3 * DAY }],
  });
  for (let d = 0; d < 6; d++) {
    await s.write([{ index: 'logs-a', op: 'index', source: { '@timestamp': NOW - d * DAY, d } }]);
    await s.write([{ index: 'keep', op: 'index', source: { '@timestamp': NOW - d * DAY, d } }]);
  }
  await s.flush();
  const days = async (index: string) => {
    const out: number[] = [];
    await s.search({ indices: [index], query: { kind: 'all' }, order: 'asc' }, (b) => {
      for (let i = 0; i < b.length; i++) out.push(b.source(i).d as number);
    });
    return out;
  };
  assert.deepEqual(await days('logs-a'), [3, 2, 1, 0]);
  assert.deepEqual(await days('keep'), [5, 4, 3, 2, 1, 0]);
  assert.equal(existsSync(join(dir, 'indices', 'logs-a', '2024-05-05')), false);
  now += DAY;
  s.applyRetention();
  assert.deepEqual(await days('logs-a'), [2, 1, 0]);
  await s.close();
  const again = await openLocalStore(dir, { inlineJobs: true });
  assert.equal((await again.indices()).find((i) => i.name === 'logs-a')?.docs, 3);
  await again.close();
});
