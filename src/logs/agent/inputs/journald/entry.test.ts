import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LogfmtParser, MessageLifter } from '../../parsers/message.js';
import type { ParseCounts } from '../../parsers/parser.js';
import { timeReader } from '../../parsers/time-format.js';
import { fieldText, parseEntry, realtimeToIso } from './entry.js';

function options(maxMessageBytes = 1024) {
  const counts: ParseCounts = { truncated: 0, invalidUtf8: 0, malformed: 0 };
  return { node: 'node-a', maxMessageBytes, counts };
}

// A line as journalctl 252 prints it for a unit's message.
const SSHD =
  '{"__CURSOR":"s=6f1d;i=1a2;b=9a8b;m=3e8;t=61846a2c5e6c0;x=77","__REALTIME_TIMESTAMP":"1714979289123456","__MONOTONIC_TIMESTAMP":"1000","_BOOT_ID":"9a8b","PRIORITY":"6","SYSLOG_FACILITY":"4","SYSLOG_IDENTIFIER":"sshd","_PID":"812","_UID":"0","_COMM":"sshd","_SYSTEMD_UNIT":"ssh.service","_HOSTNAME":"web-1","MESSAGE":"Accepted publickey for deploy from 10.0.0.7 port 51234 ssh2"}';

test('maps an entry to a record: time with µs, level, unit, identifier, pid, host, cursor', () => {
  const o = options();
  const r = parseEntry(SSHD, o)!;
  assert.equal(r.cursor, 's=6f1d;i=1a2;b=9a8b;m=3e8;t=61846a2c5e6c0;x=77');
  assert.deepEqual(JSON.parse(r.record.json), {
    '@timestamp': '2024-05-06T07:08:09.123456Z',
    message: 'Accepted publickey for deploy from 10.0.0.7 port 51234 ssh2',
    log: { level: 'info', syslog: { priority: 6 } },
    systemd: { unit: 'ssh.service' },
    syslog: { identifier: 'sshd' },
    process: { pid: 812 },
    host: { name: 'web-1' },
    journald: { cursor: r.cursor },
  });
  // The id depends on node and cursor only: the same entry read again gets the same id.
  assert.equal(parseEntry(SSHD, options())!.record.id, r.record.id);
  assert.notEqual(parseEntry(SSHD, { ...options(), node: 'node-b' })!.record.id, r.record.id);
  assert.match(r.record.id, /^[A-Za-z0-9_-]{22}$/);
});

test('every PRIORITY has its syslog severity name; others leave log.level out', () => {
  const names = ['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug'];
  names.forEach((name, p) => {
    const line = JSON.stringify({ __CURSOR: `c${p}`, MESSAGE: 'm', PRIORITY: String(p) });
    const doc = JSON.parse(parseEntry(line, options())!.record.json) as { log: { level: string } };
    assert.equal(doc.log.level, name);
  });
  const bad = JSON.parse(
    parseEntry(JSON.stringify({ __CURSOR: 'c', MESSAGE: 'm', PRIORITY: '9' }), options())!.record
      .json,
  ) as Record<string, unknown>;
  assert.equal(bad.log, undefined);
});

test('MESSAGE given as bytes, invalid UTF-8, several values or null is decoded', () => {
  // journalctl prints a message with control characters (colour codes) as an array of bytes.
  const colour = [...Buffer.from('\x1b[31mfailed\x1b[0m ü')];
  assert.equal(fieldText(colour), '\x1b[31mfailed\x1b[0m ü');
  const counts: ParseCounts = { truncated: 0, invalidUtf8: 0, malformed: 0 };
  assert.equal(fieldText([0x61, 0xc3, 0x28], counts), 'a\ufffd(');
  assert.equal(counts.invalidUtf8, 1);
  assert.equal(fieldText(['one', [0x74, 0x77, 0x6f]]), 'one\ntwo');
  assert.equal(fieldText(null), undefined);

  const o = options();
  const line = JSON.stringify({ __CURSOR: 'c', MESSAGE: colour });
  const doc = JSON.parse(parseEntry(line, o)!.record.json) as Record<string, unknown>;
  assert.equal(doc.message, '\x1b[31mfailed\x1b[0m ü');
  const none = JSON.parse(
    parseEntry(JSON.stringify({ __CURSOR: 'c', MESSAGE: null }), o)!.record.json,
  ) as Record<string, unknown>;
  assert.equal(none.message, '');
  // No _HOSTNAME: the agent's node.
  assert.deepEqual(none.host, { name: 'node-a' });
});

test('long messages are cut on a character boundary and counted; bad lines are counted', () => {
  const o = options(1024);
  const line = JSON.stringify({ __CURSOR: 'c', MESSAGE: `${'x'.repeat(1023)}üü` });
  const doc = JSON.parse(parseEntry(line, o)!.record.json) as { message: string };
  assert.equal(doc.message, 'x'.repeat(1023));
  assert.equal(o.counts.truncated, 1);
  assert.equal(parseEntry('not json', o), null);
  assert.equal(parseEntry('{"MESSAGE":"no cursor"}', o), null);
  assert.equal(parseEntry('[1,2]', o), null);
  assert.equal(o.counts.malformed, 3);
});

test('__REALTIME_TIMESTAMP keeps microseconds', () => {
  assert.equal(realtimeToIso('1714979289000001'), '2024-05-06T07:08:09.000001Z');
  assert.equal(realtimeToIso('0'), '1970-01-01T00:00:00.000000Z');
  assert.equal(realtimeToIso('-1'), undefined);
  assert.equal(realtimeToIso('12x'), undefined);
});

test('message parsers read MESSAGE: fields lifted, the journal’s own keys kept apart, time taken', () => {
  const lift = new MessageLifter([
    new LogfmtParser({
      name: 'logfmt',
      timeField: 'ts',
      readTime: timeReader('rfc3339'),
      messageField: 'msg',
    }),
  ]);
  const line = (message: string) =>
    JSON.stringify({
      __CURSOR: 'c1',
      __REALTIME_TIMESTAMP: '1714979289123456',
      MESSAGE: message,
      _SYSTEMD_UNIT: 'app.service',
    });
  const doc = JSON.parse(
    parseEntry(line('ts=2024-05-06T07:00:00Z level=warn msg="slow query" systemd=x'), {
      ...options(),
      lift,
    })!.record.json,
  ) as Record<string, unknown>;
  assert.deepEqual(doc, {
    '@timestamp': '2024-05-06T07:00:00Z',
    message: 'slow query',
    ts: '2024-05-06T07:00:00Z',
    level: 'warn',
    logfmt: { systemd: 'x' },
    systemd: { unit: 'app.service' },
    host: { name: 'node-a' },
    journald: { cursor: 'c1' },
  });
  const plain = JSON.parse(parseEntry(line('just text'), { ...options(), lift })!.record.json) as {
    message: string;
  };
  assert.equal(plain.message, 'just text');
  assert.equal(lift.counts.unparsed, 1);
});
