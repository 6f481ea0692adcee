import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bloomAdd, bloomHas, bloomSize, hashKey } from './bloom.js';
import { IdGenerator } from './ids.js';
import { indexMatcher, invalidIndexName } from './names.js';

test('index names follow Elasticsearch rules', () => {
  const f = (name: string, ok: boolean) =>
    assert.equal(invalidIndexName(name) === undefined, ok, name);
  f('logs-app', true);
  f('logs.2024.05.06', true);
  f('.internal', true);
  f('', false);
  f('.', false);
  f('..', false);
  f('Logs', false);
  f('_x', false);
  f('-x', false);
  f('+x', false);
  for (const c of ['\\', '/', '*', '?', '"', '<', '>', '|', ',', '#', ' ', ':']) f(`a${c}b`, false);
  f('a'.repeat(255), true);
  f('a'.repeat(256), false);
  f('é'.repeat(128), false);
});

test('index patterns', () => {
  const m = indexMatcher(['logs-*', 'audit', '*-k8s']);
  assert.deepEqual(['logs-a', 'audit', 'x-k8s', 'auditx', 'logs', 'metrics'].map(m), [
    true,
    true,
    true,
    false,
    false,
    false,
  ]);
  assert.equal(indexMatcher([])('anything'), true);
  assert.equal(indexMatcher(['a.b'])('axb'), false);
});

test('ids: 20 base64url characters, unique, time-prefixed', () => {
  const g = new IdGenerator();
  const seen = new Set<string>();
  for (let i = 0; i < 100_000; i++) seen.add(g.next(1_700_000_000_000 + (i >> 10)));
  assert.equal(seen.size, 100_000);
  const a = g.next(1_700_000_000_000);
  assert.match(a, /^[A-Za-z0-9_-]{20}$/);
  const b = new IdGenerator().next(1_800_000_000_000);
  assert.equal(Buffer.from(b, 'base64url').readUIntBE(0, 6), 1_800_000_000_000);
  // The text is the base64url of the 15 bytes, at the edges of each 3-byte group too.
  const h = new IdGenerator();
  let seq: number | undefined;
  let tail: string | undefined;
  for (const ms of [1, 2 ** 24 - 1, 2 ** 24, 1_700_000_000_000, 2 ** 48 - 1, 2 ** 48 - 2]) {
    const id = h.next(ms);
    const bytes = Buffer.from(id, 'base64url');
    assert.equal(bytes.toString('base64url'), id);
    // A clock that steps back keeps the last time.
    assert.equal(bytes.readUIntBE(0, 6), ms === 2 ** 48 - 2 ? 2 ** 48 - 1 : ms, id);
    const s = bytes.readUIntBE(6, 3);
    if (seq !== undefined) assert.equal(s, (seq + 1) & 0xffffff);
    seq = s;
    assert.equal(id.slice(12), (tail ??= id.slice(12)));
  }
});

test('bloom filters: no false negatives, about 0.1 % false positives', () => {
  const n = 50_000;
  const bits = new Uint8Array(bloomSize(n));
  const h = new Uint32Array(2);
  for (let i = 0; i < n; i++) {
    hashKey(`key-${i}`, h);
    bloomAdd(bits, h);
  }
  for (let i = 0; i < n; i++) {
    hashKey(`key-${i}`, h);
    assert.ok(bloomHas(bits, h));
  }
  let fp = 0;
  for (let i = 0; i < n; i++) {
    hashKey(`other-${i}`, h);
    if (bloomHas(bits, h)) fp++;
  }
  // 16 bits a key and 6 probes: (1 − e^(−6/16))^6 ≈ 0.094 % in theory.
  assert.ok(fp / n < 0.003, `false positive rate ${fp / n}`);
});
