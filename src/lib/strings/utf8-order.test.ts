import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareUtf8 } from './utf8-order.js';

const sign = (n: number) => Math.sign(n);

test('compareUtf8 agrees with a byte comparison of the UTF-8 encodings', () => {
  const samples = [
    '',
    'a',
    'ab',
    'b',
    'é',
    'kü',
    '\uFFFD',
    '\uE000',
    '\u{1F600}',
    '\u{10000}',
    'z\u{1F600}',
    'z\uFFFF',
    '中文',
  ];
  for (const a of samples) {
    for (const b of samples) {
      assert.equal(
        sign(compareUtf8(a, b)),
        sign(Buffer.compare(Buffer.from(a), Buffer.from(b))),
        `${JSON.stringify(a)} vs ${JSON.stringify(b)}`,
      );
    }
  }
  // Where JS's own order disagrees: an emoji sorts after U+FFFD in bytes, before it in UTF-16.
  assert.ok('\u{1F600}' < '\uFFFD');
  assert.ok(compareUtf8('\u{1F600}', '\uFFFD') > 0);
});
