/**
 * @module
 * Per-token ingest rates on a real server: a token over `server.auth.token_ingest_rate` is held
 * back with 429 and Retry-After in each API's error shape, another token is not, and the held
 * one gets through again once its debt is paid.
 */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startVigil } from '../harness/vigil.js';

const PASSWORD = 'ingest rate password';

test('a token over its ingest rate is held back; other tokens are not', async (t) => {
  const vigil = await startVigil(t, {
    config: 'server:\n  auth:\n    enabled: true\n    token_ingest_rate: 20KiB\n',
    env: { VIGIL_ADMIN_PASSWORD: PASSWORD },
  });
  const admin = `Basic ${Buffer.from(`admin:${PASSWORD}`).toString('base64')}`;
  const token = async (name: string) => {
    const res = await fetch(`${vigil.url}/api/v1/auth/tokens`, {
      method: 'POST',
      headers: { authorization: admin, 'content-type': 'application/json' },
      body: JSON.stringify({ name, scopes: ['logs:write'] }),
    });
    assert.equal(res.status, 200);
    return `Bearer ${((await res.json()) as { data: { token: string } }).data.token}`;
  };
  const [heavy, light] = [await token('heavy'), await token('light')];
  // 60 KiB of documents: three seconds of the rate.
  const lines = Array.from({ length: 600 }, (_, i) =>
    JSON.stringify({ message: `line ${i} ${'x'.repeat(80)}` }),
  ).join('\n');
  const ingest = (auth: string) =>
    fetch(`${vigil.url}/api/v1/logs/ingest?index=logs-rate`, {
      method: 'POST',
      headers: { authorization: auth },
      body: lines,
    });

  const first = await ingest(heavy);
  assert.equal(first.status, 200, await first.text());
  const held = await ingest(heavy);
  assert.equal(held.status, 429);
  const retryAfter = Number(held.headers.get('retry-after'));
  assert.ok(retryAfter >= 2 && retryAfter <= 4, `Retry-After ${retryAfter}`);
  const body = (await held.json()) as { status: string; errorType: string };
  assert.deepEqual([body.status, body.errorType], ['error', 'too_many_requests']);
  // Elasticsearch's shape on its own routes.
  const bulk = await fetch(`${vigil.url}/_bulk`, {
    method: 'POST',
    headers: { authorization: heavy, 'content-type': 'application/x-ndjson' },
    body: '{"index":{"_index":"logs-rate"}}\n{"message":"m"}\n',
  });
  assert.equal(bulk.status, 429);
  assert.equal(((await bulk.json()) as { status: number }).status, 429);
  // Another token is not slowed by the first one's debt.
  const other = await ingest(light);
  assert.equal(other.status, 200, await other.text());
  // Once the debt is paid, the first token gets through again.
  await new Promise((r) => setTimeout(r, retryAfter * 1000 + 200));
  const again = await ingest(heavy);
  assert.equal(again.status, 200, await again.text());
});
