import assert from 'node:assert/strict';
import { test } from 'node:test';
import { IngestLimiter } from './ingest-limiter.js';

test('a bucket holds one second of the rate; a large body goes into debt that holds the next back', () => {
  let now = 0;
  const limiter = new IngestLimiter(1000, () => now);
  assert.equal(limiter.retryAfterMs('a'), 0);
  limiter.charge('a', 3000);
  // 2000 bytes of debt at 1000 B/s: just over 2 s.
  assert.equal(limiter.retryAfterMs('a'), 2001);
  // Other tokens are not affected.
  assert.equal(limiter.retryAfterMs('b'), 0);
  now = 1000;
  assert.ok(limiter.retryAfterMs('a') > 0);
  now = 2001;
  assert.equal(limiter.retryAfterMs('a'), 0);
  // Refill stops at one second's worth, however long the token was idle.
  now = 60_000;
  limiter.charge('a', 999);
  assert.equal(limiter.retryAfterMs('a'), 0);
  limiter.charge('a', 1);
  assert.ok(limiter.retryAfterMs('a') > 0);
});
