import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseLogfmt } from './logfmt.js';
import {
  jsonMessageParser,
  LogfmtParser,
  MessageLifter,
  RegexParser,
  type MessageFields,
} from './message.js';
import { timeReader, TimeFormatError } from './time-format.js';

test('parseLogfmt reads pairs, quoted values with escapes, and bare keys as true', () => {
  const f = (text: string, expected: Record<string, string | true> | undefined) =>
    assert.deepEqual(parseLogfmt(text), expected, text);
  f('level=info msg=started', { level: 'info', msg: 'started' });
  f('a=1 flag b="x y"', { a: '1', flag: true, b: 'x y' });
  f('msg="say \\"hi\\"\\n\\tand \\\\ go" x=\\u', { msg: 'say "hi"\n\tand \\ go', x: '\\u' });
  f('msg="caf\\u00e9 \\x41"', { msg: 'café A' });
  f('empty= q="" k=v', { empty: '', q: '', k: 'v' });
  f('  spaced=1\t tab=2  ', { spaced: '1', tab: '2' });
  f('http.status=200 ts=2024-05-06T07:08:09Z', {
    'http.status': '200',
    ts: '2024-05-06T07:08:09Z',
  });
  f('a=1 a=2', { a: '2' });
  // A key named __proto__ is a field like any other, not the object's prototype.
  const proto = parseLogfmt('__proto__=x constructor=y');
  assert.equal(JSON.stringify(proto), '{"__proto__":"x","constructor":"y"}');
  assert.equal(Object.getPrototypeOf(proto), Object.prototype);
  // Not logfmt: plain sentences, unterminated quotes, stray `=`, unknown escapes.
  f('connection reset by peer', undefined);
  f('', undefined);
  f('a="unterminated', undefined);
  f('=v a=1', undefined);
  f('a=b=c', undefined);
  f('a=b"c', undefined);
  f('a="b"c', undefined);
  f('a="\\q"', undefined);
  f('a="\\u12"', undefined);
});

test('time formats: rfc3339, epochs exact to the nanosecond, strftime patterns with zones', () => {
  const f = (format: string, text: string, expected: string | undefined) =>
    assert.equal(timeReader(format)(text), expected, `${format} ${text}`);
  f('rfc3339', '2024-05-06T07:08:09.123456789Z', '2024-05-06T07:08:09.123456789Z');
  f('rfc3339', '2024-05-06T09:08:09+02:00', '2024-05-06T07:08:09Z');
  f('rfc3339', '1714979289123', undefined);
  f('rfc3339', 'yesterday', undefined);
  f('unix', '1714979289', '2024-05-06T07:08:09Z');
  f('unix', '1714979289.5', '2024-05-06T07:08:09.500Z');
  f('unix_ms', '1714979289123', '2024-05-06T07:08:09.123Z');
  f('unix_us', '1714979289123456', '2024-05-06T07:08:09.123456Z');
  f('unix_ns', '1714979289123456789', '2024-05-06T07:08:09.123456789Z');
  f('unix', 'x1', undefined);
  f('%d/%b/%Y:%H:%M:%S %z', '06/May/2024:09:08:09 +0200', '2024-05-06T07:08:09Z');
  f('%d/%b/%Y:%H:%M:%S %z', '06/Mai/2024:09:08:09 +0200', undefined);
  f('%Y-%m-%d %T.%f', '2024-05-06 07:08:09.123456', '2024-05-06T07:08:09.123456Z');
  f('%Y-%m-%d %T', '2024-02-30 07:08:09', undefined);
  f('%Y%m%d %H%M%S %z', '20240506 010809 -0600', '2024-05-06T07:08:09Z');
  f('[%Y-%m-%e %T]', '[2024-05- 6 07:08:09]', '2024-05-06T07:08:09Z');
  assert.throws(() => timeReader('%Y-%m-%d %Q'), TimeFormatError);
  assert.throws(() => timeReader('%H:%M'), /needs a year/);
  assert.throws(() => timeReader('%Y-%m'), /needs a day/);
});

const fields = (r: MessageFields | undefined) =>
  r === undefined ? undefined : { ...r, members: JSON.parse(`{${r.members}}`) as unknown };

test('logfmt and regex parsers lift fields, take the message and time, and keep agent fields apart', () => {
  const counts = { unparsed: 0, badTime: 0 };
  const logfmt = new LogfmtParser({
    name: 'app',
    timeField: 'ts',
    readTime: timeReader('rfc3339'),
    messageField: 'msg',
  });
  assert.deepEqual(
    fields(
      logfmt.parse('ts=2024-05-06T07:08:09.5Z level=warn msg="disk full" host=a message=x', counts),
    ),
    {
      message: 'disk full',
      time: '2024-05-06T07:08:09.500Z',
      members: { ts: '2024-05-06T07:08:09.5Z', level: 'warn', logfmt: { host: 'a', message: 'x' } },
    },
  );
  assert.deepEqual(fields(logfmt.parse('ts=soon level=info', counts)), {
    message: 'ts=soon level=info',
    time: undefined,
    members: { ts: 'soon', level: 'info' },
  });
  assert.equal(counts.badTime, 1);

  const access = new RegexParser(
    {
      name: 'access',
      timeField: 'time',
      readTime: timeReader('%d/%b/%Y:%H:%M:%S %z'),
      messageField: 'message',
    },
    /^(?<client>\S+) \[(?<time>[^\]]+)\] "(?<method>[A-Z]+) (?<path>\S+)"(?: (?<status>\d+))?(?<log> x)?/,
  );
  assert.deepEqual(
    fields(access.parse('10.0.0.1 [06/May/2024:09:08:09 +0200] "GET /a" 200 x', counts)),
    {
      message: '10.0.0.1 [06/May/2024:09:08:09 +0200] "GET /a" 200 x',
      time: '2024-05-06T07:08:09Z',
      members: {
        client: '10.0.0.1',
        time: '06/May/2024:09:08:09 +0200',
        method: 'GET',
        path: '/a',
        status: '200',
        regex: { log: ' x' },
      },
    },
  );
  // A group that did not take part is left out.
  assert.deepEqual(
    fields(access.parse('h [06/May/2024:09:08:09 +0200] "PUT /b"', counts))?.members,
    {
      client: 'h',
      time: '06/May/2024:09:08:09 +0200',
      method: 'PUT',
      path: '/b',
    },
  );
  assert.equal(access.parse('no match here', counts), undefined);
});

test('a lifter tries its parsers in order and counts what none reads, keeping it as it is', () => {
  const logfmt = new LogfmtParser({
    name: 'logfmt',
    timeField: '',
    readTime: null,
    messageField: 'msg',
  });
  const lifter = new MessageLifter([jsonMessageParser, logfmt]);
  assert.deepEqual(fields(lifter.lift('{"level":"error","message":"boom"}')), {
    message: 'boom',
    time: undefined,
    members: { level: 'error' },
  });
  assert.deepEqual(fields(lifter.lift('level=info msg=hi')), {
    message: 'hi',
    time: undefined,
    members: { level: 'info' },
  });
  assert.equal(lifter.lift('just text'), undefined);
  assert.equal(lifter.lift('a="broken'), undefined);
  assert.deepEqual(lifter.counts, { unparsed: 2, badTime: 0 });
  // JSON alone is the default: plain text is not counted as unparsed.
  const json = new MessageLifter([jsonMessageParser]);
  json.lift('just text');
  assert.equal(json.counts.unparsed, 0);
});
