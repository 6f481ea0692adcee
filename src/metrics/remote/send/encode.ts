/**
 * @module
 * Encodes a remote write 1.0 `prometheus.WriteRequest` (prompb/remote.proto) from a batch of
 * samples. Each series' labels are encoded once, when the queue first sees the series, and
 * reused by every request that carries it; a request then costs one size pass and one write
 * pass over its samples. The samples of one series in a batch share one `TimeSeries`.
 *
 * ```
 * WriteRequest { repeated TimeSeries timeseries = 1; }
 * TimeSeries   { repeated Label labels = 1; repeated Sample samples = 2; }
 * Label        { string name = 1; string value = 2; }
 * Sample       { double value = 1; int64 timestamp = 2; }
 * ```
 */

import type { Labels } from '../../model/labels.js';

const TAG_TIMESERIES = (1 << 3) | 2;
const TAG_LABEL = (1 << 3) | 2;
const TAG_SAMPLES = (2 << 3) | 2;
const TAG_NAME = (1 << 3) | 2;
const TAG_VALUE = (2 << 3) | 2;
const TAG_SAMPLE_VALUE = (1 << 3) | 1;
const TAG_SAMPLE_TIMESTAMP = (2 << 3) | 0;

const utf8 = new TextEncoder();

function varintSize(n: number): number {
  let size = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 0x80);
    size++;
  }
  return size;
}

/** Size of an int64 field value: negatives take ten bytes in two's complement. */
function int64Size(n: number): number {
  return n < 0 ? 10 : varintSize(n);
}

function putVarint(buf: Uint8Array, off: number, n: number): number {
  while (n >= 0x80) {
    buf[off++] = (n & 0x7f) | 0x80;
    n = Math.floor(n / 0x80);
  }
  buf[off++] = n;
  return off;
}

function putInt64(buf: Uint8Array, off: number, n: number): number {
  if (n >= 0) return putVarint(buf, off, n);
  let v = BigInt.asUintN(64, BigInt(n));
  for (let i = 0; i < 9; i++) {
    buf[off++] = Number(v & 0x7fn) | 0x80;
    v >>= 7n;
  }
  buf[off++] = Number(v);
  return off;
}

/**
 * The `Label` fields of a series, ready to copy into every `TimeSeries` that carries it.
 *
 * @example
 * const bytes = encodeLabels(Labels.fromRecord({ __name__: 'up', job: 'node' }));
 */
export function encodeLabels(labels: Labels): Uint8Array {
  const parts: Uint8Array[] = [];
  let size = 0;
  labels.forEach((name, value) => {
    const n = utf8.encode(name);
    const v = utf8.encode(value);
    const inner = 1 + varintSize(n.length) + n.length + 1 + varintSize(v.length) + v.length;
    const field = new Uint8Array(1 + varintSize(inner) + inner);
    let off = 0;
    field[off++] = TAG_LABEL;
    off = putVarint(field, off, inner);
    field[off++] = TAG_NAME;
    off = putVarint(field, off, n.length);
    field.set(n, off);
    off += n.length;
    field[off++] = TAG_VALUE;
    off = putVarint(field, off, v.length);
    field.set(v, off);
    parts.push(field);
    size += field.length;
  });
  const out = new Uint8Array(size);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

/** A batch to encode: sample `i` belongs to `series[i]`, whose labels are pre-encoded. */
export interface EncodeBatch {
  length: number;
  series: readonly { readonly encodedLabels: Uint8Array }[];
  ts: Float64Array;
  /** The values' bytes, 8 per sample in host (little-endian) order, as protobuf wants them. */
  valueBytes: Uint8Array;
}

/**
 * Encodes a WriteRequest holding the batch's samples, grouped by series in order of first
 * appearance (samples of a series keep their order).
 *
 * @example
 * const body = snappyEncode(encodeWriteRequest(batch));
 */
export function encodeWriteRequest(batch: EncodeBatch): Uint8Array {
  const n = batch.length;
  // Samples of one series, chained: first[k] is series k's first sample, next[i] the sample
  // after i of the same series (-1 at the end).
  const order = new Map<object, number>();
  const first: number[] = [];
  const last: number[] = [];
  const next = new Int32Array(n).fill(-1);
  const seriesOf: (typeof batch.series)[number][] = [];
  for (let i = 0; i < n; i++) {
    const s = batch.series[i]!;
    const k = order.get(s);
    if (k === undefined) {
      order.set(s, first.length);
      first.push(i);
      last.push(i);
      seriesOf.push(s);
    } else {
      next[last[k]!] = i;
      last[k] = i;
    }
  }

  const sampleSizes = new Uint8Array(n);
  const seriesSizes = new Array<number>(first.length);
  let total = 0;
  for (let k = 0; k < first.length; k++) {
    let size = seriesOf[k]!.encodedLabels.length;
    for (let i = first[k]!; i >= 0; i = next[i]!) {
      const sample = 1 + 8 + 1 + int64Size(batch.ts[i]!);
      sampleSizes[i] = sample;
      size += 1 + 1 + sample;
    }
    seriesSizes[k] = size;
    total += 1 + varintSize(size) + size;
  }

  const buf = new Uint8Array(total);
  let off = 0;
  for (let k = 0; k < first.length; k++) {
    buf[off++] = TAG_TIMESERIES;
    off = putVarint(buf, off, seriesSizes[k]!);
    const labels = seriesOf[k]!.encodedLabels;
    buf.set(labels, off);
    off += labels.length;
    for (let i = first[k]!; i >= 0; i = next[i]!) {
      buf[off++] = TAG_SAMPLES;
      buf[off++] = sampleSizes[i]!;
      buf[off++] = TAG_SAMPLE_VALUE;
      buf.set(batch.valueBytes.subarray(i * 8, i * 8 + 8), off);
      off += 8;
      buf[off++] = TAG_SAMPLE_TIMESTAMP;
      off = putInt64(buf, off, batch.ts[i]!);
    }
  }
  return buf;
}
