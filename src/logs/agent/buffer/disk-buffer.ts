/**
 * @module
 * The disk buffer between the pipeline and one output: records in chunk files
 * (`<dir>/<sequence>.chunk`, frames of `chunk-format.ts`), written at the end and read from the
 * front, and the read position the output has acknowledged in `<dir>/ack.json`.
 *
 * - **Bounded.** While the unacknowledged bytes reach `maxBytes`, {@link DiskBuffer.append}
 *   waits, so the inputs stop reading (back-pressure) and nothing is dropped; the log files
 *   themselves hold what is not read yet. One batch may overshoot the bound.
 * - **Survives restarts.** A restart reads on from the acknowledged position, saved every
 *   second; records sent after it before a crash are sent again (with the same ids). Writing always starts a
 *   new chunk after a restart, so a frame a crash cut short can only be the last of an old chunk,
 *   where its checksum shows it and it is skipped.
 * - **Durability.** `append` resolves once its frames are handed to the OS: they survive a
 *   crash of the agent. {@link DiskBuffer.sync} fdatasyncs them; inputs call it before saving
 *   their positions, so a power loss cannot leave a position past records the buffer lost.
 */

import {
  closeSync,
  mkdirSync,
  openSync,
  read,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
  writevSync,
} from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fdatasyncFd } from '../../../lib/fs/fsync.js';
import {
  SinkClosedError,
  type AgentRecord,
  type BufferBatch,
  type RecordBuffer,
} from '../stage.js';
import { encodeFrame, recordsOf, scanFrames } from './chunk-format.js';

const readAsync = promisify(read);

export interface DiskBufferOptions {
  dir: string;
  /** Unacknowledged bytes at which `append` starts to wait. */
  maxBytes: number;
  /** Size at which a chunk file is closed and a new one begun; acknowledged chunks are deleted whole. */
  chunkBytes: number;
  /** Called for each chunk whose damaged tail was skipped (a crash mid-write, or disk damage). */
  onCorruptChunk?: (file: string, offset: number) => void;
}

/** A read position: chunk sequence number and byte offset in it. */
interface Pos {
  seq: number;
  offset: number;
}

/** Most records in one frame. */
const FRAME_RECORDS = 256;
/** What a read asks for, unless one frame is larger. */
const READ_PIECE_BYTES = 256 << 10;
/** Sizes of the read buffer and batches' buffers are rounded up to this, so that a spare one fits the next batch. */
const LEND_ROUNDING = 256 << 10;
/** Spare batch buffers kept: batches in flight and the one being read. */
const MAX_SPARE_BUFFERS = 4;
/** Larger batch buffers (`batch.max_size` is 4 MiB by default) are not kept for reuse. */
const MAX_POOLED_LEND_BYTES = 8 << 20;
const CHUNK_RE = /^(\d{16})\.chunk$/;
const ACK_SAVE_INTERVAL_MS = 1000;
const chunkName = (seq: number) => `${String(seq).padStart(16, '0')}.chunk`;

export class DiskBuffer implements RecordBuffer {
  /** Appended records are written to the chunk file before `append` returns. */
  readonly copiesRecords = true;
  readonly #o: DiskBufferOptions;
  /** Sequence numbers of the chunk files, oldest first; the last may be the one being written. */
  readonly #chunks: number[];
  /** Byte size of each chunk file. */
  readonly #sizes = new Map<number, number>();
  #writeFd: number | null = null;
  #writeSeq: number;
  #unsynced = false;
  /** fdatasyncs of sealed chunks still running; sync() waits for them too. */
  readonly #sealing = new Set<Promise<void>>();
  #read: Pos;
  #acked: Pos;
  #bytes = 0;
  #closed = false;
  #dataWaiters: (() => void)[] = [];
  #reading: { seq: number; fd: number } | null = null;
  /**
   * Reused for every read: a batch read gets a copy of its frames. Fresh multi-megabyte buffers
   * per batch cost page faults and kept the process' memory high between collections. Appends
   * need no buffer of their own: frames are written from the records' bytes (`writev`).
   */
  #readBuf = Buffer.alloc(0);
  /** Bytes per record in the frames read last, to size the next read. */
  #bytesPerRecord = 0;
  /**
   * The copies of frames that batches in flight refer to, in read order, each with the end of
   * its batch; an acknowledgement hands them back to {@link #spare} for later batches, so
   * sending makes no garbage buffers, which V8 frees only in full collections once they have
   * lived through a few young ones.
   */
  readonly #lent: { end: Pos; buf: Buffer }[] = [];
  readonly #spare: Buffer[] = [];
  /**
   * Size of every batch buffer: the largest a batch needed so far. Sized each by its own batch,
   * buffers of neighbouring sizes piled up as spares that did not fit the next batch (five of
   * ~1 MB where three were in use).
   */
  #lendBytes = 0;
  #ackDirty = false;
  #ackTimer: NodeJS.Timeout;
  #spaceWaiters: (() => void)[] = [];

