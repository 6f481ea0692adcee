import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createParser } from './auto.js';
import { liftJson } from './json-fields.js';
import type { ParseCounts, ParsedLine, ParserFormat } from './parser.js';

/** Feeds `lines` (with their file offsets computed as if newline-separated) to a fresh parser. */
function parse(format: ParserFormat, lines: (string | Buffer)[], maxMessageBytes = 1 << 20) {
  const counts: ParseCounts = { truncated: 0, invalidUtf8: 0, malformed: 0 };
  const parser = createParser(format, { maxMessageBytes, counts });
  const out: ParsedLine[] = [];
  let offset = 0;
  for (const l of lines) {
    const buf = Buffer.isBuffer(l) ? l : Buffer.from(l);
    // Surrounding bytes check that the parser honours start and end.
    const framed = Buffer.concat([Buffer.from('##'), buf, Buffer.from('\n#')]);
    parser.push(framed, 2, 2 + buf.length, offset, out);
    offset += buf.length + 1;
  }
  const pending = parser.resumeFrom(offset);
  const flushed: ParsedLine[] = [];
  parser.flush(flushed);
  // The fields, read as a stage reads them (a line may decode its text only when asked).
  const fields = (o: ParsedLine) => ({
    offset: o.offset,
    time: o.time,
    stream: o.stream,
    message: o.message,
  });
  return { out: out.map(fields), counts, pending, flushed: flushed.map(fields) };
}

test('CRI: full lines, partials joined per stream, resume offset before a pending partial', () => {
  const r = parse('cri', [
    '2024-05-06T07:08:09.000000001Z stdout F hello',
    '2024-05-06T07:08:09.000000002Z stderr P err-a ',
    '2024-05-06T07:08:09.000000003Z stdout P out-a ',
    '2024-05-06T07:08:09.000000004Z stderr F err-b',
    '2024-05-06T07:08:09.000000005Z stdout F',
    '2024-05-06T07:08:09.000000006Z stdout P out-c',
  ]);
  assert.deepEqual(r.out, [
    { offset: 0, time: '2024-05-06T07:08:09.000000001Z', stream: 'stdout', message: 'hello' },
    {
      offset: 46,
      time: '2024-05-06T07:08:09.000000002Z',
      stream: 'stderr',
      message: 'err-a err-b',
    },
    { offset: 93, time: '2024-05-06T07:08:09.000000003Z', stream: 'stdout', message: 'out-a ' },
  ]);
  // The last line is a partial still waiting for its end: a restart must read it again.
  assert.equal(r.pending, 226);
  assert.deepEqual(r.flushed, [
    { offset: 226, time: '2024-05-06T07:08:09.000000006Z', stream: 'stdout', message: 'out-c' },
  ]);
  assert.deepEqual(r.counts, { truncated: 0, invalidUtf8: 0, malformed: 0 });
});

test('CRI: a character split between partials is joined, not replaced; invalid bytes are counted', () => {
  const euro = Buffer.from('€'); // 3 bytes
  const r = parse('cri', [
    Buffer.concat([Buffer.from('2024-05-06T07:08:09Z stdout P a'), euro.subarray(0, 1)]),
    Buffer.concat([
      Buffer.from('2024-05-06T07:08:10Z stdout F '),
      euro.subarray(1),
      Buffer.from('b'),
    ]),
    Buffer.concat([Buffer.from('2024-05-06T07:08:11Z stdout F bad '), Buffer.from([0xff])]),
  ]);
  assert.deepEqual(
    r.out.map((o) => o.message),
    ['a€b', 'bad \uFFFD'],
  );
  assert.equal(r.counts.invalidUtf8, 1);
});

test('CRI: malformed lines are kept as text; long records are cut and counted', () => {
  const r = parse(
    'cri',
    [
      'not a cri line',
      '2024-05-06T07:08:09Z stdout P 0123456789',
      '2024-05-06T07:08:09Z stdout F abcdef',
    ],
    12,
  );
  assert.deepEqual(
    r.out.map((o) => [o.stream, o.message]),
    [
      [undefined, 'not a cri li'],
      ['stdout', '0123456789ab'],
    ],
  );
  assert.deepEqual(r.counts, { truncated: 1, invalidUtf8: 0, malformed: 1 });
});

test('docker json-file: 16 KiB pieces joined per stream', () => {
  const piece = 'x'.repeat(16 * 1024);
  const r = parse('docker', [
    JSON.stringify({ log: piece, stream: 'stdout', time: '2024-05-06T07:08:09.1Z' }),
    JSON.stringify({ log: 'err\n', stream: 'stderr', time: '2024-05-06T07:08:09.2Z' }),
    JSON.stringify({ log: 'end\n', stream: 'stdout', time: '2024-05-06T07:08:09.3Z' }),
  ]);
  assert.deepEqual(
    r.out.map((o) => [o.offset, o.time, o.stream, o.message.length]),
    [
      [16445, '2024-05-06T07:08:09.2Z', 'stderr', 3],
      [0, '2024-05-06T07:08:09.1Z', 'stdout', piece.length + 3],
    ],
  );
});

test('auto picks the format from the first line', () => {
  assert.equal(
    parse('auto', ['{"log":"a\\n","stream":"stderr","time":"t"}']).out[0]!.stream,
    'stderr',
  );
  assert.equal(parse('auto', ['2024-05-06T07:08:09Z stdout F a']).out[0]!.message, 'a');
  assert.deepEqual(parse('auto', ['plain text\r']).out[0], {
    offset: 0,
    time: undefined,
    stream: undefined,
    message: 'plain text',
  });
});

test('liftJson lifts keys, takes a string message, and keeps agent fields apart', () => {
  const f = (message: string, want: unknown) => {
    const got = liftJson(message);
    assert.deepEqual(
      got && { message: got.message, fields: JSON.parse(`{${got.members}}`) as unknown },
      want,
    );
  };
  f('{"level":"warn","message":"disk 91%","n":3}', {
    message: 'disk 91%',
    fields: { level: 'warn', n: 3 },
  });
  f('{"msg":"x","stream":"custom","kubernetes":1,"message":5}', {
    message: '{"msg":"x","stream":"custom","kubernetes":1,"message":5}',
    fields: { msg: 'x', json: { stream: 'custom', kubernetes: 1, message: 5 } },
  });
  f('{not json}', undefined);
  f('[1,2]', undefined);
  f('plain', undefined);
  f('{ }', { message: '{ }', fields: {} });
});
