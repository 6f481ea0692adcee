import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KubernetesPathFilter } from '../../filters/kubernetes-path.js';
import { createParser } from '../../parsers/auto.js';
import { jsonMessageParser, LogfmtParser, MessageLifter } from '../../parsers/message.js';
import type { ParseCounts, ParsedLine, ParserFormat } from '../../parsers/parser.js';
import { fileJson, recordJson } from './record-json.js';
import { readTime, RecordWriter } from './record-writer.js';

const file = fileJson('/var/log/pods/ns_p_u/c/0.log', 'node-a', [
  new KubernetesPathFilter('node-a'),
]);
const now = readTime(new Date('2024-01-02T03:04:05.678Z'));
const prefix = Buffer.from('AbC_-12345678901-');

/**
 * Parses `messages` as lines of `format` (CRI lines get a time and stream) and writes their
 * records with the writer; returns the writer's documents and ids beside the text way's, built
 * from the same lines' decoded fields, and the counts.
 */
function both(format: ParserFormat, messages: Buffer[], lift: MessageLifter | null) {
  const counts: ParseCounts = { truncated: 0, invalidUtf8: 0, malformed: 0 };
  const parser = createParser(format, { maxMessageBytes: 1 << 20, counts });
  const writer = new RecordWriter();
  const expected: { id: string; json: string }[] = [];
  let offset = 0;
  for (const m of messages) {
    const line =
      format === 'raw' ? m : Buffer.concat([Buffer.from('2024-05-06T07:08:09.123Z stdout F '), m]);
    // The read buffer goes on past the line, as a file's does.
    const buf = Buffer.concat([Buffer.from('x'), line, Buffer.from('\n}"]1x')]);
    const out: ParsedLine[] = [];
    parser.push(buf, 1, 1 + line.length, offset, out);
    for (const p of out) {
      writer.add(prefix, p, file, lift, now);
      const decoded = { offset: p.offset, time: p.time, stream: p.stream, message: p.message };
      expected.push({
        id: `${prefix.toString()}${p.offset.toString(36)}`,
        json: recordJson(decoded, file, lift, now.text),
      });
    }
    buf.fill(0x5c); // The read buffer is reused: the records must not refer to it.
    offset += line.length + 1;
  }
  // Compared as bytes: text decoded from invalid bytes would hide them.
  const got = writer.take(false).map((r) => ({
    id: r.id,
    json: r.buf.subarray(r.jsonStart, r.end).toString('latin1'),
  }));
  for (const e of expected) e.json = Buffer.from(e.json).toString('latin1');
  return { got, expected, counts };
}

const json = () => new MessageLifter([jsonMessageParser]);
const b = (s: string) => Buffer.from(s);

const MESSAGES = [
  'plain text',
  '',
  'GET /a?b=1 HTTP/1.1 200 "-" "Mozilla/5.0"',
  'back\\slash "quoted" \t tab \r cr \b \f \x01 \x1f \x7f del',
  'héllo wörld €',
  '{"level":"info","n":1}',
  '{ "a" : [1, 2.5e-3, -0, 0.5E+7, true, false, null, {"b":"c\\n\\u00e9\\/"}], "d": {} }',
  '{}',
  '{ \n }',
  '{"message":"x"}',
  '{"a":1,"log":{"x":1}}',
  '{"@timestamp":"t","level":"warn"}',
  '{"a":{"message":1,"log":2}}',
  '{"a\\u0062":1}',
  '{"mess\\u0061ge":"sneaky"}',
  '{"a":"é"}',
  '{"é":1}',
  '{"a":1',
  '{"a":01}',
  '{"a":1,}',
  '{"a":1}}',
  '{"a":-}',
  '{"a":1.}',
  '{"a":1e}',
  '{"a":tru}',
  '{"a":"\\x"}',
  '{"a":"\\u12"}',
  '{"a":[}',
  '{"a":{"b":1}',
  '{"a" 1}',
  '{a:1}',
  '{"a":1} ',
  ' {"a":1}',
  '{"a":"tab\there"}',
  '{"a":[1,2,]}',
  '{"a":"x"}{"b":"y"}',
  `{"deep":${'['.repeat(100)}${']'.repeat(100)}}`,
  `{"deep":${'['.repeat(20)}1${']'.repeat(20)}}`,
];

