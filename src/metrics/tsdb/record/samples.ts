/**
 * @module
 * The Samples record (type 2), laid out as Prometheus writes it:
 *
 * ```
 * type=2 <1b> | first ref <8b BE> | first t <8b BE>
 * then per sample: ref − first ref <varint> | t − first t <varint> | value bits <8b BE>
 * ```
 *
 * Deltas are zig-zag varints (Prometheus' `PutVarint64`; its format doc says uvarint, its code
 * writes signed). Within one commit refs are close and timestamps nearly equal, so a sample
 * costs 10–12 bytes. Values are copied byte by byte from {@link SampleBatch.valueBytes}, so
 * every NaN payload, the staleness marker included, reaches the disk unchanged.
 */

import { getVarint, MAX_VARINT_LEN, putVarint, VarintError } from '../../../lib/encoding/varint.js';
import { getBE64Signed, getBE64Unsigned, putBE64 } from './be64.js';
import type { SampleBatch } from './sample-batch.js';
import { expectType, RecordDecodeError, RecordType } from './types.js';

/** True where typed arrays store the low byte first (every platform Node ships on but s390x). */
const HOST_LE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Upper bound of the encoded size of a Samples record of `n` samples.
 *
 * @example
 * buf = ensureCapacity(buf, off, samplesRecordSize(batch.length));
 */
export function samplesRecordSize(n: number): number {
  return 1 + 16 + n * (2 * MAX_VARINT_LEN + 8);
}

/**
 * Appends a Samples record of the first `batch.length` samples at `off` and returns the new
 * offset; `buf` must have {@link samplesRecordSize}(batch.length) bytes free from `off`. Refs
 * and timestamps must lie within 2^52 of the first sample's (the zig-zag varint's exact range).
 *
 * @example
 * const end = encodeSamples(buf, 0, batch);
 * wal.log(buf.subarray(0, end));
 */
export function encodeSamples(buf: Uint8Array, off: number, batch: SampleBatch): number {
  buf[off++] = RecordType.Samples;
  const n = batch.length;
  if (n === 0) return off;
  const refs = batch.refs;
  const ts = batch.ts;
  const vb = batch.valueBytes;
  const words = new Uint32Array(vb.buffer, vb.byteOffset, 2 * n);
  const ref0 = refs[0]!;
  const t0 = ts[0]!;
  off = putBE64(buf, off, ref0);
  off = putBE64(buf, off, t0);
  for (let i = 0; i < n; i++) {
    // One-byte deltas (|d| < 64) are the common case: refs of one scrape are near each other
    // and share a timestamp, so skip the general encoder for them.
    const dr = refs[i]! - ref0;
    if (dr > -64 && dr < 64) buf[off++] = dr >= 0 ? dr * 2 : -dr * 2 - 1;
    else off = putVarint(buf, off, dr);
    const dt = ts[i]! - t0;
    if (dt > -64 && dt < 64) buf[off++] = dt >= 0 ? dt * 2 : -dt * 2 - 1;
    else off = putVarint(buf, off, dt);
    // Two 32-bit integer loads per value: integers carry the bits unchanged.
    const hi = words[HOST_LE ? 2 * i + 1 : 2 * i]!;
    const lo = words[HOST_LE ? 2 * i : 2 * i + 1]!;
    buf[off] = hi >>> 24;
    buf[off + 1] = hi >>> 16;
    buf[off + 2] = hi >>> 8;
    buf[off + 3] = hi;
    buf[off + 4] = lo >>> 24;
    buf[off + 5] = lo >>> 16;
    buf[off + 6] = lo >>> 8;
    buf[off + 7] = lo;
    off += 8;
  }
  return off;
}

/**
 * Decodes a Samples record into `out` (cleared first, grown as needed) and returns it. The
 * record must be complete: `rec` holds exactly one record, as the WAL reader returns it.
 *
 * @throws {RecordDecodeError} with the offset of the field that is truncated or out of range.
 * @example
 * const batch = decodeSamples(rec, reusedBatch);
 * for (let i = 0; i < batch.length; i++) head.append(batch.refs[i], batch.ts[i], ...);
 */
export function decodeSamples(rec: Uint8Array, out: SampleBatch): SampleBatch {
  expectType(rec, RecordType.Samples);
  out.clear();
  const end = rec.length;
  if (end === 1) return out;
  if (end < 17) throw new RecordDecodeError(RecordType.Samples, 1, 'truncated header');
  const ref0 = getBE64Unsigned(rec, 1);
  if (ref0 < 0) throw new RecordDecodeError(RecordType.Samples, 1, 'series ref exceeds 2^53');
  const t0 = getBE64Signed(rec, 9);
  if (Number.isNaN(t0))
    throw new RecordDecodeError(RecordType.Samples, 9, 'timestamp exceeds 2^53');
  // Each sample takes at least 10 bytes, so this bounds the count without a first pass.
  out.reserve(Math.floor((end - 17) / 10));
  const cur = { off: 17 };
  let i = 0;
  while (cur.off < end) {
    const at = cur.off;
    let ref: number;
    let t: number;
    try {
      ref = ref0 + getVarint(rec, cur, end);
      t = t0 + getVarint(rec, cur, end);
    } catch (err) {
      if (!(err instanceof VarintError)) throw err;
      throw new RecordDecodeError(RecordType.Samples, err.offset, 'bad delta varint', {
        cause: err,
      });
    }
    if (ref < 0 || !Number.isSafeInteger(ref)) {
      throw new RecordDecodeError(RecordType.Samples, at, `series ref ${ref} out of range`);
    }
    if (cur.off + 8 > end) {
      throw new RecordDecodeError(RecordType.Samples, cur.off, 'truncated value');
    }
    if (i === out.capacity) out.reserve(i + 1);
    out.refs[i] = ref;
    out.ts[i] = t;
    const vb = out.valueBytes;
    const b = i * 8;
    let o = cur.off;
    if (HOST_LE) {
      for (let k = 7; k >= 0; k--) vb[b + k] = rec[o++]!;
    } else {
      for (let k = 0; k < 8; k++) vb[b + k] = rec[o++]!;
    }
    cur.off = o;
    out.length = ++i;
  }
  return out;
}
