/**
 * @module
 * Reading a section of an open segment file, on whichever thread reads it: a segment reader on
 * the main thread, or the page-scan worker, which reads a block's pages from the reader's file
 * itself (`page-scan.ts`).
 */

import { readSync } from 'node:fs';
import { type Codec, decodeSection, type Section } from './segment-format.js';

/** Compressed bytes of the section being decompressed on this thread ({@link readScratch}). */
let scratch = Buffer.allocUnsafe(0);

/**
 * A buffer of at least `len` bytes, the same one on every call on this thread: for compressed
 * bytes that are decompressed (copied out) before anything else reads into it. One allocation
 * fewer per section, the size of a page, on every search.
 */
export function readScratch(len: number): Buffer {
  if (scratch.length < len) scratch = Buffer.allocUnsafe(2 ** Math.ceil(Math.log2(len)));
  return scratch;
}

/**
 * Reads section `[off, len]` of the segment open as `fd` (at `path`, for the error) into `into`,
 * or into a new buffer.
 *
 * @throws {Error} naming the file and offset when it ends before the section does.
 * @example
 * const packed = readSection(fd, path, [4096, 20_000], readScratch(20_000));
 */
export function readSection(fd: number, path: string, [off, len]: Section, into?: Buffer): Buffer {
  const buf = into === undefined ? Buffer.allocUnsafe(len) : into.subarray(0, len);
  let done = 0;
  while (done < len) {
    const n = readSync(fd, buf, done, len - done, off + done);
    if (n === 0)
      throw new Error(`cannot read segment: ${path}: unexpected end at offset ${off + done}`);
    done += n;
  }
  return buf;
}

/**
 * `decodeSection` of `packed`, bytes read into {@link readScratch}: a section stored as it is
 * would come out as a view of the scratch, which the next read overwrites, so it is copied.
 *
 * @example
 * const raw = decodeScratch(5, 'brotli', readSection(fd, path, s, readScratch(s[1])));
 */
export function decodeScratch(
  version: number,
  codec: Codec,
  packed: Buffer,
  expected?: number,
): Buffer {
  const out = decodeSection(version, codec, packed, expected);
  return out.buffer === packed.buffer ? Buffer.from(out) : out;
}
