import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseBulk } from './es-bulk.js';

const lines = (...l: unknown[]) =>
  l.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join('\n') + '\n';

test('index and create actions carry their document, id and index', () => {
  const entries = parseBulk(
    lines(
      { index: { _index: 'a', _id: '1' } },
      { msg: 'one' },
      { create: { _id: 2 } },
      { msg: 'two' },
      { index: { _index: 'b', _type: '_doc', pipeline: 'p' } },
      { msg: 'three' },
    ),
    { defaultIndex: 'dflt' },
  );
  const req = (index: string, op: string, id: string | undefined, msg: string) => ({
    index,
    op,
    ...(id === undefined ? {} : { id }),
    source: { msg },
    json: JSON.stringify({ msg }),
  });
  assert.deepEqual(entries, [
    { action: 'index', request: req('a', 'index', '1', 'one') },
    { action: 'create', request: req('dflt', 'create', '2', 'two') },
    { action: 'index', request: req('b', 'index', undefined, 'three') },
  ]);
});

test('blank lines and a missing final newline are tolerated', () => {
  const entries = parseBulk('\n{"index":{"_index":"a"}}\r\n\n{"m":1}', {});
  assert.equal(entries.length, 1);
  assert.deepEqual(entries[0], {
    action: 'index',
    request: { index: 'a', op: 'index', source: { m: 1 }, json: '{"m":1}' },
  });
});

test('a malformed document fails only its item, with the line number', () => {
  const entries = parseBulk(
    lines({ index: { _index: 'a' } }, '{"m":', { index: { _index: 'a' } }, { m: 2 }),
    {},
  );
  assert.equal(entries.length, 2);
  const [bad, good] = entries;
  assert.ok(bad && 'failed' in bad);
  assert.equal(bad.failed.status, 400);
  assert.equal(bad.failed.error?.type, 'document_parsing_exception');
  assert.match(bad.failed.error?.reason ?? '', /^\[2:1\] failed to parse/);
  assert.ok(good && 'request' in good);
});

test('a document that is not an object fails its item', () => {
  const [e] = parseBulk(lines({ index: { _index: 'a' } }, '[1,2]'), {});
  assert.ok(e && 'failed' in e);
  assert.match(e.failed.error?.reason ?? '', /must be a JSON object/);
});

test('a malformed action line fails one item and skips its document, not the next action', () => {
  const entries = parseBulk(
    lines(
      '{"index":',
      { m: 'orphan' },
      { index: { _index: 'a' } },
      { m: 1 },
      '"text"',
      { index: { _index: 'a' } },
      { m: 2 },
    ),
    {},
  );
  assert.deepEqual(
    entries.map((e) =>
      'failed' in e ? `fail:${e.failed.error?.type}` : `ok:${JSON.stringify(e.request.source)}`,
    ),
    [
      'fail:illegal_argument_exception',
      'ok:{"m":1}',
      'fail:illegal_argument_exception',
      'ok:{"m":2}',
    ],
  );
});

test('unknown actions name what was found', () => {
  const [e] = parseBulk(lines({ upsert: {} }, { m: 1 }), {});
  assert.ok(e && 'failed' in e);
  assert.match(
    e.failed.error?.reason ?? '',
    /expected field \[create\], \[delete\], \[index\] or \[update\] but found \[upsert\]/,
  );
});

test('delete takes no document line and update takes one; both fail their item', () => {
  const entries = parseBulk(
    lines(
      { delete: { _index: 'a', _id: '1' } },
      { update: { _index: 'a', _id: '2' } },
      { doc: { m: 1 } },
      { index: { _index: 'a' } },
      { m: 3 },
    ),
    {},
  );
  assert.deepEqual(
    entries.map((e) => [e.action, 'failed' in e ? e.failed.status : 'ok']),
    [
      ['delete', 400],
      ['update', 400],
      ['index', 'ok'],
    ],
  );
});

test('an action without an index, in a request without one, fails as Elasticsearch words it', () => {
  const [e] = parseBulk(lines({ index: {} }, { m: 1 }), {});
  assert.ok(e && 'failed' in e);
  assert.deepEqual(e.failed.error, {
    type: 'action_request_validation_exception',
    reason: 'Validation Failed: 1: index is missing;',
  });
});

test('an action at the end of the body without its document fails', () => {
  const [e] = parseBulk(lines({ index: { _index: 'a' } }), {});
  assert.ok(e && 'failed' in e);
  assert.match(e.failed.error?.reason ?? '', /source is missing/);
});

test('a repeated action line gives every document its action; a different one is read anew', () => {
  const entries = parseBulk(
    lines(
      { create: { _index: 'a' } },
      { m: 1 },
      { create: { _index: 'a' } },
      { m: 2 },
      { index: { _index: 'b', _id: 'x' } },
      { m: 3 },
      '{"create":{"_index":',
      { create: { _index: 'a' } },
      { m: 4 },
    ),
    {},
  );
  assert.deepEqual(
    entries.map((e) =>
      'failed' in e ? 'fail' : `${e.action}:${e.request.index}:${e.request.id ?? '-'}`,
    ),
    ['create:a:-', 'create:a:-', 'index:b:x', 'fail', 'create:a:-'],
  );
});
