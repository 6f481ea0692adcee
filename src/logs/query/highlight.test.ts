import assert from 'node:assert/strict';
import { test } from 'node:test';
import { highlighter } from './highlight.js';
import { compileKql } from './kql/compile.js';
import { parse } from './kql/parse.js';

const hl = (kql: string, source: Record<string, unknown>, opts = {}) =>
  highlighter(compileKql(parse(kql), { now: 0 }), opts)(source);

test('matched tokens are wrapped, case kept, in every field the query covers', () => {
  assert.deepEqual(
    hl('refused', { message: 'Connection REFUSED by peer', host: 'refused-1', n: 3 }),
    {
      message: ['Connection <em>REFUSED</em> by peer'],
      host: ['<em>refused</em>-1'],
    },
  );
  assert.deepEqual(
    hl('message:"kube system"', { message: 'in kube-system now', ns: 'kube-system' }),
    {
      message: ['in <em>kube</em>-<em>system</em> now'],
    },
  );
});

test('negated parts are not highlighted; wildcards, terms and regexes are', () => {
  assert.deepEqual(hl('error and not timeout', { message: 'error: timeout' }), {
    message: ['<em>error</em>: timeout'],
  });
  assert.deepEqual(hl('host:web-*', { host: 'web-7' }), { host: ['<em>web-7</em>'] });
  assert.deepEqual(hl('message:erro*', { message: 'An Error occurred' }), {
    message: ['An <em>Error</em> occurred'],
  });
  assert.deepEqual(hl('path:/\\/api\\/.*/', { path: '/api/v1' }), { path: ['<em>/api/v1</em>'] });
});

test('long values are cut into fragments around matches; 0 fragments returns the whole value', () => {
  const long = `${'a '.repeat(100)}needle ${'b '.repeat(100)}needle end`;
  const frags = hl('needle', { m: long }, { fragmentSize: 40 }).m!;
  assert.equal(frags.length, 2);
  for (const f of frags) {
    assert.match(f, /<em>needle<\/em>/);
    assert.ok(f.replace(/<\/?em>/g, '').length <= 40, f);
  }
  assert.deepEqual(hl('needle', { m: long }, { numberOfFragments: 0 }).m, [
    long.replace(/needle/g, '<em>needle</em>'),
  ]);
});

test('tags and the html encoder are configurable', () => {
  assert.deepEqual(hl('x', { m: '<b>x</b>' }, { preTag: '[', postTag: ']', encoder: 'html' }), {
    m: ['&#60;b&#62;[x]&#60;&#47;b&#62;'],
  });
});
