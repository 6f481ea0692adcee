import { test } from 'node:test';
import assert from 'node:assert/strict';
import { desiredShards, EwmaRate } from './sharding.js';

const base = { current: 4, min: 1, max: 50, inRate: 0, outRate: 0, sendRate: 0, lagSeconds: 0 };

test('shards follow the incoming rate times the time one sample takes to send', () => {
  // 1 s of requests per 2000 samples: 10 000 samples/s need 5 shards.
  assert.equal(
    desiredShards({ ...base, current: 1, inRate: 10_000, outRate: 2000, sendRate: 1 }),
    5,
  );
  assert.equal(desiredShards({ ...base, inRate: 100, outRate: 2000, sendRate: 1 }), 1);
});

test('a backlog asks for more shards than the incoming rate alone', () => {
  const steady = desiredShards({ ...base, inRate: 10_000, outRate: 2000, sendRate: 1 });
  const behind = desiredShards({
    ...base,
    inRate: 10_000,
    outRate: 2000,
    sendRate: 1,
    lagSeconds: 60,
  });
  assert.ok(behind > steady, `${behind} > ${steady}`);
});

test('changes within 30 % are ignored; results stay within min and max', () => {
  assert.equal(desiredShards({ ...base, inRate: 9000, outRate: 2000, sendRate: 1 }), 4);
  assert.equal(desiredShards({ ...base, inRate: 1e9, outRate: 2000, sendRate: 1 }), 50);
  assert.equal(desiredShards({ ...base, min: 3, inRate: 1, outRate: 2000, sendRate: 1 }), 3);
});

test('without anything sent there is nothing to measure: the count stays', () => {
  assert.equal(desiredShards({ ...base, inRate: 10_000 }), 4);
});

test('the moving average starts at the first rate and then moves a fifth of the way', () => {
  const r = new EwmaRate(10);
  r.add(100);
  r.tick();
  assert.equal(r.rate, 10);
  r.add(600);
  r.tick();
  assert.equal(r.rate, 10 + 0.2 * (60 - 10));
});
