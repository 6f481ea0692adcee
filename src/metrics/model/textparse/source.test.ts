import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Source } from './source.js';

test('an ASCII body slices by byte offsets', () => {
  const src = new Source(Buffer.from('up{job="x"} 1\n'));
  assert.equal(src.slice(0, 2), 'up');
  assert.equal(src.slice(3, 11), 'job="x"}');
  assert.ok(src.isValid(0, 14));
});

test('a UTF-8 body decodes each slice; byte offsets still apply', () => {
  const src = new Source('m{a="ü☃😀"} 1\n');
  assert.equal(src.bytes.length, 19);
  assert.equal(src.slice(5, 14), 'ü☃😀');
  assert.equal(src.slice(15, 16), '}');
});

test('invalid bytes are only found where asked', () => {
  const src = new Source(new Uint8Array([0x61, 0xff, 0x62, 0xc3, 0xa9]));
  assert.ok(src.isValid(0, 1));
  assert.ok(!src.isValid(0, 2));
  assert.ok(src.isValid(2, 5));
  assert.equal(src.slice(0, 5), 'a\ufffdbé');
});

test('a byte order mark stays a character', () => {
  const src = new Source(new Uint8Array([0xef, 0xbb, 0xbf, 0x61]));
  assert.equal(src.slice(0, 4), '\ufeffa');
});

test('a view into a larger buffer reads only its window', () => {
  const all = Buffer.from('xxup 1\nyy');
  const src = new Source(all.subarray(2, 7));
  assert.equal(src.bytes.length, 5);
  assert.equal(src.slice(0, 5), 'up 1\n');
});

test('an ASCII buffer slices the same before and after it becomes one string', () => {
  const text = Array.from({ length: 200 }, (_, i) => `m_${i} ${i}\n`).join('');
  const src = new Source(Buffer.from(text));
  for (let i = 0, at = 0; i < 200; i++) {
    const end = text.indexOf(' ', at);
    assert.equal(src.slice(at, end), `m_${i}`);
    at = text.indexOf('\n', end) + 1;
  }
});
