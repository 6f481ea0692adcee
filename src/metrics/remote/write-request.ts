/**
 * @module
 * Decodes a remote write 1.0 `prometheus.WriteRequest` (already decompressed) into label sets
 * and samples. Samples of all series go into two shared typed arrays, each series owning a
 * range of them, so a request costs a few allocations per series and none per sample. The
 * messages read, by field number (prompb/types.proto, prompb/remote.proto):
 *
 * ```
 * WriteRequest { repeated TimeSeries timeseries = 1; repeated MetricMetadata metadata = 3; }
 * TimeSeries   { repeated Label labels = 1; repeated Sample samples = 2;
 *                repeated Exemplar exemplars = 3; repeated Histogram histograms = 4; }
 * Label        { string name = 1; string value = 2; }
 * Sample       { double value = 1; int64 timestamp = 2; }
 * MetricMetadata { MetricType type = 1; string metric_family_name = 2; string help = 4;
 *                  string unit = 5; }
 * ```
 *
 * Metadata is decoded into one small object per entry; it comes a few thousand entries per
 * minute in requests of its own, off the sample path. Exemplars and native histograms are
 * counted and skipped: Vigil stores float samples only. Unknown fields are skipped, as
 * protobuf requires for forward compatibility.
 */

import { compareUtf8 } from '../../lib/strings/utf8-order.js';
import { Labels } from '../model/labels.js';
import { METRIC_TYPES, type Metadata } from '../storage/metadata.js';
import { InvalidSeriesError } from './errors.js';
import { ProtoReader, WireType } from '../../lib/encoding/protobuf-reader.js';

/** One series of a request: its labels and its range of the request's sample arrays. */
export interface WriteSeries {
  /** Sorted, without empty values; {@link Labels.EMPTY} when `invalid` is set. */
  readonly labels: Labels;
  /**
   * Why the labels cannot be stored (no metric name, an empty or repeated name, text that is
   * not UTF-8); null when they are fine.
   */
  readonly invalid: InvalidSeriesError | null;
  /** This series' samples are `[start, end)` of {@link WriteRequest.timestamps}/`values`. */
  readonly start: number;
  readonly end: number;
}

export interface WriteRequest {
  readonly series: readonly WriteSeries[];
  /** Sample timestamps, ms since the epoch, of every series in request order. */
  readonly timestamps: Float64Array;
  /** Sample values, bit-exact (the staleness marker NaN survives), aligned with `timestamps`. */
  readonly values: Float64Array;
  /** Native histogram samples and exemplars received and not stored. */
  readonly histograms: number;
  readonly exemplars: number;
  /** Metadata entries in request order, repeats included. */
  readonly metadata: readonly WriteMetadata[];
  /** Metadata entries left out of {@link metadata}: their text is not valid UTF-8. */
  readonly invalidMetadata: number;
}

/** A `MetricMetadata` entry; a type the enum does not know reads as `unknown`. */
export interface WriteMetadata extends Metadata {
  /** The family name as sent; the receiver's store refuses an empty one. */
  readonly family: string;
}

/** Sample arrays that double when full. */
class SampleArrays {
  timestamps: Float64Array;
  values: Float64Array;
  length = 0;

  constructor(capacity: number) {
    this.timestamps = new Float64Array(capacity);
    this.values = new Float64Array(capacity);
  }

  push(t: number, v: number): void {
    if (this.length === this.timestamps.length) {
      const timestamps = new Float64Array(this.length * 2);
      const values = new Float64Array(this.length * 2);
      timestamps.set(this.timestamps);
      values.set(this.values);
      this.timestamps = timestamps;
      this.values = values;
    }
    this.timestamps[this.length] = t;
    this.values[this.length++] = v;
  }
}

/**
 * The smallest encoded sample is 2 bytes of key and length plus 9 of value and 2 of timestamp;
 * sizing for one sample per 16 request bytes rarely needs to grow.
 */
const BYTES_PER_SAMPLE_GUESS = 16;

/**
 * Decodes a `prometheus.WriteRequest`. `buf` must hold exactly the message (the decompressed
 * body). Series with unusable labels are returned with `invalid` set rather than failing the
 * request, so the caller can store the others.
 *
 * @throws {ProtobufError} when `buf` is not a valid encoding of the message.
 * @example
 * const req = decodeWriteRequest(snappyDecode(body, 32 << 20));
 * for (const s of req.series) console.log(s.labels.toString(), s.end - s.start);
 */
export function decodeWriteRequest(buf: Uint8Array): WriteRequest {
  const r = new ProtoReader(buf, 'remote write request');
  const samples = new SampleArrays(Math.max(16, Math.ceil(buf.length / BYTES_PER_SAMPLE_GUESS)));
  const series: WriteSeries[] = [];
  const counts = { histograms: 0, exemplars: 0, invalidMetadata: 0 };
  const metadata: WriteMetadata[] = [];
  while (r.more()) {
    const field = r.key();
    if (field === 1) {
      r.expect(WireType.Len, 'WriteRequest.timeseries');
      const outer = r.enter();
      series.push(decodeSeries(r, samples, counts));
      r.leave(outer);
    } else if (field === 3) {
      r.expect(WireType.Len, 'WriteRequest.metadata');
      const outer = r.enter();
      const entry = decodeMetadata(r);
      r.leave(outer);
      if (entry === null) counts.invalidMetadata++;
      else metadata.push(entry);
    } else {
      r.skip();
    }
  }
  return {
    series,
    timestamps: samples.timestamps.subarray(0, samples.length),
    values: samples.values.subarray(0, samples.length),
    metadata,
    ...counts,
  };
}

