import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ByteWriter } from '../../../lib/encoding/byte-writer.js';
import type { FieldValue } from '../../model/fields.js';
import { tokenize } from '../../model/tokenize.js';
import { PHRASE_NO, PHRASE_YES } from '../../query/filter.js';
import { MatchFilter } from '../../query/filter/match.js';
import { ColumnBuilder, decodeColumn, encodeColumn } from './column.js';

let seed = 7;
const rand = () => {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return seed / 2 ** 32;
};
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

// Words in several cases, separators, non-ASCII letters and non-letters, the Kelvin sign (which
// lowercases to `k`) and İ (which lowercases to `i` plus a combining mark).
// Tokens with a rare letter (`kraken`, `zzz`) are searched by that letter, the others in a
// lowered copy (`token-scan.ts`): both ways are checked, alone and together.
const WORDS = [
  'error',
  'Error',
  'ERROR',
  'errors',
  'kraken',
  'KRAKEN',
  'KrAkEn',
  '\u212araken',
  'k8s',
  'ok',
  'zzz',
  'xZzZ',
];
const OTHER = [
  'gr\u00f6\u00dfe',
  '\u00e9error',
  'error\u00e9',
  '\u0130d',
  'x_error',
  '42',
  '\u2192',
];
const SEPS = [' ', '-', '/', '.', ': ', '"', '\u00a0', '\u2192', ''];

function randomString(): string {
  let s = '';
  const n = Math.floor(rand() * 6);
  for (let i = 0; i < n; i++) s += pick(SEPS) + pick(rand() < 0.7 ? WORDS : OTHER);
  return s;
}

function randomValue(): FieldValue {
  const r = rand();
  if (r < 0.1) return Math.floor(rand() * 1000);
  if (r < 0.15) return rand() < 0.5;
  if (r < 0.2) return rand() * 10;
  return randomString();
}

/**
 * A column of up to 300 documents, each with no value, one, or up to `most` from `value`, as
 * encoded and decoded; `docs` holds what was written.
 */
function randomColumn(most: number, value: () => FieldValue) {
  const length = 1 + Math.floor(rand() * 300);
  const b = new ColumnBuilder(length);
  const docs: FieldValue[][] = [];
  for (let i = 0; i < length; i++) {
    const n = rand() < 0.2 ? 0 : rand() < 0.8 ? 1 : 2 + Math.floor(rand() * (most - 1));
    const vs = Array.from({ length: n }, value);
    vs.forEach((v) => b.add(i, v));
    docs.push(vs);
  }
  const w = new ByteWriter();
  encodeColumn(w, b);
  return { length, docs, col: decodeColumn(Buffer.from(w.bytes()), length) };
}

test('plain columns decode lazily and findTokens finds every document holding a token', () => {
  for (let round = 0; round < 20; round++) {
    const { length, docs, col } = randomColumn(4, randomValue);
    if (col.dict !== undefined) continue;
    for (let i = 0; i < length; i++) assert.deepEqual(col.values(i), docs[i], `doc ${i}`);
    assert.ok(col.findTokens !== undefined);
    for (const token of ['error', 'kraken', 'k8s', 'ok', 'zzz', 'xzzz']) {
      const rows = new Uint8Array(length);
      col.findTokens([token], rows);
      for (let i = 0; i < length; i++) {
        const strings = docs[i]!.filter((v): v is string => typeof v === 'string');
        const has = strings.some((s) => tokenize(s).includes(token));
        // A superset: every holder is found; documents of ASCII strings are found exactly.
        if (has) assert.equal(rows[i], 1, `${token} in ${JSON.stringify(docs[i])}`);
        // eslint-disable-next-line no-control-regex
        const ascii = strings.every((s) => /^[\x00-\x7f]*$/.test(s));
        if (!has && ascii) assert.equal(rows[i], 0, `no ${token} in ${JSON.stringify(docs[i])}`);
      }
    }
    for (const pair of [
      ['k8s', 'ok'],
      ['kraken', 'error'],
    ]) {
      const either = new Uint8Array(length);
      col.findTokens(pair, either);
      for (let i = 0; i < length; i++) {
        const strings = docs[i]!.filter((v): v is string => typeof v === 'string');
        const has = strings.some((s) => tokenize(s).some((t) => pair.includes(t)));
        if (has) assert.equal(either[i], 1, `${pair.join(' or ')} in ${JSON.stringify(docs[i])}`);
      }
    }
  }
});

test('findTokens skips a word spelt across a string length and the next string', () => {
  // A 107-byte string's length is the byte `k`, followed here by `raken`; distinct fillers keep
  // the column plain (not a dictionary).
  const n = 300;
  const b = new ColumnBuilder(n);
  b.add(0, 'x'.repeat(107));
  b.add(1, 'raken');
  b.add(2, 'Kraken at the end');
  for (let i = 3; i < n; i++) b.add(i, `filler line ${i}`);
  const w = new ByteWriter();
  encodeColumn(w, b);
  const col = decodeColumn(Buffer.from(w.bytes()), n);
  assert.equal(col.dict, undefined);
  for (const tokens of [['kraken'], ['kraken', 'end'], ['raken']]) {
    const rows = new Uint8Array(n);
    col.findTokens!(tokens, rows);
    const want = tokens[0] === 'raken' ? [1] : [2];
    assert.deepEqual(
      [...rows].flatMap((r, i) => (r === 1 ? [i] : [])),
      want,
      tokens.join(),
    );
  }
});

