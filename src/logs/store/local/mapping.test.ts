import { test } from 'node:test';
import assert from 'node:assert/strict';
import { typeOf } from '../../model/fields.js';
import { IndexMapping } from './mapping.js';

test('mapping types agree with typeOf, conflicts kept, limit stops indexing', () => {
  const values: (string | number | boolean)[] = [
    'hello',
    'error',
    'deadbeef',
    'cafe:babe',
    '::1',
    'fe80::1',
    '10.0.0.1',
    '10.0.0.256',
    '1.2.3',
    '2024-01-01',
    '2024-01-01T00:00:00Z',
    '2024-01-01T00:00',
    '2024-13-45T00:00:00Z',
    '2024-01-01 10:00:00',
    '2024-01-01x',
    '12345678',
    '1234-56-78',
    'abc',
    'a'.repeat(50),
    '2001:db8::ff00:42:8329',
    'ABCD::1',
    '1.5',
    42,
    4.2,
    true,
    '0:0:0:0:0:0:0:1',
    '::ffff:1.2.3.4',
    '1::2',
    'fe80::1%eth0',
    '10.0.0.1 x',
    'cafe:babe tail',
    '1:2',
  ];
  // Random strings of the characters addresses and dates are made of, and a few others.
  let seed = 7;
  const alphabet = '0123456789abcdefABCDEF:.-TZ x%';
  for (let k = 0; k < 20_000; k++) {
    let v = '';
    const n = 1 + (k % 46);
    for (let i = 0; i < n; i++) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      v += alphabet[(seed >>> 8) % alphabet.length];
    }
    values.push(v);
  }
  for (const v of values) {
    const m = new IndexMapping();
    m.observeDocument({ x: v });
    m.observeDocument({ x: v });
    assert.deepEqual(m.list()[0]!.types, [typeOf(v)], String(v));
  }
  const m = new IndexMapping(2);
  m.observeDocument({ a: 1, b: { c: 'x' } });
  m.observeDocument({ a: 'one', 'b.c': 2, d: true });
  assert.deepEqual(m.list(), [
    { path: 'a', types: ['keyword', 'long'], indexed: true },
    { path: 'b.c', types: ['keyword', 'long'], indexed: true },
    { path: 'd', types: ['boolean'], indexed: false },
  ]);
  assert.deepEqual([...m.unindexed()], ['d']);
  const back = new IndexMapping(2, m.toJSON());
  assert.deepEqual(back.list(), m.list());
});

test('mapping: a string the store parsed as the time is a date without a second parse', () => {
  const m = new IndexMapping();
  const stamp = '2024-01-01T00:00:00.123Z';
  // Only values equal to the parsed string are taken as read; others are parsed as ever.
  m.observeDocument({ '@timestamp': stamp, bad: '2024-02-30T00:00:00Z' }, undefined, 0, stamp);
  assert.deepEqual(m.list(), [
    { path: '@timestamp', types: ['date'], indexed: true },
    { path: 'bad', types: ['keyword'], indexed: true },
  ]);
});
