/**
 * @module
 * Multiline joining: lines that continue a record (the frames of a stack trace) are joined to
 * it with newlines. It runs on what the format parser made of the lines — after CRI `P`/docker
 * 16 KiB pieces were joined — in the same stage, and keeps one record per stream, so a stdout
 * line never lands inside a stderr stack trace however they interleave in the file.
 *
 * A record is finished when a line that does not continue it arrives on its stream, when its
 * stream has been quiet for `flushTimeoutMs` (the tail input asks on every poll), or when the
 * file ends. Until then reading resumes, after a restart, at the record's first line, so it is
 * read again whole and gets the same id.
 *
 * What continues a record: with `firstLine`, every line that does not match it; otherwise the
 * built-in rules' judgement ({@link MULTILINE_RULES}).
 */

import type { LineParser, ParsedLine, ParserOptions } from './parser.js';

/** Decides whether `line` continues a record that began with `first` and so far ends with `last`. */
type Continues = (first: string, last: string, line: string) => boolean;

const JAVA_FRAME =
  /^\s+at \S|^\s+\.\.\. \d+ (more|common frames omitted)|^Caused by: |^\s+Suppressed: /;
const NODE_FRAME = /^\s+at \S/;
const RUBY_FRAME = /^\s+from \S/;
const PYTHON_START = /^Traceback \(most recent call last\):/;
const PYTHON_EXCEPTION = /^[A-Za-z_][\w.]*(: .*)?$/;
const GO_START = /^(panic: |fatal error: )/;
const GO_FRAME =
  /^$|^goroutine \d+ \[|^\t|^[\w./*()[\]-]+\(.*\)$|^created by |^\[signal |^exit status \d+$|^\[recovered\]/;

/** Built-in rules for the stack traces of common runtimes. */
export const MULTILINE_RULES = {
  /** `Exception in thread …` / `java.lang.X: …` followed by `\tat …`, `... N more`, `Caused by:`. */
  java: (_first, _last, line) => JAVA_FRAME.test(line),
  /** `Traceback (most recent call last):`, indented `File …` and code lines, then `XError: …`. */
  python: (first, last, line) =>
    PYTHON_START.test(first) &&
    (/^\s/.test(line) || (/^\s/.test(last) && PYTHON_EXCEPTION.test(line))),
  /** `panic: …` or `fatal error: …`, a blank line, `goroutine N [running]:`, frames, `\t/file.go:12`. */
  go: (first, _last, line) => GO_START.test(first) && GO_FRAME.test(line),
  /** `TypeError: …` followed by `    at …` frames. */
  node: (_first, _last, line) => NODE_FRAME.test(line),
  /** ``app.rb:3:in `f': boom (RuntimeError)`` followed by ``\tfrom app.rb:7:in `<main>'`` frames. */
  ruby: (_first, _last, line) => RUBY_FRAME.test(line),
} satisfies Record<string, Continues>;

export type MultilineRule = keyof typeof MULTILINE_RULES;
export const MULTILINE_RULE_NAMES = Object.keys(MULTILINE_RULES) as MultilineRule[];

export interface MultilineOptions {
  /** A line matching it starts a record; others continue it. Overrides `rules`. */
  firstLine: RegExp | null;
  rules: readonly MultilineRule[];
  flushTimeoutMs: number;
}

interface Pending {
  offset: number;
  time: string | undefined;
  stream: string | undefined;
  first: string;
  last: string;
  parts: string[];
  bytes: number;
  truncated: boolean;
  at: number;
}

export class MultilineParser implements LineParser {
  readonly #inner: LineParser;
  readonly #options: ParserOptions;
  readonly #continues: Continues;
  readonly #flushTimeoutMs: number;
  /** The record being joined, per stream (`''` for files without streams). */
  readonly #pending = new Map<string, Pending>();
  readonly #lines: ParsedLine[] = [];

  /**
   * @example
   * const parser = new MultilineParser(new CriParser(o), o, { firstLine: null, rules: ['java'], flushTimeoutMs: 1000 });
   */
  constructor(inner: LineParser, options: ParserOptions, multiline: MultilineOptions) {
    this.#inner = inner;
    this.#options = options;
    this.#flushTimeoutMs = multiline.flushTimeoutMs;
    const re = multiline.firstLine;
    const rules = multiline.rules.map((r) => MULTILINE_RULES[r]);
    this.#continues =
      re !== null
        ? (_first, _last, line) => !re.test(line)
        : (first, last, line) => rules.some((r) => r(first, last, line));
  }

  push(buf: Buffer, start: number, end: number, offset: number, out: ParsedLine[]): void {
    this.#inner.push(buf, start, end, offset, this.#lines);
    this.#take(out);
  }

  resumeFrom(consumed: number): number {
    let min = this.#inner.resumeFrom(consumed);
    for (const p of this.#pending.values()) if (p.offset < min) min = p.offset;
    return min;
  }

  flush(out: ParsedLine[]): void {
    this.#inner.flush(this.#lines);
    this.#take(out);
    const all = [...this.#pending.values()].sort((a, b) => a.offset - b.offset);
    this.#pending.clear();
    for (const p of all) this.#emit(p, out);
  }

  /** Finishes the records whose stream has been quiet for the flush timeout. */
  flushIdle(now: number, out: ParsedLine[]): void {
    for (const [key, p] of this.#pending) {
      if (now - p.at < this.#flushTimeoutMs) continue;
      this.#pending.delete(key);
      this.#emit(p, out);
    }
  }

  #take(out: ParsedLine[]): void {
    const now = Date.now();
    for (const line of this.#lines) {
      const key = line.stream ?? '';
      const p = this.#pending.get(key);
      if (p !== undefined && this.#continues(p.first, p.last, line.message)) {
        this.#append(p, line.message);
        p.last = line.message;
        p.at = now;
        continue;
      }
      if (p !== undefined) this.#emit(p, out);
      this.#pending.set(key, {
        offset: line.offset,
        time: line.time,
        stream: line.stream,
        first: line.message,
        last: line.message,
        parts: [line.message],
        bytes: Buffer.byteLength(line.message, 'utf8'),
        truncated: false,
        at: now,
      });
    }
    this.#lines.length = 0;
  }

  #append(p: Pending, message: string): void {
    if (p.truncated) return;
    const bytes = Buffer.byteLength(message, 'utf8') + 1;
    if (p.bytes + bytes > this.#options.maxMessageBytes) {
      // Cut at the whole line that does not fit: a record never ends mid-line.
      p.truncated = true;
      this.#options.counts.truncated++;
      return;
    }
    p.parts.push(message);
    p.bytes += bytes;
  }

  #emit(p: Pending, out: ParsedLine[]): void {
    out.push({ offset: p.offset, time: p.time, stream: p.stream, message: p.parts.join('\n') });
  }
}