test('records written as bytes are the documents recordJson builds: escapes, JSON lifting, ids', () => {
  for (const lift of [null, json()]) {
    const r = both('cri', MESSAGES.map(b), lift);
    assert.equal(r.got.length, MESSAGES.length);
    for (let i = 0; i < r.got.length; i++) {
      assert.deepEqual(r.got[i], r.expected[i], `message ${JSON.stringify(MESSAGES[i])}`);
      JSON.parse(Buffer.from(r.got[i]!.json, 'latin1').toString());
    }
  }
  const raw = both('raw', MESSAGES.map(b), json());
  assert.deepEqual(raw.got, raw.expected);
});

test('partial lines joined per stream are written from bytes too, with the same documents', () => {
  const counts: ParseCounts = { truncated: 0, invalidUtf8: 0, malformed: 0 };
  const parser = createParser('cri', { maxMessageBytes: 1 << 20, counts });
  const writer = new RecordWriter();
  const lines = [
    '2024-05-06T07:08:09.1Z stdout P {"level":"in',
    '2024-05-06T07:08:09.2Z stderr F whole "err"',
    '2024-05-06T07:08:09.3Z stdout F fo","n":1}',
    '2024-05-06T07:08:09.4Z stdout P é',
    '2024-05-06T07:08:09.5Z stdout F \tend',
  ];
  const expected: string[] = [];
  let offset = 0;
  for (const l of lines) {
    const buf = Buffer.from(`${l}\n`);
    const out: ParsedLine[] = [];
    parser.push(buf, 0, buf.length - 1, offset, out);
    for (const p of out) {
      writer.add(prefix, p, file, json(), now);
      const decoded = { offset: p.offset, time: p.time, stream: p.stream, message: p.message };
      expected.push(recordJson(decoded, file, json(), now.text));
    }
    buf.fill(0x5c);
    offset += buf.length;
  }
  const got = writer.take(false).map((r) => r.json);
  assert.deepEqual(got, expected);
  assert.deepEqual(
    got
      .map((j) => JSON.parse(j) as { message: string; level?: string })
      .map((d) => [d.message, d.level]),
    [
      ['whole "err"', undefined],
      ['{"level":"info","n":1}', 'info'],
      ['é\tend', undefined],
    ],
  );
});

test('a logfmt parser and non-ASCII text take the text way, with the same documents', () => {
  const logfmt = new MessageLifter([
    jsonMessageParser,
    new LogfmtParser({ name: 'l', timeField: '', readTime: null, messageField: 'msg' }),
  ]);
  const r = both('cri', [b('level=warn msg="disk full"'), b('{"a":1}'), b('plain')], logfmt);
  assert.deepEqual(r.got, r.expected);
  assert.equal(JSON.parse(r.got[0]!.json).level, 'warn');
  assert.equal(JSON.parse(r.got[1]!.json).a, 1);
});

test('invalid UTF-8 is replaced and counted once per record', () => {
  const r = both('cri', [Buffer.from([0x61, 0xff, 0x62]), b('ok')], json());
  assert.deepEqual(r.got, r.expected);
  assert.equal(JSON.parse(Buffer.from(r.got[0]!.json, 'latin1').toString()).message, 'a\uFFFDb');
  // A line decodes its text once, however often it is read.
  assert.equal(r.counts.invalidUtf8, 1);
});

test('random JSON-like messages: the byte scan agrees with JSON.parse', () => {
  const alphabet = ['{', '}', '[', ']', '"', ':', ',', ' ', '0', '1', '-', '.', 'e', 'E', '+'];
  alphabet.push('t', 'r', 'u', 'e', 'n', 'l', 'f', 'a', 's', '\\', 'x', '\u0001', 'é', '"a"');
  alphabet.push('"message"', '"log"', 'true', 'null', '1.5', '"b":', '{"c":', '\\u0041', '\\n');
  let seed = 12345;
  const rnd = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const messages: Buffer[] = [];
  for (let i = 0; i < 5000; i++) {
    let s = '{';
    const len = 1 + rnd(14);
    for (let k = 0; k < len; k++) s += alphabet[rnd(alphabet.length)];
    messages.push(b(`${s}}`));
  }
  const r = both('cri', messages, json());
  assert.deepEqual(r.got, r.expected);
  for (const g of r.got) JSON.parse(Buffer.from(g.json, 'latin1').toString());
});
