/**
 * @module
 * The parser stage: turns the lines of one file into records. A parser keeps state per file —
 * the partial lines it is joining, per output stream — so every file gets its own instance, and
 * tells the input where reading must resume after a restart so that a record it has begun
 * joining is read again whole.
 */

/** One record parsed from one or more lines. Valid until the next call into the parser. */
export interface ParsedLine {
  /** Byte offset of the record's first line in the file: the record's id is built from it. */
  offset: number;
  /** The time the line carries (RFC 3339, nanoseconds kept), or undefined if none. */
  time: string | undefined;
  /** `stdout` or `stderr` for container logs, undefined for plain files. */
  stream: string | undefined;
  message: string;
}

/** Counts a parser keeps for `/metrics`; it only increments them. */
export interface ParseCounts {
  /** Lines (or joined records) cut at the maximum size. */
  truncated: number;
  /** Records that held invalid UTF-8, replaced by U+FFFD. */
  invalidUtf8: number;
  /** Lines that did not have the parser's format and were taken as plain text. */
  malformed: number;
}

export interface LineParser {
  /**
   * Feeds one line: `buf[start, end)`, without its newline, found at byte `offset` of the file.
   * Finished records are pushed onto `out`.
   */
  push(buf: Buffer, start: number, end: number, offset: number, out: ParsedLine[]): void;
  /**
   * Where reading must resume so that no unfinished record is lost, given that every byte
   * before `consumed` has been pushed: the offset of the oldest pending partial line, else
   * `consumed`.
   */
  resumeFrom(consumed: number): number;
  /** Emits pending partial records as they are: the file will not grow any more. */
  flush(out: ParsedLine[]): void;
  /** Emits records waiting for more lines longer than their timeout (multiline joining). */
  flushIdle?(now: number, out: ParsedLine[]): void;
}

/** Options every parser takes. */
export interface ParserOptions {
  /** Longest message in bytes; a longer one is cut there and counted in `counts.truncated`. */
  maxMessageBytes: number;
  counts: ParseCounts;
}

export const PARSER_FORMATS = ['auto', 'cri', 'docker', 'raw'] as const;
export type ParserFormat = (typeof PARSER_FORMATS)[number];
