import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  collectParams,
  durationParam,
  limitParam,
  matchParam,
  parseDurationMs,
  parseTime,
  requiredTimeParam,
  timeParam,
  MAX_TIME,
} from './params.js';

const p = (query: string) => collectParams(`/x?${query}`, undefined);

test('parseTime: Unix seconds and RFC 3339', () => {
  const f = (input: string, expected: number) => assert.equal(parseTime(input), expected, input);
  f('0', 0);
  f('1700000000', 1_700_000_000_000);
  f('1700000000.123', 1_700_000_000_123);
  f('1700000000.1235', 1_700_000_000_124);
  f('-1.5', -1500);
  f('1.5e3', 1_500_000);
  f('.5', 500);
  f('2023-11-14T22:13:20Z', 1_700_000_000_000);
  f('2023-11-14T22:13:20.5Z', 1_700_000_000_500);
  f('2023-11-14T22:13:20.123999999Z', 1_700_000_000_123);
  f('2023-11-15T00:13:20+02:00', 1_700_000_000_000);
  f('2024-02-29T00:00:00Z', Date.UTC(2024, 1, 29));
  f('292277025-08-18T07:12:54.999999999Z', MAX_TIME);
});

test('parseTime: refusals', () => {
  for (const bad of [
    '',
    'x',
    '1h',
    ' 1',
    '0x10',
    'Inf',
    '2023-02-29T00:00:00Z',
    '2023-11-14 22:13:20Z',
    '2023-11-14T22:13:20',
  ]) {
    assert.throws(() => parseTime(bad), {
      message: `cannot parse ${JSON.stringify(bad)} to a valid timestamp`,
    });
  }
});

test('time parameters: Prometheus error texts', () => {
  assert.equal(timeParam(p(''), 'time', 42), 42);
  assert.equal(timeParam(p('time=2'), 'time', 42), 2000);
  assert.throws(() => timeParam(p('time=abc'), 'time', 0), {
    message: `invalid parameter "time": invalid time value for 'time': cannot parse "abc" to a valid timestamp`,
  });
  assert.throws(() => requiredTimeParam(p(''), 'start'), {
    message: 'invalid parameter "start": cannot parse "" to a valid timestamp',
  });
});

test('durations: float seconds or Prometheus durations', () => {
  const f = (input: string, expected: number) =>
    assert.equal(parseDurationMs(input), expected, input);
  f('15', 15_000);
  f('0.5', 500);
  f('1m30s', 90_000);
  f('1h', 3_600_000);
  f('-1', -1000);
  assert.throws(() => parseDurationMs('1x'), { message: 'cannot parse "1x" to a valid duration' });
  assert.throws(() => parseDurationMs('1e20'), {
    message: 'cannot parse "1e20" to a valid duration. It overflows int64',
  });
  assert.equal(durationParam(p(''), 'timeout'), null);
  assert.throws(() => durationParam(p('timeout=x'), 'timeout'), {
    message: 'invalid parameter "timeout": cannot parse "x" to a valid duration',
  });
});

test('limit', () => {
  assert.equal(limitParam(p('')), 0);
  assert.equal(limitParam(p('limit=7')), 7);
  assert.throws(() => limitParam(p('limit=a')), {
    message: 'invalid parameter "limit": strconv.Atoi: parsing "a": invalid syntax',
  });
  assert.throws(() => limitParam(p('limit=-1')), {
    message: 'invalid parameter "limit": limit must be non-negative',
  });
});

test('match[]: repeated values, body first, empty-matching sets refused', () => {
  const params = collectParams(
    '/x?match[]=up',
    new URLSearchParams('match[]=go_info&match[]=%7Bjob%3D%22a%22%7D'),
  );
  assert.deepEqual(params.get('match[]'), ['go_info', '{job="a"}', 'up']);
  assert.deepEqual(
    matchParam(params, false).map((s) => s.map(String)),
    [['__name__="go_info"'], ['job="a"'], ['__name__="up"']],
  );
  assert.throws(() => matchParam(p('match[]={job=""}'), false), {
    message: 'match[] must contain at least one non-empty matcher',
  });
  assert.throws(() => matchParam(p('match[]={job=~".*"}'), true), {
    message: 'invalid parameter "match[]": match[] must contain at least one non-empty matcher',
  });
  assert.throws(() => matchParam(p('match[]=up{'), true), {
    message: 'invalid parameter "match[]": 1:4: parse error: unexpected end of input inside braces',
  });
});
