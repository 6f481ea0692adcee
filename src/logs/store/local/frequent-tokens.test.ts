import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bloomHas, hashKey } from './bloom.js';
import {
  ColumnTokenIndex,
  FREQUENT_MIN_DOCS,
  FrequentTokens,
  type IndexSizes,
} from './frequent-tokens.js';
import { referenceBloom } from './testdata/reference-bloom.js';

test('frequent tokens: listed from the threshold up, holders exact in both encodings', () => {
  const n = 8192;
  const b = new ColumnTokenIndex(n);
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
        // Case and repeats within a document do not matter; a repeated value is tokenized once.
        b.add(d, `${token.toUpperCase()} ${token}`);
        b.add(d, `${token} x${d}`);
        holders.get(token)!.push(d);
      }
    }
  }
  b.add(n - 1, 42);
  b.add(n - 1, true);
  b.add(n - 1, '2024-05-06T10:00:00.123Z');
  const bits = b.bloom();
  const h = new Uint32Array(2);
  for (const t of ['info', 'kraken', 'x0', 'x8000']) {
    hashKey(t, h);
    assert.ok(bloomHas(bits, h), t);
  }
  // Typed values are found by value, never by a word: their tokens stay out of the bloom.
  for (const t of ['42', 'true', '2024', '123z']) {
    hashKey(t, h);
    assert.ok(!bloomHas(bits, h), t);
  }
  const section = b.frequent()!;
  const f = new FrequentTokens(section, n, 2);
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
    () => new FrequentTokens(section, n - 1, 2),
    /section is for 8192 documents, block has 8191/,
  );
  // Numbers, booleans and strings read as dates hold no token.
  const other = new ColumnTokenIndex(64);
  for (let d = 0; d < 64; d++) {
    other.add(d, 42);
    other.add(d, true);
    other.add(d, '2024-05-06T10:00:00Z');
  }
  assert.equal(other.frequent(), undefined);
});

test('frequent tokens: the bloom has the same bits as hashing each distinct token string', () => {
  // ASCII (tokenized in one pass), capitals, non-ASCII (the general tokenizer), typed values,
  // repeats, and enough distinct tokens to grow the table several times.
  const values: (string | number | boolean)[] = [
    'GET /api/v1/Users',
    'get api',
    'Grüße aus KÖLN, then ascii_tail',
    'ÉCOLE école',
    404,
    true,
    '2024-05-06T10:00:00Z',
    '10.1.2.3',
    'GET /api/v1/Users',
    ...Array.from({ length: 5000 }, (_, i) => `Token${i} shared w${i % 50} x${i % 7}_`),
    'trailing token',
  ];
  const index = new ColumnTokenIndex(values.length);
  values.forEach((v, d) => index.add(d, v));
  assert.deepEqual(index.bloom(), referenceBloom(values));
  // The frequent ones, with every document that holds them.
  const f = new FrequentTokens(index.frequent()!, values.length, 2);
  const rows = new Uint8Array(values.length);
  assert.ok(f.mark('shared', rows));
  assert.equal(
    rows.reduce((n, r) => n + r, 0),
    5000,
  );
});

test('an index started at the size of the block before gives the same blooms and frequent tokens', () => {
  const values = Array.from({ length: 6000 }, (_, i) =>
    i % 3 === 0 ? `error in pod-${i % 40}` : `Token${i} shared w${i % 50} Grüße`,
  );
  const build = (like?: IndexSizes) => {
    const index = new ColumnTokenIndex(values.length, 500, like);
    values.forEach((v, d) => index.add(d, v));
    return index;
  };
  const first = build();
  const sizes = first.sizes();
  assert.ok(sizes.tokens > 4000 && sizes.log > sizes.tokens, JSON.stringify(sizes));
  const plain = build();
  const sized = build(sizes);
  assert.deepEqual(sized.sizes(), sizes);
  assert.deepEqual(sized.bloom(), plain.bloom());
  assert.deepEqual(sized.pageBlooms(), plain.pageBlooms());
  assert.deepEqual(sized.frequent(), plain.frequent());
});

test('a column of strings that never repeat (ids) is indexed as one whose strings repeat', () => {
  // The first 512 strings are distinct, so the index stops caching strings; what it lists and
  // its bloom must not change for that.
  const n = 4096;
  const b = new ColumnTokenIndex(n);
  for (let d = 0; d < n; d++) b.add(d, `ID-${d} shared`);
  b.add(600, 'Größe');
  b.add(601, '1999-05-06T10:00:00.123Z');
  b.add(602, 'ID-602 shared');
  const f = new FrequentTokens(b.frequent()!, n, 2);
  for (const token of ['shared', 'id']) {
    const rows = new Uint8Array(n);
    assert.ok(f.mark(token, rows), token);
    assert.ok(
      rows.every((r) => r === 1),
      token,
    );
  }
  const bits = b.bloom();
  const h = new Uint32Array(2);
  for (const t of ['shared', 'id', '0', '4095', 'größe']) {
    hashKey(t, h);
    assert.ok(bloomHas(bits, h), t);
  }
  for (const t of ['06t10', '123z', 'kraken']) {
    hashKey(t, h);
    assert.ok(!bloomHas(bits, h), t);
  }
});