  /**
   * Opens (creating) the buffer in `options.dir`.
   *
   * @throws {Error} when the directory or its acknowledgement file cannot be read.
   * @example
   * const buffer = DiskBuffer.open({ dir: 'data/buffer/vigil', maxBytes: 256 << 20, chunkBytes: 8 << 20 });
   */
  static open(options: DiskBufferOptions): DiskBuffer {
    mkdirSync(options.dir, { recursive: true });
    return new DiskBuffer(options);
  }

  private constructor(options: DiskBufferOptions) {
    this.#o = options;
    const seqs: number[] = [];
    for (const name of readdirSync(options.dir)) {
      const m = CHUNK_RE.exec(name);
      if (m !== null) seqs.push(Number(m[1]));
    }
    seqs.sort((a, b) => a - b);
    const acked = this.#readAck() ?? { seq: seqs[0] ?? 0, offset: 0 };
    this.#chunks = [];
    for (const seq of seqs) {
      const file = join(options.dir, chunkName(seq));
      if (seq < acked.seq) {
        unlinkSync(file);
        continue;
      }
      const size = statSync(file).size;
      this.#chunks.push(seq);
      this.#sizes.set(seq, size);
      this.#bytes += seq === acked.seq ? Math.max(0, size - acked.offset) : size;
    }
    this.#acked = acked;
    this.#read = { ...acked };
    this.#writeSeq = Math.max(acked.seq, seqs.at(-1) ?? 0) + 1;
    this.#ackTimer = setInterval(() => this.#saveAck(), ACK_SAVE_INTERVAL_MS);
    this.#ackTimer.unref();
  }

  get bytes(): number {
    return this.#bytes;
  }