test('plain columns read out of order, one document before all, give every value', () => {
  for (let round = 0; round < 20; round++) {
    const { length, docs, col } = randomColumn(4, randomValue);
    if (col.dict !== undefined) continue;
    // A search page reads one document of a block (values located only that far), maybe again
    // (the first value read is kept without a cache), then maybe a later and an earlier one
    // (the cache is made), then a scan needs them all.
    const mid = Math.floor(length / 2);
    for (const i of [mid, mid, length - 1, mid, 0]) {
      assert.deepEqual(col.values(i), docs[i], `doc ${i}`);
    }
    const rows = new Uint8Array(length);
    col.findTokens!(['error'], rows);
    for (let i = 0; i < length; i++) {
      assert.deepEqual(col.values(i), docs[i], `doc ${i}`);
      const has = docs[i]!.some((v) => typeof v === 'string' && tokenize(v).includes('error'));
      if (has) assert.equal(rows[i], 1, `error in ${JSON.stringify(docs[i])}`);
    }
  }
});

test('phraseIn: yes only for keyword strings holding the phrase, never no for one that does', () => {
  const phrases = [
    ['error', 'kraken'],
    ['kraken', 'error', 'ok'],
    ['k8s', 'ok'],
    ['06t10', '00z'],
    ['ab', 'cd'],
  ];
  for (let round = 0; round < 30; round++) {
    // Besides random text: a date and an IPv6 address whose tokens make a phrase (`06t10 00z`,
    // `ab cd`) that a date or an address never matches.
    const { length, docs, col } = randomColumn(2, () => {
      const r = rand();
      if (r < 0.05) return '2024-05-06T10:00Z';
      if (r < 0.1) return 'ab::cd';
      return r < 0.2 ? randomValue() : randomString();
    });
    if (col.dict !== undefined) continue;
    for (const words of phrases) {
      const m = new MatchFilter({
        kind: 'match',
        field: { kind: 'any' },
        text: words.join(' '),
        phrases: [words],
      });
      assert.equal(m.phrase?.length, words.length);
      for (let i = 0; i < length; i++) {
        const has = docs[i]!.some((v) => m.test(v));
        const got = col.phraseIn!(i, m.phrase!);
        const what = `${words.join(' ')} in ${JSON.stringify(docs[i])}`;
        if (got === PHRASE_YES) assert.ok(has, `yes but no ${what}`);
        if (got === PHRASE_NO) assert.ok(!has, `no but ${what}`);
        // ASCII holders are answered from the bytes.
        const ascii = docs[i]!.some(
          // eslint-disable-next-line no-control-regex
          (v) => typeof v === 'string' && /^[\x00-\x7f]*$/.test(v) && m.test(v),
        );
        if (ascii) assert.equal(got, PHRASE_YES, `not sure of ${what}`);
      }
    }
  }
});

test('a column of more distinct values than a byte codes is a 16-bit dictionary while they repeat', () => {
  const n = 4000;
  // 500 distinct values (one per 8 documents) in random order, numbers beside strings, some
  // documents without one.
  const b = new ColumnBuilder(n);
  const want: FieldValue[][] = [];
  for (let i = 0; i < n; i++) {
    const k = Math.floor(rand() * 500);
    const v = i % 7 === 3 ? undefined : k < 250 ? k : `pod-${k}`;
    if (v !== undefined) b.add(i, v);
    want.push(v === undefined ? [] : [v]);
  }
  const w = new ByteWriter();
  assert.equal(encodeColumn(w, b)?.length, 500);
  const bytes = Buffer.from(w.bytes());
  const col = decodeColumn(bytes, n);
  const dict = col.dict;
  assert.ok(dict !== undefined && dict.codeBytes === undefined);
  for (let i = 0; i < n; i++) {
    assert.deepEqual(col.values(i), want[i], `doc ${i}`);
    const code: number = dict.codes[i]!;
    assert.deepEqual(code < 0 ? [] : [dict.values[code]], want[i], `code of doc ${i}`);
  }
  assert.throws(() => decodeColumn(bytes.subarray(0, bytes.length - 1), n), {
    message:
      /^cannot decode column: \d+ bytes of 16-bit codes at offset \d+, 8000 needed for 4000 documents$/,
  });
  // Nearly a distinct value a document: plain.
  const ids = new ColumnBuilder(n);
  for (let i = 0; i < n; i++) ids.add(i, `id-${i % 1000}`);
  assert.equal(encodeColumn(new ByteWriter(), ids), undefined);
});
