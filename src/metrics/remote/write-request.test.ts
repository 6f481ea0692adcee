import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProtobufError } from '../../lib/encoding/protobuf-reader.js';
import { InvalidSeriesError } from './errors.js';
import { encodeWriteRequest, ProtoWriter } from './testdata/write-request.js';
import { decodeWriteRequest, type WriteRequest } from './write-request.js';

// Float64 bits go through a DataView: V8 quiets a signalling NaN (the staleness marker is one)
// stored in a plain number array, so `[v]` would alter what it is meant to check.
const scratch = new DataView(new ArrayBuffer(8));
function bitsOf(v: number): bigint {
  scratch.setFloat64(0, v);
  return scratch.getBigUint64(0);
}

/** Each series as `labels → [[t, v]…]`, or `labels → error message` when invalid. */
function view(req: WriteRequest): [string, string | [number, number][]][] {
  return req.series.map((s) => {
    if (s.invalid !== null) return [s.invalid.labels, s.invalid.message];
    const samples: [number, number][] = [];
    for (let i = s.start; i < s.end; i++) samples.push([req.timestamps[i]!, req.values[i]!]);
    return [s.labels.toString(), samples];
  });
}

test('decodes series, sorting their labels and keeping sample order', () => {
  const now = 1_700_000_000_123;
  const req = decodeWriteRequest(
    encodeWriteRequest([
      {
        labels: [
          ['__name__', 'up'],
          ['instance', 'a:9100'],
          ['job', 'node'],
        ],
        samples: [
          [now, 1],
          [now + 15_000, 0],
        ],
      },
      {
        labels: [
          ['zone', 'eu'],
          ['job', 'x'],
          ['__name__', 'm'],
        ],
        samples: [[now, -2.5]],
      },
      { labels: [['__name__', 'no_samples']] },
    ]),
  );
  assert.deepEqual(view(req), [
    [
      '{__name__="up", instance="a:9100", job="node"}',
      [
        [now, 1],
        [now + 15_000, 0],
      ],
    ],
    ['{__name__="m", job="x", zone="eu"}', [[now, -2.5]]],
    ['{__name__="no_samples"}', []],
  ]);
  assert.deepEqual([req.histograms, req.exemplars, req.metadata.length], [0, 0, 0]);
});

test('values travel bit-exact and int64 timestamps keep their sign and size', () => {
  const values = [
    0x7ff0000000000002n, // the staleness marker, a signalling NaN
    0x7ff8000000000001n, // a quiet NaN with a payload
    0xfff8000000000000n,
    bitsOf(Infinity),
    bitsOf(-Infinity),
    bitsOf(-0),
    1n, // the smallest subnormal
    bitsOf(1e308),
  ];
  const times = [-1, -1_000, 0, 1, 2 ** 31, 2 ** 32 + 5, -(2 ** 40), 2 ** 53 - 1, -(2 ** 53 - 1)];
  const req = decodeWriteRequest(
    encodeWriteRequest([
      { labels: [['__name__', 'v']], samples: values.map((v, i) => [i, v]) },
      { labels: [['__name__', 't']], samples: times.map((t) => [t, 0]) },
    ]),
  );
  const got: bigint[] = [];
  for (let i = 0; i < values.length; i++) got.push(bitsOf(req.values[i]!));
  assert.deepEqual(got, values);
  assert.deepEqual([...req.timestamps.subarray(values.length)], times);
});

test('absent fields mean zero, a repeated scalar field keeps its last value', () => {
  const body = new ProtoWriter()
    .message(1, (ts) =>
      ts
        .message(1, (l) => l.string(1, '__name__').string(2, 'm'))
        .message(2, () => {})
        .message(2, (s) => s.double(1, 7))
        .message(2, (s) => s.int64(2, 5).int64(2, 9).double(1, 1).double(1, 2)),
    )
    .finish();
  assert.deepEqual(view(decodeWriteRequest(body)), [
    [
      '{__name__="m"}',
      [
        [0, 0],
        [0, 7],
        [9, 2],
      ],
    ],
  ]);
});

test('skips unknown fields of every wire type, groups included', () => {
  const unknown = (w: ProtoWriter) =>
    w
      .int64(20, -5)
      .key(21, 1)
      .raw([1, 2, 3, 4, 5, 6, 7, 8])
      .string(22, 'text')
      .key(23, 5)
      .raw([1, 2, 3, 4])
      // A group holding a varint and a nested group: start 24, (start 25, end 25), end 24.
      .key(24, 3)
      .int64(1, 1)
      .key(25, 3)
      .key(25, 4)
      .key(24, 4);
  const body = new ProtoWriter()
    .message(1, (ts) => {
      unknown(ts);
      ts.message(1, (l) => unknown(l.string(1, '__name__')).string(2, 'm'));
      ts.message(2, (s) => unknown(s.double(1, 3)).int64(2, 4));
    })
    .finish();
  const padded = new ProtoWriter().raw(body);
  unknown(padded);
  assert.deepEqual(view(decodeWriteRequest(padded.finish())), [['{__name__="m"}', [[4, 3]]]]);
});

