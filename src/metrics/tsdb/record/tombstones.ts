/**
 * @module
 * The Tombstones record (type 3): deletions logged by the delete-series API, so that replay
 * re-applies them to the head.
 *
 * ```
 * type=3 <1b>
 * then per interval: ref <8b BE> | min time <varint> | max time <varint>
 * ```
 *
 * One entry per deleted interval, inclusive at both ends, in ms. Deletions are rare, so an
 * entry is a plain object.
 */

import { getVarint, MAX_VARINT_LEN, putVarint, VarintError } from '../../../lib/encoding/varint.js';
import { getBE64Unsigned, putBE64 } from './be64.js';
import { expectType, RecordDecodeError, RecordType } from './types.js';

/** Samples of series `ref` with mint ≤ t ≤ maxt (ms) are deleted. */
export interface Tombstone {
  ref: number;
  mint: number;
  maxt: number;
}

/**
 * Upper bound of the encoded size of a Tombstones record of `n` intervals.
 *
 * @example
 * buf = ensureCapacity(buf, 0, tombstonesRecordSize(stones.length));
 */
export function tombstonesRecordSize(n: number): number {
  return 1 + n * (8 + 2 * MAX_VARINT_LEN);
}

/**
 * Appends a Tombstones record at `off` and returns the new offset; `buf` must have
 * {@link tombstonesRecordSize}(stones.length) bytes free from `off`.
 *
 * @example
 * const end = encodeTombstones(buf, 0, [{ ref: 7, mint: 0, maxt: 1_700_000_000_000 }]);
 */
export function encodeTombstones(
  buf: Uint8Array,
  off: number,
  stones: readonly Tombstone[],
): number {
  buf[off++] = RecordType.Tombstones;
  for (const s of stones) {
    off = putBE64(buf, off, s.ref);
    off = putVarint(buf, off, s.mint);
    off = putVarint(buf, off, s.maxt);
  }
  return off;
}

/**
 * Decodes a Tombstones record, appending to `out` (which it returns).
 *
 * @throws {RecordDecodeError} with the offset of the bad field.
 * @example
 * for (const s of decodeTombstones(rec)) head.deleteRange(s.ref, s.mint, s.maxt);
 */
export function decodeTombstones(rec: Uint8Array, out: Tombstone[] = []): Tombstone[] {
  expectType(rec, RecordType.Tombstones);
  const end = rec.length;
  const cur = { off: 1 };
  while (cur.off < end) {
    const at = cur.off;
    if (at + 8 > end)
      throw new RecordDecodeError(RecordType.Tombstones, at, 'truncated series ref');
    const ref = getBE64Unsigned(rec, at);
    if (ref < 0) throw new RecordDecodeError(RecordType.Tombstones, at, 'series ref exceeds 2^53');
    cur.off = at + 8;
    try {
      const mint = getVarint(rec, cur, end);
      const maxt = getVarint(rec, cur, end);
      out.push({ ref, mint, maxt });
    } catch (err) {
      if (!(err instanceof VarintError)) throw err;
      throw new RecordDecodeError(RecordType.Tombstones, err.offset, 'bad time varint', {
        cause: err,
      });
    }
  }
  return out;
}
