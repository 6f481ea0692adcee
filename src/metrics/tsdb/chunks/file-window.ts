/**
 * @module
 * Positional reads from a file through one cached window. Node cannot memory-map files, so the
 * block readers read what they need with pread(2). Lookups in a block come in ascending file
 * order (series by ref, chunks in the order they were written), so a single window that slides
 * forward turns most reads into a slice of memory; a read larger than the window bypasses it.
 * All I/O is synchronous: block readers are called from query and compaction code that expects
 * values, not promises, and big scans belong in a worker thread.
 */

import { readSync } from 'node:fs';

/**
 * 64 KiB: a few hundred series entries or XOR chunks per refill, small enough that one window
 * per open file costs little even with many blocks open.
 */
export const DEFAULT_WINDOW_SIZE = 64 * 1024;

export class FileWindow {
  readonly #fd: number;
  readonly #size: number;
  readonly #buf: Buffer;
  #start = 0;
  #len = 0;

  /**
   * Reads from `fd` (open for reading, `size` bytes long); the caller keeps ownership of `fd`.
   *
   * @example
   * const w = new FileWindow(fd, fstatSync(fd).size);
   * const header = w.read(0, 8);
   */
  constructor(fd: number, size: number, windowSize = DEFAULT_WINDOW_SIZE) {
    this.#fd = fd;
    this.#size = size;
    this.#buf = Buffer.allocUnsafe(windowSize);
  }

  get size(): number {
    return this.#size;
  }

  /**
   * Up to `len` bytes from `off` — fewer only where the file ends. The result is a view into
   * the window, valid until the next `read`; copy what must outlive it.
   */
  read(off: number, len: number): Buffer {
    const n = Math.max(0, Math.min(len, this.#size - off));
    if (off >= this.#start && off + n <= this.#start + this.#len) {
      return this.#buf.subarray(off - this.#start, off - this.#start + n);
    }
    if (n > this.#buf.length) {
      const out = Buffer.allocUnsafe(n);
      this.#fill(out, off, n);
      return out;
    }
    this.#start = off;
    this.#len = Math.min(this.#buf.length, this.#size - off);
    this.#fill(this.#buf, off, this.#len);
    return this.#buf.subarray(0, n);
  }

  #fill(buf: Buffer, off: number, n: number): void {
    let done = 0;
    while (done < n) {
      const got = readSync(this.#fd, buf, done, n - done, off + done);
      // The file shrank after it was opened: the zeros fail the CRC check every caller makes.
      if (got === 0) {
        buf.fill(0, done, n);
        return;
      }
      done += got;
    }
  }
}