test('counts histograms and exemplars without storing them', () => {
  const req = decodeWriteRequest(
    encodeWriteRequest(
      [
        { labels: [['__name__', 'h']], histograms: 3, exemplars: 2 },
        { labels: [['__name__', 'c']], samples: [[1, 1]], exemplars: 1 },
      ],
      4,
    ),
  );
  assert.deepEqual([req.histograms, req.exemplars, req.metadata.length], [3, 3, 4]);
  assert.equal(req.timestamps.length, 1);
  assert.deepEqual(decodeWriteRequest(encodeWriteRequest([], 2)).series, []);
});

test('decodes metadata entries; an unknown type reads as unknown, non-UTF-8 text drops one', () => {
  const req = decodeWriteRequest(
    new ProtoWriter()
      .message(3, (m) =>
        m
          .int64(1, 3)
          .string(2, 'http_request_duration_seconds')
          .string(4, 'Latency.')
          .string(5, 'seconds'),
      )
      .message(1, (ts) =>
        ts
          .message(1, (l) => l.string(1, '__name__').string(2, 'm'))
          .message(2, (s) => s.double(1, 1)),
      )
      // Every enum value, fields in any order, an unknown field, absent fields meaning zero.
      .message(3, (m) => m.string(4, 'Set.').int64(1, 7).string(2, 'feature').int64(9, 1))
      .message(3, (m) => m.string(2, 'untyped'))
      .message(3, (m) => m.int64(1, 99).string(2, 'future').string(4, 'From a newer sender.'))
      .message(3, (m) => m.int64(1, -1).string(2, 'negative'))
      .message(3, (m) => m.int64(1, 1).string(2, 'bad').bytes(4, Uint8Array.of(0xc3)))
      .message(3, () => {})
      .finish(),
  );
  assert.deepEqual(req.metadata, [
    {
      family: 'http_request_duration_seconds',
      type: 'histogram',
      help: 'Latency.',
      unit: 'seconds',
    },
    { family: 'feature', type: 'stateset', help: 'Set.', unit: '' },
    { family: 'untyped', type: 'unknown', help: '', unit: '' },
    { family: 'future', type: 'unknown', help: 'From a newer sender.', unit: '' },
    { family: 'negative', type: 'unknown', help: '', unit: '' },
    { family: '', type: 'unknown', help: '', unit: '' },
  ]);
  assert.equal(req.invalidMetadata, 1);
  assert.equal(req.timestamps.length, 1);
  const types = [0, 1, 2, 3, 4, 5, 6, 7].map(
    (type) =>
      decodeWriteRequest(encodeWriteRequest([], [{ type, family: 'f', help: '' }])).metadata[0]!
        .type,
  );
  assert.deepEqual(types, [
    'unknown',
    'counter',
    'gauge',
    'histogram',
    'gaugehistogram',
    'summary',
    'info',
    'stateset',
  ]);
  assert.throws(
    () => decodeWriteRequest(new ProtoWriter().message(3, (m) => m.string(1, 'x')).finish()),
    (err: unknown) =>
      err instanceof ProtobufError &&
      /MetricMetadata.type has wire type 2, want 0/.test(err.message),
  );
});

const labelsOf = (pairs: [string, string][]) =>
  view(decodeWriteRequest(encodeWriteRequest([{ labels: pairs, samples: [[1, 1]] }])))[0]!;

test('labels: empty values mean absent; UTF-8 text decodes; order is by UTF-8 bytes', () => {
  assert.deepEqual(
    labelsOf([
      ['__name__', 'm'],
      ['a', ''],
      ['b', 'x'],
    ])[0],
    '{__name__="m", b="x"}',
  );
  assert.deepEqual(
    labelsOf([
      ['__name__', 'm'],
      ['\u{1F600}', 'grün'],
      ['\uFFFD', 'b'],
      ['ä', '日本'],
    ])[0],
    '{__name__="m", ä="日本", \uFFFD="b", \u{1F600}="grün"}',
  );
});

const invalid = (pairs: [string, string][], message: string) =>
  assert.deepEqual(labelsOf(pairs), [
    `{${pairs.map(([n, v]) => `${n}=${JSON.stringify(v)}`).join(', ')}}`,
    message,
  ]);

