import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryMetadataStore, type Metadata, type MetadataQuery } from './metadata.js';

const T = 1_700_000_000_000;
const MIN = 60_000;
const counter = (help: string, unit = ''): Metadata => ({ type: 'counter', help, unit });
const gauge = (help: string, unit = ''): Metadata => ({ type: 'gauge', help, unit });

/** The store's answer as `family → [type help unit]` strings, order kept. */
function list(store: MemoryMetadataStore, now: number, query: MetadataQuery = {}) {
  return store
    .list(query, now)
    .map(([family, entries]) => [family, entries.map((m) => `${m.type} ${m.help} ${m.unit}`)]);
}

test('keeps distinct entries per family, newest first, families in UTF-8 byte order', () => {
  const store = new MemoryMetadataStore();
  assert.deepEqual(list(store, T), []);
  store.update('b_total', counter('B.'), T);
  store.update('a', gauge('A.', 'bytes'), T);
  store.update('b_total', counter('B.'), T + 1);
  store.update('b_total', counter('B, reworded.'), T + 2);
  store.update('b_total', gauge('B.'), T + 3);
  // Reported again: moves to the front, not a new entry.
  store.update('b_total', counter('B.'), T + 4);
  store.update('\u{1F600}', gauge('Emoji.'), T);
  store.update('\uFFFD', gauge('Replacement.'), T);
  assert.deepEqual(list(store, T + 5), [
    ['a', ['gauge A. bytes']],
    ['b_total', ['counter B. ', 'gauge B. ', 'counter B, reworded. ']],
    ['\uFFFD', ['gauge Replacement. ']],
    ['\u{1F600}', ['gauge Emoji. ']],
  ]);
});

test('entries whose help and unit split the same text differently stay apart', () => {
  const store = new MemoryMetadataStore();
  store.update('m', counter('a\0b', ''), T);
  store.update('m', counter('a', '\0b'), T);
  store.update('m', counter('a\0', 'b'), T);
  assert.equal(store.list({}, T)[0]![1].length, 3);
});

test('metric, limit and limitPerMetric', () => {
  const store = new MemoryMetadataStore();
  for (const name of ['c', 'a', 'b']) {
    store.update(name, counter(`${name} 1.`), T);
    store.update(name, counter(`${name} 2.`), T + 1);
  }
  assert.deepEqual(list(store, T + 1, { metric: 'b' }), [
    ['b', ['counter b 2. ', 'counter b 1. ']],
  ]);
  assert.deepEqual(list(store, T + 1, { metric: 'b_total' }), []);
  assert.deepEqual(list(store, T + 1, { limit: 2 }), [
    ['a', ['counter a 2. ', 'counter a 1. ']],
    ['b', ['counter b 2. ', 'counter b 1. ']],
  ]);
  assert.deepEqual(list(store, T + 1, { limit: 0 }), []);
  assert.deepEqual(list(store, T + 1, { metric: 'c', limit: 0 }), []);
  assert.deepEqual(list(store, T + 1, { limitPerMetric: 1, limit: 5 }), [
    ['a', ['counter a 2. ']],
    ['b', ['counter b 2. ']],
    ['c', ['counter c 2. ']],
  ]);
});

test('forgets entries and families not reported for forgetAfter', () => {
  const store = new MemoryMetadataStore({ forgetAfter: 10 * MIN });
  store.update('old', counter('Old.'), T);
  store.update('kept', counter('First help.'), T);
  store.update('kept', counter('Current help.'), T + 5 * MIN);
  // Exactly forgetAfter later an entry is still there; a millisecond more and it is gone.
  assert.deepEqual(list(store, T + 10 * MIN), [
    ['kept', ['counter Current help. ', 'counter First help. ']],
    ['old', ['counter Old. ']],
  ]);
  assert.deepEqual(list(store, T + 10 * MIN + 1), [['kept', ['counter Current help. ']]]);
  assert.deepEqual(list(store, T + 15 * MIN + 1), []);
  // A forgotten family is new again when it comes back.
  store.update('old', gauge('Back.'), T + 20 * MIN);
  assert.deepEqual(list(store, T + 20 * MIN), [['old', ['gauge Back. ']]]);
});

test('bounds families and entries per family', () => {
  const store = new MemoryMetadataStore({
    forgetAfter: 10 * MIN,
    maxMetrics: 2,
    maxEntriesPerMetric: 2,
  });
  assert.equal(store.update('a', counter('1.'), T), true);
  assert.equal(store.update('b', counter('1.'), T), true);
  // Full: a new family is refused, known ones are still refreshed and extended.
  assert.equal(store.update('c', counter('1.'), T), false);
  assert.equal(store.update('a', counter('2.'), T + 1), true);
  // A third entry of `a` replaces its least recently reported one.
  assert.equal(store.update('a', counter('3.'), T + 2), true);
  assert.deepEqual(list(store, T + 2), [
    ['a', ['counter 3. ', 'counter 2. ']],
    ['b', ['counter 1. ']],
  ]);
  // Once `b` is forgotten there is room again.
  assert.equal(store.update('a', counter('3.'), T + 10 * MIN), true);
  assert.equal(store.update('c', counter('1.'), T + 10 * MIN + 1), true);
  assert.deepEqual(
    list(store, T + 10 * MIN + 1).map(([f]) => f),
    ['a', 'c'],
  );
});

test('refuses an empty family name and keeps a copy of what it is given', () => {
  const store = new MemoryMetadataStore();
  assert.equal(store.update('', counter('No name.'), T), false);
  const meta = { type: 'counter' as const, help: 'Help.', unit: '', family: 'x' };
  store.update('x', meta, T);
  meta.help = 'Changed.';
  assert.deepEqual(store.list({}, T), [['x', [{ type: 'counter', help: 'Help.', unit: '' }]]]);
});

test('a clock stepping back neither loses nor reorders entries', () => {
  const store = new MemoryMetadataStore({ forgetAfter: 10 * MIN });
  store.update('a', counter('1.'), T + MIN);
  store.update('a', counter('2.'), T);
  assert.deepEqual(list(store, T + MIN), [['a', ['counter 2. ', 'counter 1. ']]]);
  assert.deepEqual(list(store, T + 11 * MIN), [['a', ['counter 2. ', 'counter 1. ']]]);
});
