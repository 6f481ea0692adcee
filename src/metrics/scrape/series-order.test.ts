import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SeriesOrder } from './series-order.js';

/**
 * Records each body's lines as series (the whole line is the series here) and returns, per
 * body, what `match` found for each line: the item of the previous body or '-'.
 */
function f(bodies: string[], resync: Record<string, number> = {}): string[] {
  const order = new SeriesOrder<string>();
  const out: string[] = [];
  for (const text of bodies) {
    const body = Buffer.from(text);
    order.begin(body);
    const found: string[] = [];
    let start = 0;
    for (const line of text.split('\n').filter((l) => l !== '')) {
      const end = start + line.length;
      const hit = order.match(start, end);
      found.push(hit ?? '-');
      if (hit === undefined && line in resync) order.resync(resync[line]!);
      order.push(start, end, line);
      start = end + 1;
    }
    order.commit();
    out.push(found.join(' '));
  }
  return out;
}

test('a body like the previous one matches every series', () => {
  assert.deepEqual(f(['a\nbb\nc\n', 'a\nbb\nc\n', 'a\nbb\nc\n']), ['- - -', 'a bb c', 'a bb c']);
});

test('an inserted series misses and the rest still match', () => {
  assert.deepEqual(f(['a\nb\nc\n', 'a\nx\nb\nc\n']), ['- - -', 'a - b c']);
});

test('a missing series needs a resync to match the rest', () => {
  assert.deepEqual(f(['a\nb\nc\nd\n', 'a\nc\nd\n']), ['- - - -', 'a - -']);
  assert.deepEqual(f(['a\nb\nc\nd\n', 'a\nc\nd\n'], { c: 2 }), ['- - - -', 'a - d']);
});

test('same length, other bytes, is a miss', () => {
  assert.deepEqual(f(['ab\ncd\n', 'ab\nce\n', 'ab\nce\n']), ['- -', 'ab -', 'ab ce']);
});

test('after reset nothing matches', () => {
  const order = new SeriesOrder<number>();
  order.begin(Buffer.from('a'));
  order.push(0, 1, 1);
  order.commit();
  order.reset();
  order.begin(Buffer.from('a'));
  assert.equal(order.match(0, 1), undefined);
});

test('more series than the initial capacity', () => {
  const body = Array.from({ length: 3000 }, (_, i) => `s${i}\n`).join('');
  const [, second] = f([body, body]);
  assert.equal(second!.split(' ').filter((x) => x === '-').length, 0);
});

test('a body may be reused once its scrape is committed', () => {
  const order = new SeriesOrder<string>();
  const body = Buffer.from('ab\n');
  order.begin(body);
  order.push(0, 2, 'ab');
  order.commit();
  body.write('xy');
  order.begin(Buffer.from('ab\n'));
  assert.equal(order.match(0, 2), 'ab');
  order.push(0, 2, 'ab');
  order.commit();
  order.begin(Buffer.from('abc\n'));
  assert.equal(order.match(0, 3), undefined);
});
