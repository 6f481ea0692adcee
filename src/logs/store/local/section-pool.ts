/**
 * @module
 * Reused buffers for the sections a segment reader reads uncompressed and a block keeps until it
 * is released: frequent-token sections and the runs of neighbouring small sections read together
 * (`segment-reader.ts` `readFrequent`, `readNear`).
 */

/**
 * Buffers for frequent-token sections (`SegmentReader.readFrequent`): every block of a
 * common word's search reads one (~20 KiB of the benchmark's messages), and allocating each
 * cost twice the read itself (13.5 against 4.3 µs), and made garbage. Only buffers made here
 * are taken back.
 */
const sectionPool: ArrayBuffer[] = [];
const pooled = new WeakSet<ArrayBuffer>();
export const POOLED_BYTES = 64 * 1024;
const SECTION_POOL = 16;

/** A buffer of {@link POOLED_BYTES} from the pool, or a new one the pool will take back. */
export function pooledBuffer(): Buffer {
  let ab = sectionPool.pop();
  if (ab === undefined) {
    ab = new ArrayBuffer(POOLED_BYTES);
    pooled.add(ab);
  }
  return Buffer.from(ab, 0, POOLED_BYTES);
}

/**
 * Gives a buffer of `SegmentReader.readFrequent` or `SegmentReader.readNear` back:
 * nothing may read it after.
 */
export function giveBack(b: Buffer): void {
  const ab = b.buffer as ArrayBuffer;
  if (pooled.has(ab) && sectionPool.length < SECTION_POOL && !sectionPool.includes(ab)) {
    sectionPool.push(ab);
  }
}
