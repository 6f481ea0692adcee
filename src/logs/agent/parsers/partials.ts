/**
 * @module
 * Joining the pieces of a long line that a container runtime wrote as several partial lines
 * (CRI `P` lines, docker's 16 KiB `log` pieces), kept apart per output stream: stdout and stderr
 * interleave in one file, and a piece of one must never end up inside a line of the other.
 * The pieces are joined as bytes and decoded once, because a split may fall inside a UTF-8
 * character.
 */

import { ByteLine } from './byte-line.js';
import type { ParsedLine, ParserOptions } from './parser.js';
import { decodeText } from './utf8.js';

interface Pending {
  offset: number;
  time: string;
  parts: Buffer[];
  bytes: number;
}

/** The partial records of one file, one per stream name. */
export class PartialJoiner {
  readonly #options: ParserOptions;
  readonly #pending = new Map<string, Pending>();

  constructor(options: ParserOptions) {
    this.#options = options;
  }

  /**
   * Adds one piece of `stream`'s current record: `buf[start, end)`, read at `offset`, carrying
   * `time`. With `last`, the record is finished and pushed onto `out`.
   */
  add(
    stream: string,
    time: string,
    buf: Buffer,
    start: number,
    end: number,
    offset: number,
    last: boolean,
    out: ParsedLine[],
  ): void {
    const max = this.#options.maxMessageBytes;
    const p = this.#pending.get(stream);
    if (p === undefined && last) {
      // The common case, a whole line: no copy.
      if (end - start > max) {
        end = start + max;
        this.#options.counts.truncated++;
      }
      out.push({
        offset,
        time,
        stream,
        message: decodeText(buf, start, end, this.#options.counts),
      });
      return;
    }
    const entry = p ?? { offset, time, parts: [], bytes: 0 };
    if (p === undefined) this.#pending.set(stream, entry);
    const room = max - entry.bytes;
    if (room > 0) {
      const take = Math.min(room, end - start);
      // Copied: the read buffer is reused for the next chunk of the file.
      entry.parts.push(Buffer.from(buf.subarray(start, start + take)));
      entry.bytes += take;
      if (take < end - start) this.#options.counts.truncated++;
    }
    if (last) {
      this.#pending.delete(stream);
      this.#emit(stream, entry, out);
    }
  }

  /**
   * {@link add} for a line whose time is still bytes, `buf[timeStart, timeEnd)`: a whole line with
   * nothing pending becomes a {@link ByteLine}, decoded only if a later stage asks.
   */
  addBytes(
    stream: string,
    buf: Buffer,
    timeStart: number,
    timeEnd: number,
    start: number,
    end: number,
    offset: number,
    last: boolean,
    out: ParsedLine[],
  ): void {
    if (last && !this.#pending.has(stream)) {
      if (end - start > this.#options.maxMessageBytes) {
        end = start + this.#options.maxMessageBytes;
        this.#options.counts.truncated++;
      }
      out.push(
        new ByteLine(offset, stream, buf, timeStart, timeEnd, start, end, this.#options.counts),
      );
      return;
    }
    const time = buf.toString('latin1', timeStart, timeEnd);
    this.add(stream, time, buf, start, end, offset, last, out);
  }

  /** The offset of the oldest unfinished record, or undefined when none is pending. */
  oldestOffset(): number | undefined {
    let min: number | undefined;
    for (const p of this.#pending.values()) if (min === undefined || p.offset < min) min = p.offset;
    return min;
  }

  /** Emits every unfinished record as it is, oldest first. */
  flush(out: ParsedLine[]): void {
    const all = [...this.#pending].sort((a, b) => a[1].offset - b[1].offset);
    this.#pending.clear();
    for (const [stream, p] of all) this.#emit(stream, p, out);
  }

  #emit(stream: string, p: Pending, out: ParsedLine[]): void {
    if (isAscii(p.time)) {
      // The time joins the pieces' bytes, so the record is written from bytes like a whole line.
      const time = Buffer.from(p.time, 'latin1');
      const joined = Buffer.concat([time, ...p.parts], time.length + p.bytes);
      const counts = this.#options.counts;
      out.push(
        new ByteLine(p.offset, stream, joined, 0, time.length, time.length, joined.length, counts),
      );
      return;
    }
    const joined = p.parts.length === 1 ? p.parts[0]! : Buffer.concat(p.parts, p.bytes);
    out.push({
      offset: p.offset,
      time: p.time,
      stream,
      message: decodeText(joined, 0, joined.length, this.#options.counts),
    });
  }
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}
