/**
 * @module
 * Unit tests for the Logs page's pure helpers: field access, highlights and export formats.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LogHit } from '../../api/responseTypes/logs';
import { toCsv, toNdjson } from './export';
import { displayTime, fieldText, flattenDoc, getField, splitHighlight } from './fieldValues';

test('getField follows dotted paths, keys with dots included', () => {
  const doc = {
    message: 'x',
    kubernetes: { labels: { app: 'a', 'app.kubernetes.io/name': 'web' } },
    'host.name': 'h1',
    tags: ['a', 'b'],
  };
  assert.equal(getField(doc, 'message'), 'x');
  assert.equal(getField(doc, 'kubernetes.labels.app'), 'a');
  assert.equal(getField(doc, 'kubernetes.labels.app.kubernetes.io/name'), 'web');
  assert.equal(getField(doc, 'host.name'), 'h1');
  assert.deepEqual(getField(doc, 'tags'), ['a', 'b']);
  assert.equal(getField(doc, 'nope'), undefined);
  assert.equal(getField(doc, 'message.x'), undefined);
});

test('flattenDoc lists every leaf by path', () => {
  assert.deepEqual(
    flattenDoc({ a: { b: 1, c: null }, d: [1, 2], e: [{ f: 1 }, { f: 2 }], g: {} }),
    [
      ['a.b', 1],
      ['a.c', null],
      ['d', [1, 2]],
      ['e.f', 1],
      ['e.f', 2],
      ['g', {}],
    ],
  );
});

test('fieldText', () => {
  assert.equal(fieldText('a'), 'a');
  assert.equal(fieldText(5), '5');
  assert.equal(fieldText(null), 'null');
  assert.equal(fieldText(['a', 1]), 'a, 1');
  assert.equal(fieldText(undefined), '');
});

test('splitHighlight keeps text as text and marks the matches', () => {
  assert.deepEqual(splitHighlight('a <em>b</em> c <em>d</em>'), [
    { text: 'a ', hit: false },
    { text: 'b', hit: true },
    { text: ' c ', hit: false },
    { text: 'd', hit: true },
  ]);
  assert.deepEqual(splitHighlight('<script>x</script>'), [
    { text: '<script>x</script>', hit: false },
  ]);
  assert.deepEqual(splitHighlight('<em>open'), [{ text: '<em>open', hit: false }]);
  assert.deepEqual(splitHighlight(''), []);
});

const HITS: LogHit[] = [
  {
    index: 'logs-app',
    id: 'a1',
    '@timestamp': '2024-05-06T07:08:09.123Z',
    source: { message: 'said "hi", then\nleft', level: 'info', n: 5 },
    sort: 'x',
  },
  {
    index: 'logs-app',
    id: 'a2',
    '@timestamp': '2024-05-06T07:08:10Z',
    source: { level: 'error' },
    sort: 'y',
  },
];

test('toNdjson: one line per hit that ingest can take back', () => {
  const lines = toNdjson(HITS).split('\n');
  assert.equal(lines.length, 3);
  assert.equal(lines[2], '');
  assert.deepEqual(JSON.parse(lines[0]!), {
    _index: 'logs-app',
    _id: 'a1',
    '@timestamp': '2024-05-06T07:08:09.123Z',
    _source: HITS[0]!.source,
  });
});

test('toCsv quotes per RFC 4180; no columns exports the document', () => {
  assert.equal(
    toCsv(HITS, ['level', 'message', 'n']),
    '@timestamp,level,message,n\r\n' +
      '2024-05-06T07:08:09.123Z,info,"said ""hi"", then\nleft",5\r\n' +
      '2024-05-06T07:08:10Z,error,,\r\n',
  );
  assert.equal(
    toCsv(HITS.slice(1), []),
    '@timestamp,_source\r\n2024-05-06T07:08:10Z,"{""level"":""error""}"\r\n',
  );
});

test('displayTime: UTC with at least milliseconds', () => {
  assert.equal(displayTime('2024-05-06T07:08:09Z'), '2024-05-06 07:08:09.000');
  assert.equal(displayTime('2024-05-06T07:08:09.5Z'), '2024-05-06 07:08:09.500');
  assert.equal(displayTime('2024-05-06T07:08:09.123456789Z'), '2024-05-06 07:08:09.123456789');
  assert.equal(displayTime('2024-05-06T09:08:09.25+02:00'), '2024-05-06 07:08:09.250');
  assert.equal(displayTime('garbage'), 'garbage');
});
