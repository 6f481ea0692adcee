/**
 * @module
 * Writes chunks into the segment files of a block's `chunks/` directory (000001, 000002, …),
 * starting a new segment before one would grow past the segment size. Each chunk is framed as
 * uvarint length, encoding byte, data and a CRC-32C of encoding and data. The writer treats
 * chunk data as opaque bytes: encodings are chunkenc's business.
 */

import { closeSync, mkdirSync, openSync, fsyncSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ByteWriter } from '../../../lib/encoding/byte-writer.js';
import { crc32c } from '../../../lib/encoding/crc32c.js';
import { uvarintSize } from '../../../lib/encoding/varint.js';
import { ChunkWriteError } from './errors.js';
import { fsyncPath } from '../../../lib/fs/fsync.js';
import {
  CHUNK_CRC_SIZE,
  CHUNKS_FORMAT_V1,
  CHUNKS_MAGIC,
  DEFAULT_SEGMENT_SIZE,
  SEGMENT_HEADER_SIZE,
  chunkRef,
  segmentFileName,
} from './format.js';

/** Buffered bytes are written out past 1 MiB: few syscalls, little memory. */
const FLUSH_SIZE = 1024 * 1024;
/** Offsets are the 32-bit half of a chunk reference. */
const MAX_SEGMENT_SIZE = 2 ** 32;

export interface ChunkWriterOptions {
  /** Segment size limit in bytes (default 512 MiB, at most 4 GiB). */
  segmentSize?: number;
}

export class ChunkWriter {
  readonly #dir: string;
  readonly #segmentSize: number;
  readonly #buf = new ByteWriter(FLUSH_SIZE + 64 * 1024);
  #fd = -1;
  #segments = 0;
  /** Bytes in the current segment, buffered ones included. */
  #n = 0;
  #closed = false;

  /**
   * Creates `dir` if needed; segments are created as chunks arrive, so a writer that receives
   * none leaves an empty directory, as Prometheus does.
   *
   * @example
   * const w = new ChunkWriter(join(blockDir, 'chunks'));
   * const ref = w.write(ENCODING_XOR, chunk.bytes());
   * w.close();
   */
  constructor(dir: string, options: ChunkWriterOptions = {}) {
    const segmentSize = options.segmentSize ?? DEFAULT_SEGMENT_SIZE;
    if (segmentSize <= SEGMENT_HEADER_SIZE || segmentSize > MAX_SEGMENT_SIZE) {
      throw new ChunkWriteError(dir, `segment size ${segmentSize} outside (8, 2^32]`);
    }
    this.#dir = dir;
    this.#segmentSize = segmentSize;
    mkdirSync(dir, { recursive: true });
  }

  /**
   * Appends one chunk and returns its reference. A chunk larger than the segment size gets a
   * segment of its own rather than being refused.
   */
  write(encoding: number, data: Uint8Array): number {
    if (this.#closed) throw new ChunkWriteError(this.#dir, 'writer is closed');
    if (data.length >= MAX_SEGMENT_SIZE) {
      throw new ChunkWriteError(this.#dir, `chunk of ${data.length} bytes exceeds 4 GiB`);
    }
    const size = uvarintSize(data.length) + 1 + data.length + CHUNK_CRC_SIZE;
    const full = this.#n > SEGMENT_HEADER_SIZE && this.#n + size > this.#segmentSize;
    // The offset stays below 2^32: a chunk starts either right after a header or where the
    // segment so far plus this chunk stays within the segment size.
    if (this.#fd < 0 || full) this.#cut();
    const ref = chunkRef(this.#segments - 1, this.#n);
    const w = this.#buf;
    w.uvarint(data.length);
    const crcStart = w.length;
    w.u8(encoding);
    w.raw(data);
    w.u32(crc32c(w.bytes(), crcStart));
    this.#n += size;
    if (w.length >= FLUSH_SIZE) this.#flush();
    return ref;
  }

  /** Writes out and fsyncs the last segment and the directory; the writer is done after. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#finishSegment();
    fsyncPath(this.#dir);
  }

  /** Releases the open segment without syncing, for a write that is being abandoned. */
  abort(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#fd >= 0) closeSync(this.#fd);
    this.#fd = -1;
  }

  #cut(): void {
    this.#finishSegment();
    const path = join(this.#dir, segmentFileName(this.#segments));
    this.#fd = openSync(path, 'wx');
    this.#segments++;
    this.#buf.u32(CHUNKS_MAGIC);
    this.#buf.u8(CHUNKS_FORMAT_V1);
    this.#buf.u8(0);
    this.#buf.u16(0);
    this.#n = SEGMENT_HEADER_SIZE;
  }

  #finishSegment(): void {
    if (this.#fd < 0) return;
    this.#flush();
    fsyncSync(this.#fd);
    closeSync(this.#fd);
    this.#fd = -1;
  }

  #flush(): void {
    const bytes = this.#buf.bytes();
    let off = 0;
    while (off < bytes.length) off += writeSync(this.#fd, bytes, off, bytes.length - off);
    this.#buf.reset();
  }
}
