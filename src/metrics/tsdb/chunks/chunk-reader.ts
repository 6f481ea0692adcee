/**
 * @module
 * Reads chunks from a block's segment files by reference. Opening validates every segment's
 * header and that the files are numbered 000001…N without gaps (a reference names a segment by
 * its position, so a missing file would silently shift every later one). Each chunk read
 * checks the frame against the file size and verifies the CRC before returning the bytes.
 * Reads are positional through one {@link FileWindow} per segment; nothing is loaded up front.
 */

import { closeSync, fstatSync, openSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { crc32c } from '../../../lib/encoding/crc32c.js';
import { getUvarint, VarintError } from '../../../lib/encoding/varint.js';
import { ChunkCorruptError } from './errors.js';
import { FileWindow } from './file-window.js';
import {
  CHUNK_CRC_SIZE,
  CHUNKS_FORMAT_V1,
  CHUNKS_MAGIC,
  MAX_CHUNK_LENGTH_FIELD,
  SEGMENT_HEADER_SIZE,
  refOffset,
  refSegment,
  segmentFileName,
} from './format.js';

/** A chunk as stored: its encoding byte and its data, owned by the caller. */
export interface StoredChunk {
  encoding: number;
  data: Uint8Array;
}

interface Segment {
  path: string;
  fd: number;
  window: FileWindow;
}

export class ChunkReader {
  readonly #dir: string;
  readonly #segments: Segment[];
  #closed = false;

  private constructor(dir: string, segments: Segment[]) {
    this.#dir = dir;
    this.#segments = segments;
  }

  /**
   * Opens the segments in `dir` (a block's `chunks/` directory). File system errors (a missing
   * directory) are thrown as they are; format problems as {@link ChunkCorruptError}.
   *
   * @example
   * const cr = ChunkReader.open(join(blockDir, 'chunks'));
   * const { encoding, data } = cr.chunk(meta.ref);
   * cr.close();
   */
  static open(dir: string): ChunkReader {
    const names = readdirSync(dir)
      .filter((n) => /^\d+$/.test(n))
      .sort((a, b) => Number(a) - Number(b));
    const segments: Segment[] = [];
    try {
      names.forEach((name, i) => {
        const path = join(dir, name);
        if (Number(name) !== i + 1) {
          throw new ChunkCorruptError(join(dir, segmentFileName(i)), 0, 'segment file missing');
        }
        const fd = openSync(path, 'r');
        const window = new FileWindow(fd, fstatSync(fd).size);
        segments.push({ path, fd, window });
        checkHeader(path, window);
      });
    } catch (err) {
      for (const s of segments) closeSync(s.fd);
      throw err;
    }
    return new ChunkReader(dir, segments);
  }

  get dir(): string {
    return this.#dir;
  }

  /** Number of segment files. */
  get segmentCount(): number {
    return this.#segments.length;
  }

  /** Total bytes of all segment files. */
  get size(): number {
    return this.#segments.reduce((n, s) => n + s.window.size, 0);
  }

  /**
   * The chunk at `ref`, CRC-verified. The data is a copy the caller owns.
   *
   * @throws {ChunkCorruptError} when the reference points outside the segments, the frame runs
   * past the end of its file, or the checksum does not match.
   */
  chunk(ref: number): StoredChunk {
    const { encoding, data } = this.chunkView(ref);
    return { encoding, data: new Uint8Array(data) };
  }

  /**
   * Like {@link ChunkReader.chunk}, without the copy: `data` views the reader's read buffer and
   * is valid only until the next read from this reader. For callers that decode the chunk at
   * once; each copy was an ArrayBuffer of its own, and queries read thousands of chunks.
   *
   * @throws {ChunkCorruptError} as `chunk()` does.
   * @example
   * const { data } = cr.chunkView(meta.ref);
   * decodeNow(data);
   */
  chunkView(ref: number): StoredChunk {
    if (this.#closed) throw new Error(`cannot read chunk: reader for ${this.#dir} is closed`);
    const index = refSegment(ref);
    const off = refOffset(ref);
    const seg = this.#segments[index];
    if (seg === undefined) {
      throw new ChunkCorruptError(
        join(this.#dir, segmentFileName(index)),
        off,
        `reference ${ref} names segment ${index + 1} of ${this.#segments.length}`,
      );
    }
    const size = seg.window.size;
    if (off < SEGMENT_HEADER_SIZE || off >= size) {
      throw new ChunkCorruptError(seg.path, off, `chunk offset outside [8, ${size})`);
    }
    const head = seg.window.read(off, MAX_CHUNK_LENGTH_FIELD);
    const cur = { off: 0 };
    let len: number;
    try {
      len = getUvarint(head, cur);
    } catch (err) {
      if (!(err instanceof VarintError)) throw err;
      throw new ChunkCorruptError(seg.path, off, 'unreadable chunk length', { cause: err });
    }
    const total = cur.off + 1 + len + CHUNK_CRC_SIZE;
    if (off + total > size) {
      throw new ChunkCorruptError(
        seg.path,
        off,
        `chunk of ${len} bytes ends at ${off + total}, past the end of the file (${size} bytes)`,
      );
    }
    const frame = seg.window.read(off, total);
    const bodyStart = cur.off;
    const crcAt = bodyStart + 1 + len;
    const want = frame.readUInt32BE(crcAt);
    const got = crc32c(frame, bodyStart, crcAt);
    if (want !== got) {
      throw new ChunkCorruptError(
        seg.path,
        off,
        `checksum mismatch: stored ${hex(want)}, computed ${hex(got)}`,
      );
    }
    return {
      encoding: frame[bodyStart]!,
      data: frame.subarray(bodyStart + 1, crcAt),
    };
  }

  /** Closes the segment files; `chunk()` must not be called after. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const s of this.#segments) closeSync(s.fd);
  }
}

function checkHeader(path: string, window: FileWindow): void {
  const h = window.read(0, SEGMENT_HEADER_SIZE);
  if (h.length < SEGMENT_HEADER_SIZE) {
    throw new ChunkCorruptError(path, 0, `file of ${h.length} bytes is shorter than the header`);
  }
  const magic = h.readUInt32BE(0);
  if (magic !== CHUNKS_MAGIC) throw new ChunkCorruptError(path, 0, `bad magic ${hex(magic)}`);
  if (h[4] !== CHUNKS_FORMAT_V1) {
    throw new ChunkCorruptError(path, 4, `unsupported format version ${h[4]}`);
  }
}

function hex(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}
