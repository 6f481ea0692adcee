/**
 * @module
 * A parsed line that still refers to the bytes it was read as: its time and message are decoded
 * only when asked for. The tail input writes most records straight from these bytes into the
 * record's JSON (`inputs/tail/record-writer.ts`), so the common line costs no string at all;
 * everything else (multiline joining, logfmt and regex parsers) reads the text as before.
 */

import type { ParseCounts, ParsedLine } from './parser.js';
import { decodeText } from './utf8.js';

/**
 * A whole line's record: its time is `buf[timeStart, timeEnd)` (Latin-1, as the runtime wrote
 * it), or none when `timeStart` is -1; its message is `buf[textStart, textEnd)` (UTF-8). Valid
 * until the next call into the parser, as every {@link ParsedLine}: the read buffer is reused.
 */
export class ByteLine implements ParsedLine {
  readonly offset: number;
  readonly stream: string | undefined;
  readonly buf: Buffer;
  readonly timeStart: number;
  readonly timeEnd: number;
  readonly textStart: number;
  readonly textEnd: number;
  readonly #counts: ParseCounts;
  #message: string | undefined;

  constructor(
    offset: number,
    stream: string | undefined,
    buf: Buffer,
    timeStart: number,
    timeEnd: number,
    textStart: number,
    textEnd: number,
    counts: ParseCounts,
  ) {
    this.offset = offset;
    this.stream = stream;
    this.buf = buf;
    this.timeStart = timeStart;
    this.timeEnd = timeEnd;
    this.textStart = textStart;
    this.textEnd = textEnd;
    this.#counts = counts;
  }

  get time(): string | undefined {
    return this.timeStart < 0
      ? undefined
      : this.buf.toString('latin1', this.timeStart, this.timeEnd);
  }

  /** Decoded once; invalid UTF-8 is replaced and counted then. */
  get message(): string {
    this.#message ??= decodeText(this.buf, this.textStart, this.textEnd, this.#counts);
    return this.#message;
  }
}
