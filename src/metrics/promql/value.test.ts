import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Labels } from '../model/labels.js';
import { formatQueryData, formatTimestamp, formatValue, jsonString, labelsJson } from './value.js';

test('timestamps are seconds with a three-digit fraction when there is one', () => {
  const f = (ms: number, want: string) => assert.equal(formatTimestamp(ms), want);
  f(0, '0');
  f(1_700_000_000_000, '1700000000');
  f(1_700_000_000_123, '1700000000.123');
  f(1_700_000_000_500, '1700000000.500');
  f(5, '0.005');
  f(-1500, '-1.500');
});

test('values are Go FormatFloat strings', () => {
  const f = (v: number, want: string) => assert.equal(formatValue(v), `"${want}"`);
  f(1.5, '1.5');
  f(NaN, 'NaN');
  f(Infinity, '+Inf');
  f(-Infinity, '-Inf');
  f(1e21, '1000000000000000000000');
  f(1e-7, '0.0000001');
  f(0.1 + 0.2, '0.30000000000000004');
});

test('strings escape like Go encoding/json', () => {
  const f = (s: string, want: string) => assert.equal(jsonString(s), want);
  f('plain', '"plain"');
  f('a"b\\c', '"a\\"b\\\\c"');
  f('<&>', '"\\u003c\\u0026\\u003e"');
  f('\n\t\u0001', '"\\n\\t\\u0001"');
  f('\u2028é', '"\\u2028é"');
  assert.equal(labelsJson(Labels.fromRecord({ b: '2', a: '1' })), '{"a":"1","b":"2"}');
});

test('matrix results list values per series', () => {
  const data = formatQueryData({
    resultType: 'matrix',
    result: [
      {
        labels: Labels.fromRecord({ job: 'x' }),
        ts: Float64Array.of(1000, 2000),
        vs: Float64Array.of(1, NaN),
      },
    ],
  });
  assert.equal(
    data,
    '{"resultType":"matrix","result":[{"metric":{"job":"x"},"values":[[1,"1"],[2,"NaN"]]}]}',
  );
});
