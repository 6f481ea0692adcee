/**
 * @module
 * Growth for the caller-owned buffers that record encoders append into: the caller asks for
 * room, encodes, and keeps the (possibly new) buffer for the next record, so the steady state
 * allocates nothing.
 */

/**
 * Returns `buf` when it has `extra` bytes free after `used`, otherwise a buffer at least twice
 * as large holding a copy of `buf[0, used)`.
 *
 * @example
 * buf = ensureCapacity(buf, off, samplesRecordSize(batch.length));
 * off = encodeSamples(buf, off, batch);
 */
export function ensureCapacity(buf: Uint8Array, used: number, extra: number): Uint8Array {
  const need = used + extra;
  if (need <= buf.length) return buf;
  const next = new Uint8Array(Math.max(need, buf.length * 2));
  next.set(buf.subarray(0, used));
  return next;
}
