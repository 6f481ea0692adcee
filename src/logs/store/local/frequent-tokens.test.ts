import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FREQUENT_MIN_DOCS, FrequentTokenBuilder, FrequentTokens } from './frequent-tokens.js';

test('frequent tokens: listed from the threshold up, holders exact in both encodings', () => {
  const n = 8192;
  const b = new FrequentTokenBuilder(n);
  const holders = new Map<string, number[]>();
  // Every other document (a bitmap), every 14th (deltas), just under and at the threshold of
  // 128 documents, and rare.
  const plan: [string, number][] = [
    ['info', 2],
    ['error', 14],
    ['under', Math.ceil(n / (128 - 1))],
    ['at', Math.floor(n / 128)],
    ['kraken', 4000],
  ];
  for (const [token] of plan) holders.set(token, []);
  for (let d = 0; d < n; d++) {
    for (const [token, every] of plan) {
      if (d % every === 0) {
        b.add(d, token);
        b.add(d, token); // a repeat within a document counts once
        holders.get(token)!.push(d);
      }
    }
  }
  const f = new FrequentTokens(b.encode()!, n);
  const min = Math.max(FREQUENT_MIN_DOCS, n / 64);
  for (const [token, docs] of holders) {
    const rows = new Uint8Array(n);
    assert.equal(f.mark(token, rows), docs.length >= min, `${token}: ${docs.length} documents`);
    assert.equal(f.hasAll([token, 'info']), docs.length >= min);
    if (docs.length < min) {
      assert.ok(rows.every((r) => r === 0));
      continue;
    }
    assert.deepEqual(
      [...rows.keys()].filter((d) => rows[d] === 1),
      docs,
      token,
    );
  }
  assert.throws(
    () => new FrequentTokens(b.encode()!, n - 1),
    /section is for 8192 documents, block has 8191/,
  );
  assert.equal(new FrequentTokenBuilder(100).encode(), undefined);
});