function decodeSeries(
  r: ProtoReader,
  samples: SampleArrays,
  counts: { histograms: number; exemplars: number },
): WriteSeries {
  const pairs: [string, string][] = [];
  let badText = false;
  const start = samples.length;
  while (r.more()) {
    switch (r.key()) {
      case 1: {
        r.expect(WireType.Len, 'TimeSeries.labels');
        const outer = r.enter();
        const pair = decodeLabel(r);
        r.leave(outer);
        if (pair === null) badText = true;
        else pairs.push(pair);
        break;
      }
      case 2: {
        r.expect(WireType.Len, 'TimeSeries.samples');
        const outer = r.enter();
        decodeSample(r, samples);
        r.leave(outer);
        break;
      }
      case 3:
        r.expect(WireType.Len, 'TimeSeries.exemplars');
        r.skip();
        counts.exemplars++;
        break;
      case 4:
        r.expect(WireType.Len, 'TimeSeries.histograms');
        r.skip();
        counts.histograms++;
        break;
      default:
        r.skip();
    }
  }
  const end = samples.length;
  if (badText) return invalid(pairs, 'a label name or value is not valid UTF-8', start, end);
  return checkLabels(pairs, start, end);
}

/** Reads a Label; null when its text is not UTF-8. */
function decodeLabel(r: ProtoReader): [string, string] | null {
  let name: string | null = '';
  let value: string | null = '';
  while (r.more()) {
    const field = r.key();
    if (field === 1) {
      r.expect(WireType.Len, 'Label.name');
      name = r.string();
    } else if (field === 2) {
      r.expect(WireType.Len, 'Label.value');
      value = r.string();
    } else {
      r.skip();
    }
  }
  return name === null || value === null ? null : [name, value];
}

/** Reads a MetricMetadata; null when its text is not UTF-8. */
function decodeMetadata(r: ProtoReader): WriteMetadata | null {
  let type = 0;
  let family: string | null = '';
  let help: string | null = '';
  let unit: string | null = '';
  while (r.more()) {
    switch (r.key()) {
      case 1:
        r.expect(WireType.Varint, 'MetricMetadata.type');
        type = r.uvarint();
        break;
      case 2:
        r.expect(WireType.Len, 'MetricMetadata.metric_family_name');
        family = r.string();
        break;
      case 4:
        r.expect(WireType.Len, 'MetricMetadata.help');
        help = r.string();
        break;
      case 5:
        r.expect(WireType.Len, 'MetricMetadata.unit');
        unit = r.string();
        break;
      default:
        r.skip();
    }
  }
  if (family === null || help === null || unit === null) return null;
  return { family, type: METRIC_TYPES[type] ?? 'unknown', help, unit };
}

function decodeSample(r: ProtoReader, samples: SampleArrays): void {
  // Proto3 leaves zero values out, so an absent field means 0.
  let value = 0;
  let t = 0;
  while (r.more()) {
    const field = r.key();
    if (field === 1) {
      r.expect(WireType.I64, 'Sample.value');
      value = r.double();
    } else if (field === 2) {
      r.expect(WireType.Varint, 'Sample.timestamp');
      t = r.int64();
    } else {
      r.skip();
    }
  }
  samples.push(t, value);
}

/**
 * Validates and sorts a series' labels. The spec asks senders for sorted labels; sorting here
 * (only when needed) costs little and spares a sender bug from becoming a wrong series.
 */
function checkLabels(pairs: [string, string][], start: number, end: number): WriteSeries {
  let sorted = true;
  for (let i = 0; i < pairs.length; i++) {
    if (pairs[i]![0] === '') return invalid(pairs, 'empty label name', start, end);
    if (i > 0 && compareUtf8(pairs[i - 1]![0], pairs[i]![0]) > 0) sorted = false;
  }
  const ordered = sorted ? pairs : [...pairs].sort((a, b) => compareUtf8(a[0], b[0]));
  let hasName = false;
  for (let i = 0; i < ordered.length; i++) {
    const name = ordered[i]![0];
    if (i > 0 && ordered[i - 1]![0] === name) {
      return invalid(pairs, `duplicate label name ${JSON.stringify(name)}`, start, end);
    }
    if (name === '__name__' && ordered[i]![1] !== '') hasName = true;
  }
  if (!hasName) return invalid(pairs, 'no metric name (__name__ label)', start, end);
  // An empty value means the label is absent.
  const labels = Labels.fromSorted(ordered.filter(([, v]) => v !== ''));
  return { labels, invalid: null, start, end };
}

function invalid(
  pairs: [string, string][],
  reason: string,
  start: number,
  end: number,
): WriteSeries {
  const sent = `{${pairs.map(([n, v]) => `${n}=${JSON.stringify(v)}`).join(', ')}}`;
  return { labels: Labels.EMPTY, invalid: new InvalidSeriesError(sent, reason), start, end };
}
