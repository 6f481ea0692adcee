import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  humanize,
  humanize1024,
  humanizeDuration,
  humanizePercentage,
  humanizeTimestamp,
} from './template-funcs.js';

// Expected strings are Prometheus' documented outputs of its template functions.
test('humanize functions format as Prometheus does', () => {
  const cases: [(v: unknown) => string, unknown, string][] = [
    [humanize, 0, '0'],
    [humanize, 1234567, '1.235M'],
    [humanize, 0.0012, '1.2m'],
    [humanize, -1500, '-1.5k'],
    [humanize, '2500', '2.5k'],
    [humanize1024, 2048, '2ki'],
    [humanize1024, 1, '1'],
    [humanizeDuration, 0, '0s'],
    [humanizeDuration, 3661, '1h 1m 1s'],
    [humanizeDuration, 90061, '1d 1h 1m 1s'],
    [humanizeDuration, 59.5, '59.5s'],
    [humanizeDuration, 0.0015, '1.5ms'],
    [humanizePercentage, 0.256, '25.6%'],
    [humanizeTimestamp, 1435065584.128, '2015-06-23 13:19:44.128 +0000 UTC'],
  ];
  for (const [fn, v, want] of cases) assert.equal(fn(v), want, `${fn.name}(${String(v)})`);
});
