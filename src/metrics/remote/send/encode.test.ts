import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Labels } from '../../model/labels.js';
import { decodeWriteRequest } from '../write-request.js';
import { encodeLabels, encodeWriteRequest, type EncodeBatch } from './encode.js';

const STALE_BITS = 0x7ff0000000000002n;

function batchOf(samples: [{ encodedLabels: Uint8Array }, number, bigint][]): EncodeBatch {
  const bits = new BigUint64Array(samples.map(([, , b]) => b));
  return {
    length: samples.length,
    series: samples.map(([s]) => s),
    ts: new Float64Array(samples.map(([, t]) => t)),
    valueBytes: new Uint8Array(bits.buffer),
  };
}

function bitsOf(v: number): bigint {
  return new BigUint64Array(new Float64Array([v]).buffer)[0]!;
}

test('a request decodes back to the same series and samples, grouped by series', () => {
  const up = { encodedLabels: encodeLabels(Labels.fromRecord({ __name__: 'up', job: 'a' })) };
  const utf = {
    encodedLabels: encodeLabels(Labels.fromRecord({ __name__: 'temp.℃', 'host.name': 'ö' })),
  };
  const req = decodeWriteRequest(
    encodeWriteRequest(
      batchOf([
        [up, 1_700_000_000_000, bitsOf(1)],
        [utf, -5, bitsOf(-2.5)],
        [up, 1_700_000_015_000, STALE_BITS],
        [utf, 0, bitsOf(0)],
      ]),
    ),
  );
  assert.deepEqual(
    req.series.map((s) => s.labels.toString()),
    ['{__name__="up", job="a"}', '{__name__="temp.℃", host.name="ö"}'],
  );
  assert.deepEqual([...req.timestamps], [1_700_000_000_000, 1_700_000_015_000, -5, 0]);
  const bits = new BigUint64Array(req.values.buffer, req.values.byteOffset, req.values.length);
  assert.deepEqual([...bits], [bitsOf(1), STALE_BITS, bitsOf(-2.5), bitsOf(0)]);
});

test('an empty batch is an empty request', () => {
  const req = decodeWriteRequest(encodeWriteRequest(batchOf([])));
  assert.equal(req.series.length, 0);
});

test('label values longer than one varint byte keep their length', () => {
  const long = 'x'.repeat(300);
  const s = { encodedLabels: encodeLabels(Labels.fromRecord({ __name__: 'm', v: long })) };
  const req = decodeWriteRequest(encodeWriteRequest(batchOf([[s, 1, bitsOf(1)]])));
  assert.equal(req.series[0]!.labels.get('v'), long);
});