  async append(records: readonly AgentRecord[], signal?: AbortSignal): Promise<void> {
    if (records.length === 0) return;
    while (this.#bytes >= this.#o.maxBytes && !this.#closed && signal?.aborted !== true) {
      await new Promise<void>((resolve) => {
        const onAbort = () => resolve();
        this.#spaceWaiters.push(() => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        });
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    }
    // Nothing was written yet, so refusing here leaves the records not taken, as promised.
    if (this.#closed || signal?.aborted === true) {
      throw new SinkClosedError(`buffer ${this.#o.dir}`);
    }
    // Frames of a few hundred records: a batch read takes whole frames, so a frame as large as
    // a tail's read (~1 MB of records) would make every batch hold at least that much.
    const pieces: Buffer[] = [];
    for (let i = 0; i < records.length; i += FRAME_RECORDS) {
      for (const piece of encodeFrame(records.slice(i, i + FRAME_RECORDS))) pieces.push(piece);
    }
    this.#write(pieces);
  }

  #write(pieces: Buffer[]): void {
    if (this.#writeFd === null) {
      const seq = this.#writeSeq;
      this.#writeFd = openSync(join(this.#o.dir, chunkName(seq)), 'a');
      this.#chunks.push(seq);
      this.#sizes.set(seq, 0);
    }
    let bytes = 0;
    for (const piece of pieces) bytes += piece.length;
    writevAll(this.#writeFd, pieces);
    const size = this.#sizes.get(this.#writeSeq)! + bytes;
    this.#sizes.set(this.#writeSeq, size);
    this.#bytes += bytes;
    this.#unsynced = true;
    if (size >= this.#o.chunkBytes) this.#sealChunk();
    for (const w of this.#dataWaiters.splice(0)) w();
  }

  async read(maxRecords: number, maxBytes: number, waitMs: number): Promise<BufferBatch> {
    for (;;) {
      const batch = await this.#tryRead(maxRecords, maxBytes);
      if (batch.records.length > 0 || waitMs <= 0 || this.#closed) return batch;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, waitMs);
        this.#dataWaiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
      waitMs = 0;
    }
  }

  async #tryRead(maxRecords: number, maxBytes: number): Promise<BufferBatch> {
    for (;;) {
      const { seq, offset } = this.#read;
      const size = this.#sizes.get(seq);
      const sealed = seq !== this.#writeSeq || this.#writeFd === null;
      if (size === undefined || offset >= size) {
        const next = this.#chunks.find((s) => s > seq);
        if (next === undefined || !sealed) return { records: [], end: { ...this.#read } };
        this.#read = { seq: next, offset: 0 };
        continue;
      }
      const file = join(this.#o.dir, chunkName(seq));
      // The batch may take this much; one frame larger than it is read alone.
      const limit = Math.min(maxBytes, size - offset);
      let own: Buffer | null = null;
      let used = 0;
      let count = 0;
      /** Length of the frame at `offset + used` when known to exceed what was read of it. */
      let needed = 0;
      let corrupt = false;
      // Frames are read a piece at a time and copied into the batch's own buffer as they check
      // out: the read buffer stays one piece, not a whole batch (1 MB at 2 000 records).
      while (count < maxRecords) {
        const at = offset + used;
        const room = count === 0 && needed > 0 ? size - at : limit - used;
        const want = Math.min(room, Math.max(READ_PIECE_BYTES, needed));
        if (want <= 0 || needed > want) break;
        if (this.#readBuf.length < want) this.#readBuf = Buffer.allocUnsafeSlow(want);
        const buf = this.#readBuf;
        const { bytesRead: got } = await readAsync(this.#readFd(seq), buf, 0, want, at);
        const d = scanFrames(buf, got, maxRecords - count);
        if (d.count === 0) {
          corrupt = d.corrupt;
          if (corrupt || d.needed <= needed || d.needed <= got) break;
          needed = d.needed;
          continue;
        }
        own = this.#batchBuffer(own, used, used + d.used, maxRecords);
        buf.copy(own, used, 0, d.used);
        used += d.used;
        count += d.count;
        needed = d.needed;
        // A damaged frame after good ones is found again at the start of the next read.
        if (d.corrupt) break;
      }
      if (count > 0) {
        this.#bytesPerRecord = used / count;
        this.#read = { seq, offset: offset + used };
        const end = { ...this.#read };
        // The records refer to bytes of their own: the read buffer is reused at once, and
        // batches in flight live on until acknowledged.
        this.#lent.push({ end, buf: own! });
        return { records: recordsOf(own!, used), end };
      }
      if (!sealed && !corrupt) return { records: [], end: { ...this.#read } };
      // A sealed chunk whose remaining bytes do not decode: a write cut short by a crash.
      this.#o.onCorruptChunk?.(file, offset);
      this.#bytes -= size - offset;
      this.#sizes.set(seq, offset);
    }
  }

  async ack(end: unknown): Promise<void> {
    const to = end as Pos;
    while (this.#lent.length > 0 && !after(this.#lent[0]!.end, to)) {
      this.#giveBack(this.#lent.shift()!.buf);
    }
    const from = this.#acked;
    const before = this.#bytes;
    const done: number[] = [];
    for (const seq of this.#chunks) {
      if (seq > to.seq) break;
      const size = this.#sizes.get(seq)!;
      const start = seq === from.seq ? from.offset : 0;
      const upto = seq === to.seq ? to.offset : size;
      this.#bytes -= Math.max(0, upto - start);
      if (seq < to.seq || (upto >= size && seq !== this.#writeSeq)) done.push(seq);
    }
    this.#acked = { ...to };
    this.#ackDirty = true;
    if (done.length > 0) {
      // Saved before deleting: a restart must not look for a deleted chunk.
      this.#saveAck();
      for (const seq of done) {
        this.#chunks.splice(this.#chunks.indexOf(seq), 1);
        this.#sizes.delete(seq);
        if (this.#reading?.seq === seq) {
          closeSync(this.#reading.fd);
          this.#reading = null;
        }
        unlinkSync(join(this.#o.dir, chunkName(seq)));
      }
    }
    if (this.#bytes < this.#o.maxBytes && before >= this.#o.maxBytes) {
      for (const w of this.#spaceWaiters.splice(0)) w();
    }
  }

  async sync(): Promise<void> {
    const pending = [...this.#sealing];
    if (this.#writeFd !== null && this.#unsynced) {
      this.#unsynced = false;
      pending.push(fdatasyncFd(this.#writeFd));
    }
    await Promise.all(pending);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    await this.sync();
    this.#closed = true;
    clearInterval(this.#ackTimer);
    this.#saveAck();
    if (this.#writeFd !== null) closeSync(this.#writeFd);
    this.#writeFd = null;
    if (this.#reading !== null) closeSync(this.#reading.fd);
    this.#reading = null;
    for (const w of [...this.#spaceWaiters.splice(0), ...this.#dataWaiters.splice(0)]) w();
  }

  /**
   * A batch's buffer of at least `bytes` holding `own[0, keep)`: `own` if it is large enough,
   * else a spare or new one, first sized for about what `maxRecords` records took so far.
   */
  #batchBuffer(own: Buffer | null, keep: number, bytes: number, maxRecords: number): Buffer {
    if (own !== null && own.length >= bytes) return own;
    const guess = own === null ? Math.ceil(this.#bytesPerRecord * maxRecords * 1.1) : 2 * bytes;
    const size = Math.ceil(Math.max(bytes, guess) / LEND_ROUNDING) * LEND_ROUNDING;
    if (size > this.#lendBytes && size <= MAX_POOLED_LEND_BYTES) {
      this.#lendBytes = size;
      this.#spare.length = 0;
    }
    // A batch past the usual sizes (a frame of huge records) gets a buffer of its own.
    const next =
      size > this.#lendBytes
        ? Buffer.allocUnsafeSlow(size)
        : (this.#spare.pop() ?? Buffer.allocUnsafeSlow(this.#lendBytes));
    if (own !== null) {
      own.copy(next, 0, 0, keep);
      this.#giveBack(own);
    }
    return next;
  }

  #giveBack(buf: Buffer): void {
    if (buf.length === this.#lendBytes && this.#spare.length < MAX_SPARE_BUFFERS) {
      this.#spare.push(buf);
    }
  }

  /** The descriptor of chunk `seq` for reading, kept open while the reader is in that chunk. */
  #readFd(seq: number): number {
    if (this.#reading?.seq !== seq) {
      if (this.#reading !== null) closeSync(this.#reading.fd);
      this.#reading = { seq, fd: openSync(join(this.#o.dir, chunkName(seq)), 'r') };
    }
    return this.#reading.fd;
  }

  #sealChunk(): void {
    // fdatasync before closing: the sync() of positions only covers the chunk being written.
    const fd = this.#writeFd!;
    this.#writeFd = null;
    this.#writeSeq++;
    this.#unsynced = false;
    const done = fdatasyncFd(fd).finally(() => {
      closeSync(fd);
      this.#sealing.delete(done);
    });
    this.#sealing.add(done);
  }

  #readAck(): Pos | null {
    let text: string;
    try {
      text = readFileSync(join(this.#o.dir, 'ack.json'), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new Error(`cannot read buffer position ${join(this.#o.dir, 'ack.json')}`, {
        cause: err,
      });
    }
    const p = JSON.parse(text) as Pos;
    if (!Number.isSafeInteger(p.seq) || !Number.isSafeInteger(p.offset)) {
      throw new Error(`cannot read buffer position ${join(this.#o.dir, 'ack.json')}: ${text}`);
    }
    return p;
  }

  // Saved every second, not per batch, and not fsynced: a crash or power loss then re-sends up
  // to a second of batches, which the destination deduplicates by id; a rename per batch cost
  // more than the rest of the buffer's work.
  #saveAck(): void {
    if (!this.#ackDirty) return;
    this.#ackDirty = false;
    const file = join(this.#o.dir, 'ack.json');
    writeFileSync(`${file}.tmp`, JSON.stringify(this.#acked));
    renameSync(`${file}.tmp`, file);
  }
}

/** Whether position `a` is past `b`. */
function after(a: Pos, b: Pos): boolean {
  return a.seq > b.seq || (a.seq === b.seq && a.offset > b.offset);
}

/** Writes all of `pieces` at the end of `fd`, going on after a short write. */
function writevAll(fd: number, pieces: Buffer[]): void {
  let rest = pieces;
  while (rest.length > 0) {
    let n = writevSync(fd, rest);
    let i = 0;
    while (i < rest.length && n >= rest[i]!.length) n -= rest[i++]!.length;
    rest = rest.slice(i);
    if (n > 0) rest[0] = rest[0]!.subarray(n);
  }
}
