import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Labels } from './labels.js';

test('label sets are sorted, drop empty values and reject duplicate names', () => {
  const l = Labels.from([
    ['job', 'node'],
    ['__name__', 'up'],
    ['empty', ''],
    ['instance', 'a:9100'],
  ]);
  assert.deepEqual(l.names(), ['__name__', 'instance', 'job']);
  assert.equal(l.get('job'), 'node');
  assert.equal(l.get('empty'), '');
  assert.equal(l.get('zzz'), '');
  assert.equal(l.metricName, 'up');
  assert.equal(l.size, 3);
  assert.equal(l.toString(), '{__name__="up", instance="a:9100", job="node"}');
  assert.throws(
    () =>
      Labels.from([
        ['a', '1'],
        ['a', '2'],
      ]),
    /duplicate label name "a"/,
  );
});

test('equal sets have equal keys whatever the input order; keys are unambiguous', () => {
  const a = Labels.fromRecord({ a: '1', b: '2' });
  const b = Labels.from([
    ['b', '2'],
    ['a', '1'],
  ]);
  assert.equal(a.key, b.key);
  assert.ok(a.equals(b));
  // Values that contain what would be a separator in a delimited encoding stay distinct.
  const c = Labels.fromRecord({ a: 'x\u0001b', c: 'y' });
  const d = Labels.fromRecord({ a: 'x', b: '\u0001c' });
  assert.notEqual(c.key, d.key);
  assert.equal(Labels.fromKey(c.key).get('a'), 'x\u0001b');
});

test('long and non-ASCII values round-trip', () => {
  const long = 'v'.repeat(70_000);
  const l = Labels.fromRecord({ long, utf: 'ÿ→😀', z: 'last' });
  assert.equal(l.get('long'), long);
  assert.equal(l.get('utf'), 'ÿ→😀');
  assert.equal(l.get('z'), 'last');
});

test('compare orders as Prometheus does', () => {
  const f = (a: Record<string, string>, b: Record<string, string>, sign: number) =>
    assert.equal(
      Math.sign(Labels.fromRecord(a).compare(Labels.fromRecord(b))),
      sign,
      `${JSON.stringify(a)} vs ${JSON.stringify(b)}`,
    );
  f({ a: '1' }, { a: '2' }, -1);
  f({ a: '1' }, { a: '1', b: '1' }, -1);
  f({ a: '1', c: '1' }, { a: '1', b: '1' }, 1);
  f({ a: '1' }, { a: '1' }, 0);
  // UTF-8 byte order, as Go compares: U+FFFD (EF BF BD) sorts before U+1F600 (F0 9F 98 80).
  f({ a: '\ufffd' }, { a: '😀' }, -1);
});

test('with and without make modified copies', () => {
  const l = Labels.fromRecord({ __name__: 'up', job: 'x' });
  assert.equal(l.with('instance', 'i').toString(), '{__name__="up", instance="i", job="x"}');
  assert.equal(l.with('job', '').toString(), '{__name__="up"}');
  assert.equal(l.without('__name__').toString(), '{job="x"}');
  assert.equal(l.toString(), '{__name__="up", job="x"}');
});