test('labels that cannot be stored mark the series invalid, not the request', () => {
  invalid(
    [
      ['__name__', 'm'],
      ['job', 'a'],
      ['job', 'b'],
    ],
    'cannot append series {__name__="m", job="a", job="b"}: duplicate label name "job"',
  );
  invalid(
    [
      ['__name__', 'm'],
      ['', 'x'],
    ],
    'cannot append series {__name__="m", ="x"}: empty label name',
  );
  invalid([['job', 'a']], 'cannot append series {job="a"}: no metric name (__name__ label)');
  invalid(
    [
      ['__name__', ''],
      ['job', 'a'],
    ],
    'cannot append series {__name__="", job="a"}: no metric name (__name__ label)',
  );
  const badUtf8 = new ProtoWriter()
    .message(1, (ts) =>
      ts
        .message(1, (l) => l.string(1, '__name__').string(2, 'm'))
        .message(1, (l) => l.string(1, 'job').bytes(2, Uint8Array.of(0x61, 0xff)))
        .message(2, (s) => s.double(1, 1).int64(2, 1)),
    )
    .finish();
  const req = decodeWriteRequest(badUtf8);
  assert.ok(req.series[0]!.invalid instanceof InvalidSeriesError);
  assert.match(req.series[0]!.invalid.message, /not valid UTF-8/);
  assert.equal(req.series[0]!.end - req.series[0]!.start, 1);
});

const malformed = (name: string, bytes: number[], offset: number, reason: RegExp) =>
  test(`refuses malformed protobuf: ${name}`, () => {
    assert.throws(
      () => decodeWriteRequest(Uint8Array.from(bytes)),
      (err: unknown) =>
        err instanceof ProtobufError &&
        err.offset === offset &&
        reason.test(err.reason) &&
        err.message === `cannot decode remote write request at offset ${offset}: ${err.reason}`,
    );
  });

malformed(
  'wrong wire type for a known field',
  [0x08, 0x01],
  0,
  /timeseries has wire type 0, want 2/,
);
malformed('field number 0', [0x02, 0x00], 0, /field number 0/);
malformed('wire type 6', [0x0e], 0, /invalid wire type 6/);
malformed('length past the end', [0x0a, 0x05, 0x0a], 1, /length 5 runs past the end \(1 left\)/);
malformed(
  'nested length past its message',
  [0x0a, 0x03, 0x0a, 0x05, 0x0a, 0x00, 0x00],
  3,
  /length 5 runs past the end \(1 left\)/,
);
malformed('truncated varint', [0xa0, 0x01, 0x80], 2, /varint runs past the end/);
malformed('11-byte varint', [0xa0, 0x01, ...Array(10).fill(0x80), 0x01], 2, /longer than 10 bytes/);
malformed(
  'varint over 64 bits',
  [0xa0, 0x01, ...Array(9).fill(0xff), 0x02],
  2,
  /overflows 64 bits/,
);
malformed(
  'truncated double',
  [0x0a, 0x05, 0x12, 0x03, 0x09, 0x00, 0x00],
  5,
  /8-byte field runs past the end/,
);
malformed('end-group without a start', [0xa4, 0x01], 0, /end-group for field 20 without a start/);
malformed(
  'group closed by another',
  [0xa3, 0x01, 0xac, 0x01],
  2,
  /end-group for field 21 closes another/,
);
malformed('unclosed group', [0xa3, 0x01, 0xa8, 0x01, 0x01], 5, /varint runs past the end/);

test('every truncation and damage of a request decodes or throws a ProtobufError', () => {
  const body = encodeWriteRequest(
    [
      {
        labels: [
          ['__name__', 'a'],
          ['job', 'j'],
        ],
        samples: [
          [-5, 1],
          [1_700_000_000_000, 2],
        ],
        exemplars: 1,
      },
      { labels: [['__name__', 'b']], samples: [[1, 3]], histograms: 1 },
    ],
    1,
  );
  let refused = 0;
  const attempt = (bytes: Uint8Array) => {
    try {
      decodeWriteRequest(bytes);
    } catch (err) {
      assert.ok(err instanceof ProtobufError, String(err));
      refused++;
    }
  };
  for (let n = 0; n < body.length; n++) attempt(body.subarray(0, n));
  for (let i = 0; i < body.length; i++) {
    for (const b of [0x00, 0x7f, 0x80, 0xff]) {
      const damaged = Uint8Array.from(body);
      damaged[i] = b;
      attempt(damaged);
    }
  }
  assert.ok(refused > body.length, `${refused} refused`);
});
