/**
 * @module
 * Writing one segment file (layout: `segment-format.ts`): sections are appended in order, then
 * {@link SegmentFile.finish} appends the footer and trailer, fsyncs and renames the file from
 * its temporary name, so a segment either exists whole or not at all. Shared by the segment
 * writer (documents → segment) and the concatenation of segments (`segment-concat.ts`).
 */

import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { crc32c } from '../../../lib/encoding/crc32c.js';
import {
  compress,
  SEGMENT_END_MAGIC,
  SEGMENT_MAGIC,
  SEGMENT_TRAILER,
  type Section,
  type SegmentFooter,
} from './segment-format.js';

export class SegmentFile {
  readonly path: string;
  readonly #tmp: string;
  readonly #fd: number;
  #off = 0;
  #open = true;

  /**
   * Creates `<path>.tmp` and writes the magic.
   *
   * @example
   * const file = new SegmentFile(path);
   * const time = file.put(compressedTime);
   * file.finish(footer);
   */
  constructor(path: string) {
    this.path = path;
    this.#tmp = `${path}.tmp`;
    this.#fd = openSync(this.#tmp, 'w');
    this.put(SEGMENT_MAGIC);
  }

  /** Bytes written so far: the offset of the next section. */
  get offset(): number {
    return this.#off;
  }

  /** Appends `b`; returns where it landed. */
  put(b: Uint8Array): Section {
    let done = 0;
    while (done < b.length) done += writeSync(this.#fd, b, done, b.length - done, this.#off + done);
    const s: Section = [this.#off, b.length];
    this.#off += b.length;
    return s;
  }

  /** Appends the footer and trailer, fsyncs, closes and renames the file to its path. */
  finish(footer: SegmentFooter): void {
    const footerBytes = compress('deflate', Buffer.from(JSON.stringify(footer)));
    const [footerOff] = this.put(footerBytes);
    const trailer = Buffer.alloc(SEGMENT_TRAILER);
    trailer.writeUInt32LE(footerOff, 0);
    trailer.writeUInt32LE(footerBytes.length, 4);
    trailer.writeUInt32LE(crc32c(footerBytes), 8);
    SEGMENT_END_MAGIC.copy(trailer, 12);
    this.put(trailer);
    fsyncSync(this.#fd);
    this.#open = false;
    closeSync(this.#fd);
    renameSync(this.#tmp, this.path);
  }

  /** Closes and removes the temporary file after a failure (the store would remove it on open). */
  abort(): void {
    if (this.#open) {
      this.#open = false;
      closeSync(this.#fd);
    }
    rmSync(this.#tmp, { force: true });
  }
}
