/**
 * @module
 * A buffered, append-only file writer for the index that knows the framing most index sections
 * share: a 4-byte length, a body, and a CRC-32C of the body. The CRC is computed as bytes leave
 * the buffer, and the length is patched in place once the body is complete — in the buffer if it
 * is still there, with a positional write if it was already flushed — so a section of any size
 * streams through a bounded buffer.
 */

import { closeSync, fsyncSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { ByteWriter } from '../../../lib/encoding/byte-writer.js';
import { crc32c } from '../../../lib/encoding/crc32c.js';
import { IndexWriteError } from './errors.js';
import { MAX_SECTION_LENGTH } from './format.js';

/** Flush past 1 MiB: few syscalls, little memory. */
const FLUSH_SIZE = 1024 * 1024;

export class SectionFileWriter {
  readonly #path: string;
  readonly #fd: number;
  /** Bytes not yet written to the file; encoders append to it directly. */
  readonly buf = new ByteWriter(FLUSH_SIZE + 64 * 1024);
  #flushed = 0;
  /** File position of the open section's length field, or -1. */
  #sectionStart = -1;
  /** Where in `buf` the open section's CRC has not yet been computed from. */
  #crcFrom = 0;
  #crc = 0;

  /**
   * Creates (or truncates) `path`.
   *
   * @example
   * const out = new SectionFileWriter('/data/01H…/index');
   * out.beginSection(); out.buf.u32(0); out.endSection();
   * out.close();
   */
  constructor(path: string) {
    this.#path = path;
    this.#fd = openSync(path, 'w');
  }

  /** The file position the next appended byte will have. */
  get pos(): number {
    return this.#flushed + this.buf.length;
  }

  /** Appends zero bytes up to the next multiple of `alignment`. */
  pad(alignment: number): void {
    const rem = this.pos % alignment;
    for (let i = rem === 0 ? alignment : rem; i < alignment; i++) this.buf.u8(0);
  }

  /** Starts a section: writes a length placeholder and starts the CRC after it. */
  beginSection(): void {
    this.#sectionStart = this.pos;
    this.buf.u32(0);
    this.#crcFrom = this.buf.length;
    this.#crc = 0;
  }

  /** Ends the open section: patches its length and appends the CRC of its body. */
  endSection(): void {
    const len = this.pos - this.#sectionStart - 4;
    if (len > MAX_SECTION_LENGTH) {
      throw new IndexWriteError(this.#path, `section at ${this.#sectionStart} exceeds 4 GiB`);
    }
    const crc = crc32c(this.buf.bytes(), this.#crcFrom, this.buf.length, this.#crc);
    if (this.#sectionStart >= this.#flushed) {
      this.buf.putU32At(this.#sectionStart - this.#flushed, len);
    } else {
      const b = Buffer.allocUnsafe(4);
      b.writeUInt32BE(len);
      writeSync(this.#fd, b, 0, 4, this.#sectionStart);
    }
    this.buf.u32(crc);
    this.#sectionStart = -1;
  }

  /** Writes the buffer out once it has grown past the flush size. */
  maybeFlush(): void {
    if (this.buf.length >= FLUSH_SIZE) this.#flush();
  }

  /** Flushes, fsyncs and closes the file. */
  close(): void {
    this.#flush();
    fsyncSync(this.#fd);
    closeSync(this.#fd);
  }

  /** Closes and deletes the file, for a write that is being abandoned. */
  abort(): void {
    closeSync(this.#fd);
    unlinkSync(this.#path);
  }

  #flush(): void {
    const bytes = this.buf.bytes();
    if (this.#sectionStart >= 0) {
      this.#crc = crc32c(bytes, this.#crcFrom, bytes.length, this.#crc);
      this.#crcFrom = 0;
    }
    let off = 0;
    // Sequential writes (position null) continue after the last one; the positional patch in
    // endSection() does not move the file position.
    while (off < bytes.length) off += writeSync(this.#fd, bytes, off, bytes.length - off, null);
    this.#flushed += bytes.length;
    this.buf.reset();
  }
}
