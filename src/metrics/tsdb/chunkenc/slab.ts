/**
 * @module
 * Small zeroed byte buffers carved out of shared 64 KiB slabs. Node allocates every typed array
 * above 64 bytes off the V8 heap, which costs about 1 µs (measured on Node 20), while a view into
 * an existing ArrayBuffer costs about 50 ns; a head chunk's buffer starts at 128 bytes and doubles
 * two or three times, so without slabs allocation would dominate appends. The price is Node's
 * Buffer-pool trade-off: a slab is freed only once every view into it is garbage, and the space a
 * growing buffer leaves behind is not reused. Chunks created together tend to die together (when
 * the head is compacted), which keeps that waste bounded.
 */

const SLAB_BYTES = 64 * 1024;
// Beyond this a buffer gets its own allocation, whose cost is then small next to filling it.
const MAX_CARVED_BYTES = 4096;

let slab = new ArrayBuffer(0);
let used = 0;

/**
 * A zero-filled Uint8Array of `n` bytes. It may share its ArrayBuffer with other buffers, so never
 * hand out `.buffer`; use the view's own range.
 *
 * @example
 * const buf = allocZeroed(128);
 */
export function allocZeroed(n: number): Uint8Array {
  if (n > MAX_CARVED_BYTES) return new Uint8Array(n);
  if (used + n > slab.byteLength) {
    slab = new ArrayBuffer(SLAB_BYTES);
    used = 0;
  }
  const buf = new Uint8Array(slab, used, n);
  used += n;
  return buf;
}
