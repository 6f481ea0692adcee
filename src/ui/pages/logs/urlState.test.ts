/**
 * @module
 * Unit tests for the Logs page's URL state.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  DEFAULT_STATE,
  decodeState,
  encodeState,
  parseDocRef,
  type LogsUrlState,
} from './urlState';

function roundTrip(state: LogsUrlState): void {
  assert.deepEqual(decodeState(encodeState(state)), state, encodeState(state));
}

test('the default state is the empty query string, and back', () => {
  assert.equal(encodeState(DEFAULT_STATE), '');
  assert.deepEqual(decodeState(''), DEFAULT_STATE);
  assert.deepEqual(decodeState('?'), DEFAULT_STATE);
});

test('every field survives a round trip, special characters included', () => {
  roundTrip({
    q: 'message:"a & b" and status >= 500 or path:/x?y=1#z',
    index: 'logs-*,syslog',
    from: '2024-05-06T07:08:09.123Z',
    to: 'now/d',
    columns: ['host.name', 'message', 'labels.app.kubernetes.io/name', 'a,b'],
    sort: 'asc',
    refresh: '10s',
    doc: { index: 'logs-app', sort: 'WzE3MTQ5NzkyODkxMjMsMCwiYWIiXQ' },
    context: { index: 'logs-app', sort: 'WzE3MTQ5NzkyODkxMjMsMCwiYWIiXQ' },
  });
  roundTrip({ ...DEFAULT_STATE, q: 'level:error' });
});

test('encodes only what differs from the default', () => {
  assert.equal(encodeState({ ...DEFAULT_STATE, q: 'level:error' }), '?q=level%3Aerror');
  assert.equal(
    encodeState({ ...DEFAULT_STATE, columns: ['host', 'message'], from: 'now-1h' }),
    '?from=now-1h&col=host&col=message',
  );
});

test('unreadable parameters fall back to defaults', () => {
  const s = decodeState('?sort=sideways&from=&doc=nope&context=/x&col=');
  assert.equal(s.sort, 'desc');
  assert.equal(s.from, 'now-15m');
  assert.equal(s.doc, undefined);
  assert.equal(s.context, undefined);
  assert.deepEqual(s.columns, []);
});

test('a document ref splits at the first slash', () => {
  assert.deepEqual(parseDocRef('logs-a/abc_-'), { index: 'logs-a', sort: 'abc_-' });
  assert.equal(parseDocRef('logs-a/'), undefined);
  assert.equal(parseDocRef(null), undefined);
});
