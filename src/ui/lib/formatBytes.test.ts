/**
 * @module
 * Unit tests for {@link formatBytes}.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatBytes } from './formatBytes';

test('formatBytes uses binary prefixes and drops needless decimals', () => {
  const f = (bytes: number, expected: string) => assert.equal(formatBytes(bytes), expected);
  f(0, '0 B');
  f(1023, '1023 B');
  f(1024, '1 KiB');
  f(1536, '1.5 KiB');
  f(150 * 1024 * 1024, '150 MiB');
  f(3.25 * 1024 ** 3, '3.3 GiB');
  f(Number.NaN, 'NaN');
});
