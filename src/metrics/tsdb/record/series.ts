/**
 * @module
 * The Series record (type 1): the label set behind each series ref, logged once when the head
 * creates the series, so that replay can rebuild the ref → labels map before it meets samples.
 *
 * ```
 * type=1 <1b>
 * then per series: ref <8b BE> | label count <uvarint>
 *                  | per label: len(name) <uvarint> name | len(value) <uvarint> value
 * ```
 *
 * Labels are written in name order, as Prometheus writes them.
 */

import { Labels } from '../../model/labels.js';
import {
  getUvarint,
  MAX_VARINT_LEN,
  putUvarint,
  VarintError,
} from '../../../lib/encoding/varint.js';
import { getBE64Unsigned, putBE64 } from './be64.js';
import { expectType, RecordDecodeError, RecordType } from './types.js';

/** One series as logged: its ref and its labels. */
export interface RefSeries {
  ref: number;
  labels: Labels;
}

const utf8Encoder = new TextEncoder();

/**
 * Upper bound of the encoded size of a Series record, from the label key alone: UTF-8 takes at
 * most 3 bytes per UTF-16 code unit, and the key's per-string length prefix (one char below
 * 0x8000 chars, else two) times 3 covers that string's uvarint length, so no string is measured.
 *
 * @example
 * buf = ensureCapacity(buf, 0, seriesRecordSize(created));
 */
export function seriesRecordSize(series: readonly RefSeries[]): number {
  let n = 1;
  for (const s of series) {
    n += 8 + MAX_VARINT_LEN + s.labels.key.length * 3;
  }
  return n;
}

/** Writes `s` with its uvarint byte length; ASCII (nearly every label) skips the encoder. */
function putString(buf: Uint8Array, off: number, s: string): number {
  const n = s.length;
  let ascii = true;
  for (let i = 0; i < n; i++) {
    if (s.charCodeAt(i) >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) {
    off = putUvarint(buf, off, n);
    for (let i = 0; i < n; i++) buf[off + i] = s.charCodeAt(i);
    return off + n;
  }
  off = putUvarint(buf, off, Buffer.byteLength(s));
  return off + utf8Encoder.encodeInto(s, buf.subarray(off)).written;
}

/**
 * Appends a Series record at `off` and returns the new offset; `buf` must have
 * {@link seriesRecordSize}(series) bytes free from `off`.
 *
 * @example
 * const end = encodeSeries(buf, 0, [{ ref: 1, labels: Labels.fromRecord({ __name__: 'up' }) }]);
 */
export function encodeSeries(buf: Uint8Array, off: number, series: readonly RefSeries[]): number {
  buf[off++] = RecordType.Series;
  for (const s of series) {
    off = putBE64(buf, off, s.ref);
    off = putUvarint(buf, off, s.labels.size);
    s.labels.forEach((name, value) => {
      off = putString(buf, off, name);
      off = putString(buf, off, value);
    });
  }
  return off;
}

/**
 * Decodes a Series record, appending to `out` (which it returns). Label sets that are not in
 * name order are sorted; a repeated name fails.
 *
 * @throws {RecordDecodeError} with the offset of the bad field.
 * @example
 * for (const { ref, labels } of decodeSeries(rec)) head.restoreSeries(ref, labels);
 */
export function decodeSeries(rec: Uint8Array, out: RefSeries[] = []): RefSeries[] {
  expectType(rec, RecordType.Series);
  const text = Buffer.from(rec.buffer, rec.byteOffset, rec.byteLength);
  const end = rec.length;
  const cur = { off: 1 };
  const readString = (): string => {
    const n = getUvarint(rec, cur, end);
    const start = cur.off;
    if (start + n > end) throw new RecordDecodeError(RecordType.Series, start, 'truncated string');
    cur.off = start + n;
    return text.toString('utf8', start, start + n);
  };
  while (cur.off < end) {
    const at = cur.off;
    if (at + 8 > end) throw new RecordDecodeError(RecordType.Series, at, 'truncated series ref');
    const ref = getBE64Unsigned(rec, at);
    if (ref < 0) throw new RecordDecodeError(RecordType.Series, at, 'series ref exceeds 2^53');
    cur.off = at + 8;
    const pairs: [string, string][] = [];
    let sorted = true;
    try {
      const count = getUvarint(rec, cur, end);
      for (let i = 0; i < count; i++) {
        if (cur.off >= end) {
          throw new RecordDecodeError(RecordType.Series, cur.off, 'truncated labels');
        }
        const name = readString();
        const value = readString();
        if ((i > 0 && !(pairs[i - 1]![0] < name)) || value === '') sorted = false;
        pairs.push([name, value]);
      }
    } catch (err) {
      if (!(err instanceof VarintError)) throw err;
      throw new RecordDecodeError(RecordType.Series, err.offset, 'bad length varint', {
        cause: err,
      });
    }
    let labels: Labels;
    try {
      labels = sorted ? Labels.fromSorted(pairs) : Labels.from(pairs);
    } catch (err) {
      throw new RecordDecodeError(RecordType.Series, at, `bad label set of ref ${ref}`, {
        cause: err,
      });
    }
    out.push({ ref, labels });
  }
  return out;
}
