import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachField, typeOf, type FieldType, type FieldValue } from './fields.js';

function fields(source: Record<string, unknown>): [string, FieldValue][] {
  const out: [string, FieldValue][] = [];
  forEachField(source, (p, v) => out.push([p, v]));
  return out;
}

test('objects flatten to dotted paths in document order', () => {
  assert.deepEqual(fields({ a: { b: 1, c: { d: 'x' } }, e: true }), [
    ['a.b', 1],
    ['a.c.d', 'x'],
    ['e', true],
  ]);
});

test('keys with dots keep them; both label layouts are separate paths', () => {
  assert.deepEqual(fields({ 'd.e': 1, labels: { app: 'web' } }), [
    ['d.e', 1],
    ['labels.app', 'web'],
  ]);
  assert.deepEqual(fields({ labels: { 'app.kubernetes.io/name': 'web' } }), [
    ['labels.app.kubernetes.io/name', 'web'],
  ]);
});

test('arrays give several values; arrays of objects and nested arrays flatten', () => {
  assert.deepEqual(fields({ tags: ['a', 'b', 'a'] }), [
    ['tags', 'a'],
    ['tags', 'b'],
    ['tags', 'a'],
  ]);
  assert.deepEqual(fields({ items: [{ n: 'x', q: 1 }, { n: 'y' }] }), [
    ['items.n', 'x'],
    ['items.q', 1],
    ['items.n', 'y'],
  ]);
  assert.deepEqual(fields({ m: [[1, 2], [3]] }), [
    ['m', 1],
    ['m', 2],
    ['m', 3],
  ]);
});

test('null, empty arrays, empty objects, non-finite numbers and undefined give no value', () => {
  assert.deepEqual(
    fields({ a: null, b: [], c: {}, d: [null], e: NaN, f: Infinity, g: undefined }),
    [],
  );
  assert.deepEqual(fields({ a: ['x', null, 'y'] }), [
    ['a', 'x'],
    ['a', 'y'],
  ]);
});

test('empty strings, zero and false are values', () => {
  assert.deepEqual(fields({ a: '', b: 0, c: false }), [
    ['a', ''],
    ['b', 0],
    ['c', false],
  ]);
});

function t(value: FieldValue, expected: FieldType) {
  assert.equal(typeOf(value), expected, JSON.stringify(value));
}

test('numbers and booleans', () => {
  t(42, 'long');
  t(-3, 'long');
  t(0.5, 'double');
  t(true, 'boolean');
  t(false, 'boolean');
  t('42', 'keyword');
  t('true', 'keyword');
});

test('dates are strings that read as ISO 8601 dates', () => {
  t('2024-01-01', 'date');
  t('2024-01-01T00:00:00Z', 'date');
  t('2024-05-06T07:08:09.123456789+02:00', 'date');
  t('2024-05-06 07:08:09', 'date');
  t('2024-02-30', 'keyword');
  t('2024-13-01', 'keyword');
  t('2024-01-01T10:00:00Z and more', 'keyword');
  t('2024-01-01 was a Monday', 'keyword');
  t('20240101', 'keyword');
});

test('IPv4 addresses', () => {
  t('10.0.0.1', 'ip');
  t('255.255.255.255', 'ip');
  t('0.0.0.0', 'ip');
  t('256.1.1.1', 'keyword');
  t('1.2.3', 'keyword');
  t('01.2.3.4', 'keyword');
  t('1.2.3.4.5', 'keyword');
});

test('IPv6 addresses, compressed and with a trailing IPv4', () => {
  t('::', 'ip');
  t('::1', 'ip');
  t('fe80::1', 'ip');
  t('2001:db8:85a3:0:0:8a2e:370:7334', 'ip');
  t('2001:DB8::8A2E:370:7334', 'ip');
  t('::ffff:192.168.1.1', 'ip');
  t('64:ff9b::1.2.3.4', 'ip');
  t('1:2:3:4:5:6:1.2.3.4', 'ip');
  t('1:2:3:4:5:6:7:8:9', 'keyword');
  t('1:2:3:4:5:6:7', 'keyword');
  t('1::2::3', 'keyword');
  t('12345::1', 'keyword');
  t('1.2.3.4::', 'keyword');
  t('::1.2.3.4:1', 'keyword');
  t('10:30:00', 'keyword');
  t('g::1', 'keyword');
});
