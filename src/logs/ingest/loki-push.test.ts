import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ProtobufError } from '../../lib/encoding/protobuf-reader.js';
import { ByteWriter } from '../../lib/encoding/byte-writer.js';
import { bytesField, field, strField } from './testdata/protobuf.js';
import { decodeLokiJson, decodeLokiProtobuf, LokiPushError, parseLabels } from './loki-push.js';

test('JSON streams become documents with nanosecond timestamps, labels and metadata', () => {
  const docs = decodeLokiJson(
    JSON.stringify({
      streams: [
        {
          stream: { job: 'varlogs', message: 'label named like the line' },
          values: [
            ['1700000000000000001', 'first'],
            ['1700000000123456789', 'second', { trace_id: 'abc' }],
          ],
        },
      ],
    }),
    'logs-loki',
  );
  assert.deepEqual(docs, [
    {
      index: 'logs-loki',
      op: 'index',
      source: {
        '@timestamp': '2023-11-14T22:13:20.000000001Z',
        message: 'first',
        job: 'varlogs',
        labels: { message: 'label named like the line' },
      },
    },
    {
      index: 'logs-loki',
      op: 'index',
      source: {
        '@timestamp': '2023-11-14T22:13:20.123456789Z',
        message: 'second',
        job: 'varlogs',
        trace_id: 'abc',
        labels: { message: 'label named like the line' },
      },
    },
  ]);
});

test('malformed JSON pushes name the entry', () => {
  const f = (body: unknown, re: RegExp) =>
    assert.throws(
      () => decodeLokiJson(JSON.stringify(body), 'i'),
      (e) => e instanceof LokiPushError && re.test(e.message),
    );
  f({}, /"streams" must be an array/);
  f({ streams: [{ stream: { a: 1 }, values: [] }] }, /streams\[0\]\.stream\.a must be a string/);
  f(
    {
      streams: [
        {
          values: [
            ['12', 'x'],
            ['1.5', 'y'],
          ],
        },
      ],
    },
    /streams\[0\]\.values\[1\]\[0\] must be a string of Unix nanoseconds/,
  );
  f({ streams: [{ values: [['12']] }] }, /streams\[0\]\.values\[0\] must be/);
  assert.throws(() => decodeLokiJson('{', 'i'), /invalid JSON/);
});

test('protobuf PushRequest entries decode with labels, timestamps and structured metadata', () => {
  const w = new ByteWriter();
  bytesField(w, 1, (s) => {
    strField(s, 1, '{job="a", path="/var/log/x\\"y"}');
    bytesField(s, 2, (e) => {
      bytesField(e, 1, (t) => {
        field(t, 1, 0);
        t.uvarint(1700000000);
        field(t, 2, 0);
        t.uvarint(5);
      });
      strField(e, 2, 'hello');
      bytesField(e, 3, (m) => {
        strField(m, 1, 'trace_id');
        strField(m, 2, 't1');
      });
    });
    field(s, 3, 0);
    s.uvarint(12345);
  });
  assert.deepEqual(decodeLokiProtobuf(w.bytes(), 'l'), [
    {
      index: 'l',
      op: 'index',
      source: {
        '@timestamp': '2023-11-14T22:13:20.000000005Z',
        message: 'hello',
        job: 'a',
        path: '/var/log/x"y',
        trace_id: 't1',
      },
    },
  ]);
});

test('damaged protobuf bodies throw ProtobufError naming Loki', () => {
  assert.throws(
    () => decodeLokiProtobuf(Uint8Array.from([0x0a, 0x05, 0x0a]), 'l'),
    (e) =>
      e instanceof ProtobufError && /^cannot decode Loki push request at offset/.test(e.message),
  );
});

test('stream selectors parse as Loki writes them, and bad ones say where', () => {
  assert.deepEqual(parseLabels('{}'), []);
  assert.deepEqual(parseLabels(' { a = "1" ,b="x\\ny"} '), [
    ['a', '1'],
    ['b', 'x\ny'],
  ]);
  assert.throws(() => parseLabels('{a="1"'), /at 6: expected "," or "}"|unterminated/);
  assert.throws(() => parseLabels('a="1"}'), /at 0: expected "\{"/);
  assert.throws(() => parseLabels('{1a="x"}'), /expected a label name/);
});
