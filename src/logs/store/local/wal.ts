/**
 * @module
 * The write-ahead log of the local log store (format: docs/format/log-wal.md). A file starts
 * with a header (magic and version); every batch becomes one record: a 4-byte length, a CRC-32
 * of the payload and the payload (the batch's documents with their index, id, time and source
 * JSON). Version 1 files (no header, CRC-32C) still replay. Writers share fsyncs (group commit):
 * batches that arrive while a sync is running are written together and acknowledged by the
 * next single `fdatasync`, so many concurrent writers cost one sync, not one each.
 *
 * The log is a sequence of files `wal/<seq>.wal`. The store rotates to a new file whenever it
 * freezes its memory part, so a file's documents are all in one frozen part; once that part is
 * in segments (recorded in the catalog), its files are deleted.
 *
 * On open, {@link replayWal} reads every file; a record that is cut short or fails its CRC (a
 * torn tail from a crash mid-write, which was never acknowledged) ends that file: the file is
 * truncated there and replay continues with the next one.
 */

import {
  closeSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { crc32c } from '../../../lib/encoding/crc32c.js';
import { fdatasyncFd, fsyncPath } from '../../../lib/fs/fsync.js';

/** Bytes before each record's payload: u32 length, u32 checksum (little-endian). */
export const WAL_RECORD_HEADER = 8;

/**
 * Bytes of a file's header: `VWAL`, then the format version as a u32 (little-endian). Version
 * 1 files have none and start with a record, whose length would have to be ~1.2 GiB (`VWAL`
 * read as a u32) and its CRC 2 to pass for this header.
 */
export const WAL_FILE_HEADER = 8;
const WAL_MAGIC = Buffer.from('VWAL', 'latin1');
/**
 * Version 2 checks records with CRC-32 (zlib's, native: ~2.2 GB/s here) where version 1 used
 * CRC-32C in JavaScript (~0.6–0.9 GB/s): every acknowledged byte is checksummed on the main
 * thread, and encoding a benchmark line's record took 0.49–0.58 µs instead of 0.75–0.92.
 */
const WAL_VERSION = 2;
const HEADER = Buffer.concat([WAL_MAGIC, Buffer.from([WAL_VERSION, 0, 0, 0])]);

/** A document as the WAL holds it. */
export interface WalDoc {
  readonly index: string;
  readonly id: string;
  readonly ms: number;
  readonly ns: number;
  /** The source as JSON text. */
  readonly json: string;
}

/**
 * Where each document's id and source went in an encoded record ({@link encodeWalRecord} pushes
 * one of each per document): the offsets in the buffer where their UTF-8 bytes start, and how
 * many bytes they are.
 */
export interface WalSpans {
  readonly idAt: number[];
  readonly idBytes: number[];
  readonly jsonAt: number[];
  readonly jsonBytes: number[];
}

/**
 * Appends one record holding `docs` to `out` at `off` (growing it) and returns the buffer and
 * the end offset; with `spans`, pushes there where each document's id and source are.
 *
 * @example
 * const { buf, end } = encodeWalRecord(Buffer.alloc(1024), 0, docs);
 */
export function encodeWalRecord(
  out: Buffer,
  off: number,
  docs: readonly WalDoc[],
  spans?: WalSpans,
): { buf: Buffer; end: number } {
  let size = 4;
  for (const d of docs) size += 24 + d.index.length * 3 + d.id.length * 3 + d.json.length * 3;
  let buf = out;
  if (buf.length < off + WAL_RECORD_HEADER + size) {
    buf = Buffer.allocUnsafe(Math.max(buf.length * 2, off + WAL_RECORD_HEADER + size));
    out.copy(buf, 0, 0, off);
  }
  const start = off + WAL_RECORD_HEADER;
  let p = buf.writeUInt32LE(docs.length, start);
  for (const d of docs) {
    p = putString(buf, p, d.index);
    const idAt = p;
    p = putString(buf, p, d.id);
    spans?.idAt.push(idAt + 4);
    spans?.idBytes.push(p - idAt - 4);
    p = buf.writeDoubleLE(d.ms, p);
    p = buf.writeUInt32LE(d.ns, p);
    const at = p;
    p = putString(buf, p, d.json);
    spans?.jsonAt.push(at + 4);
    spans?.jsonBytes.push(p - at - 4);
  }
  buf.writeUInt32LE(p - start, off);
  buf.writeUInt32LE(crc32(buf.subarray(start, p)), off + 4);
  return { buf, end: p };
}

/** u32 byte length + UTF-8; `buf` has room for 4 + 3 × length bytes at `off`. */
function putString(buf: Buffer, off: number, s: string): number {
  // Index names and ids are short ASCII: a charCodeAt loop costs less than the native write.
  const m = s.length;
  if (m < 64) {
    let i = 0;
    for (; i < m; i++) {
      const c = s.charCodeAt(i);
      if (c >= 128) break;
      buf[off + 4 + i] = c;
    }
    if (i === m) {
      buf.writeUInt32LE(m, off);
      return off + 4 + m;
    }
  }
  const n = buf.write(s, off + 4, 'utf8');
  buf.writeUInt32LE(n, off);
  return off + 4 + n;
}

/**
 * One document of a record as decoding passes it: a view that the next document reuses, so
 * copy out what must outlive the call. The source stays bytes until asked for, so that a flush
 * can parse each document only when it encodes its block and drop it right after.
 */
export interface WalDocView {
  index: string;
  id: string;
  ms: number;
  ns: number;
  /** The source JSON is `buf[start, end)` (UTF-8). */
  buf: Buffer;
  start: number;
  end: number;
}

/**
 * Calls `onDoc` for each document of the record payload `buf[start, end)`; `buf` must hold the
 * whole payload there (its CRC checked).
 *
 * @example
 * decodeWalRecord(file, off + WAL_RECORD_HEADER, end, (d) => ids.push(d.id));
 * @throws {Error} when the payload is malformed (its CRC matched, so this is a bug, not a tear).
 */
export function decodeWalRecord(
  buf: Buffer,
  start: number,
  end: number,
  onDoc: (doc: WalDocView) => void,
): void {
  const count = buf.readUInt32LE(start);
  let p = start + 4;
  const span = (): number => {
    const n = buf.readUInt32LE(p);
    if (p + 4 + n > end)
      throw new Error(`cannot decode WAL record: string past its end at offset ${p}`);
    p += 4 + n;
    return n;
  };
  const str = (): string => {
    const n = span();
    return buf.toString('utf8', p - n, p);
  };
  const view: WalDocView = { index: '', id: '', ms: 0, ns: 0, buf, start: 0, end: 0 };
  for (let i = 0; i < count; i++) {
    view.index = str();
    view.id = str();
    view.ms = buf.readDoubleLE(p);
    view.ns = buf.readUInt32LE(p + 8);
    p += 12;
    const n = span();
    view.start = p - n;
    view.end = p;
    onDoc(view);
  }
}

/**
 * The WAL files of `dir`, by sequence number ascending.
 *
 * @example
 * listWalFiles(walDir); // [7, 8]
 */
export function listWalFiles(dir: string): number[] {
  const seqs: number[] = [];
  for (const name of readdirSync(dir)) {
    const m = /^(\d{16})\.wal$/.exec(name);
    if (m !== null) seqs.push(Number(m[1]));
  }
  return seqs.sort((a, b) => a - b);
}

/**
 * The path of WAL file `seq`.
 *
 * @example
 * walPath('/data/logs/wal', 8); // '/data/logs/wal/0000000000000008.wal'
 */
export function walPath(dir: string, seq: number): string {
  return join(dir, `${String(seq).padStart(16, '0')}.wal`);
}

/** What replay found in one file. */
export interface ReplayedFile {
  readonly seq: number;
  /** Bytes of whole, valid records. */
  readonly validBytes: number;
  /** Bytes cut off as a torn tail (0 when the file was whole). */
  readonly truncatedBytes: number;
}

/**
 * Reads every record of the WAL files in `dir` with a sequence in `(afterSeq, throughSeq]`, in
 * order, passing its documents to `onDoc`, and truncates a file at its first invalid record.
 *
 * @example
 * replayWal(walDir, catalog.flushedWal, Infinity, (doc) => memory.add(doc));
 */
export function replayWal(
  dir: string,
  afterSeq: number,
  throughSeq: number,
  onDoc: (doc: WalDocView, seq: number) => void,
): ReplayedFile[] {
  const out: ReplayedFile[] = [];
  for (const seq of listWalFiles(dir)) {
    if (seq <= afterSeq || seq > throughSeq) continue;
    const path = walPath(dir, seq);
    const buf = readFileSync(path);
    // A file shorter than a header (torn at its creation) has no record: it is truncated below.
    let off = 0;
    let check = (start: number, end: number) => crc32c(buf, start, end);
    if (buf.length >= WAL_FILE_HEADER && buf.subarray(0, 4).equals(WAL_MAGIC)) {
      const version = buf.readUInt32LE(4);
      if (version !== WAL_VERSION) {
        throw new Error(
          `cannot replay WAL: ${path}: format version ${version}, not ${WAL_VERSION}`,
        );
      }
      off = WAL_FILE_HEADER;
      check = (start, end) => crc32(buf.subarray(start, end));
    }
    while (off + WAL_RECORD_HEADER <= buf.length) {
      const len = buf.readUInt32LE(off);
      const end = off + WAL_RECORD_HEADER + len;
      if (len < 4 || end > buf.length) break;
      if (check(off + WAL_RECORD_HEADER, end) !== buf.readUInt32LE(off + 4)) break;
      try {
        decodeWalRecord(buf, off + WAL_RECORD_HEADER, end, (d) => onDoc(d, seq));
      } catch (err) {
        throw new Error(`cannot replay WAL: ${path} at offset ${off}: ${(err as Error).message}`, {
          cause: err,
        });
      }
      off = end;
    }
    if (off < buf.length) {
      const fd = openSync(path, 'r+');
      try {
        ftruncateSync(fd, off);
      } finally {
        closeSync(fd);
      }
    }
    out.push({ seq, validBytes: off, truncatedBytes: buf.length - off });
  }
  return out;
}

/**
 * The open WAL file the store appends to. Not reentrant: the store's commit loop is its only
 * caller and awaits each {@link WalWriter.sync} before the next write.
 */
export class WalWriter {
  readonly #dir: string;
  #seq: number;
  #fd: number;
  #size = 0;

  /**
   * Starts a new file after the newest existing one (existing files are never appended to, so
   * a truncated tail stays where replay left it).
   *
   * @example
   * const wal = new WalWriter(join(dataDir, 'wal'));
   */
  constructor(dir: string) {
    mkdirSync(dir, { recursive: true });
    this.#dir = dir;
    this.#seq = (listWalFiles(dir).at(-1) ?? 0) + 1;
    this.#fd = this.#create();
    fsyncPath(dir);
  }

  /** Creates file {@link seq} with its header (made durable by the first sync). */
  #create(): number {
    const fd = openSync(walPath(this.#dir, this.#seq), 'a');
    try {
      writeSync(fd, HEADER);
    } catch (err) {
      closeSync(fd);
      throw err;
    }
    this.#size = HEADER.length;
    return fd;
  }

  /** The sequence number of the file being written. */
  get seq(): number {
    return this.#seq;
  }

  /** Bytes in the current file, its header included. */
  get size(): number {
    return this.#size;
  }

  /** Appends `buf[0, end)` (whole records) to the file; durable after {@link sync}. */
  write(buf: Buffer, end: number): void {
    let off = 0;
    while (off < end) off += writeSync(this.#fd, buf, off, end - off);
    this.#size += end;
  }

  /** Makes everything written so far durable. */
  sync(): Promise<void> {
    return fdatasyncFd(this.#fd);
  }

  /** Closes the current file and starts the next; returns the sequence of the closed one. */
  rotate(): number {
    const closed = this.#seq;
    closeSync(this.#fd);
    this.#seq++;
    this.#fd = this.#create();
    fsyncPath(this.#dir);
    return closed;
  }

  /** Deletes every file with a sequence ≤ `seq` other than the current one. */
  dropThrough(seq: number): void {
    for (const s of listWalFiles(this.#dir)) {
      if (s <= seq && s !== this.#seq) unlinkSync(walPath(this.#dir, s));
    }
    fsyncPath(this.#dir);
  }

  close(): void {
    closeSync(this.#fd);
  }
}
