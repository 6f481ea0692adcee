/**
 * @module
 * The Prometheus text format 0.0.4 (`text/plain`), read as Prometheus 3's lexer reads it, which is
 * looser than its documentation in a few places this scanner keeps on purpose so that whatever a
 * Prometheus server scrapes, Vigil scrapes:
 * - spaces and tabs may surround every token, including inside braces and around `=`;
 * - a comma between labels is optional and may trail; the value may touch the name (`foo+1`);
 * - label values and quoted names may hold raw line feeds (only `\` + line feed is refused);
 * - `# HELP` text starts one character after the name, whatever that character is, and a text of
 *   blanks only is empty; `# TYPE` text must match a type exactly (trailing blanks fail);
 * - a NUL where a line starts ends the body; a last line without a line feed is complete.
 * Carriage returns are not blanks: a `\r\n` body fails on its first value, as in Prometheus.
 */

import type { Entry, Scanner } from './entry.js';
import { describeToken } from './errors.js';
import type { EntryType, MetricType } from './interface.js';
import {
  ALLOW_LF,
  ALLOW_NUL,
  isLabelStart,
  isMetricChar,
  isMetricStart,
  keyword,
  labelNameEnd,
  lineEnd,
  metricNameEnd,
  skipBlanks,
  startsWith,
  word,
} from './lexing.js';
import { FLOAT_OK, FLOAT_RANGE, parseDigits, parseFloatInto } from './number.js';

const TYPES = (
  [
    ['counter', 'counter'],
    ['gauge', 'gauge'],
    ['histogram', 'histogram'],
    ['summary', 'summary'],
    ['untyped', 'unknown'],
  ] as const
).map(([w, type]): readonly [Uint8Array, MetricType] => [word(w), type]);
const HELP = word('HELP');
const TYPE = word('TYPE');

function isBlank(c: number | undefined): boolean {
  return c === 0x20 || c === 0x09;
}

/** Bytes that end a value token: `{`, blanks, line feed, NUL (and the end of input). */
function endsValue(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x7b || c === 0;
}

/** Reads the text exposition format; see the module comment for what it accepts. */
export class PromScanner implements Scanner {
  readonly #e: Entry;
  #pos = 0;

  constructor(entry: Entry) {
    this.#e = entry;
  }

  next(): EntryType | null {
    const b = this.#e.bytes;
    const n = b.length;
    let i = this.#pos;
    for (;;) {
      i = skipBlanks(b, i);
      if (i >= n) break;
      const c = b[i]!;
      if (c === 0x0a) {
        i++;
        continue;
      }
      if (c === 0) break;
      return c === 0x23 ? this.#hashLine(i) : this.#series(i);
    }
    this.#pos = n;
    return null;
  }

  #fail(at: number, detail: string): never {
    this.#e.fail(at, detail);
  }

  #got(at: number): string {
    return describeToken(this.#e.src, at);
  }

  /** A comment, or HELP / TYPE metadata (`#`, blanks, keyword, blanks). */
  #hashLine(i: number): EntryType {
    const e = this.#e;
    const b = e.bytes;
    const eol = lineEnd(b, i);
    this.#pos = eol + 1;
    if (isBlank(b[i + 1])) {
      const k = skipBlanks(b, i + 1);
      const help = startsWith(b, k, HELP);
      if ((help || startsWith(b, k, TYPE)) && isBlank(b[k + 4])) {
        return this.#metadata(help ? 'help' : 'type', skipBlanks(b, k + 4), eol);
      }
    }
    e.metaTextStart = i;
    e.metaTextEnd = eol;
    e.metaEscapes = 'none';
    return (e.kind = 'comment');
  }

  #metadata(kind: 'help' | 'type', i: number, eol: number): EntryType {
    const e = this.#e;
    const b = e.bytes;
    let nameEnd: number;
    if (isMetricStart(b[i])) {
      nameEnd = metricNameEnd(b, i);
      e.metaNameStart = i;
      e.metaNameEnd = nameEnd;
      e.metaNameQuoted = false;
    } else if (b[i] === 0x22) {
      nameEnd = this.#e.quoted(i, ALLOW_LF, 'metric name');
      e.metaNameStart = i + 1;
      e.metaNameEnd = nameEnd - 1;
      e.metaNameQuoted = true;
    } else {
      this.#fail(i, `expected metric name after ${kind.toUpperCase()}, got ${this.#got(i)}`);
    }
    // A quoted name may span lines: the text runs to the end of the line the name ends on.
    if (nameEnd > eol) this.#pos = (eol = lineEnd(b, nameEnd)) + 1;
    // The text starts one character after the name (normally the blank) and is empty when it
    // holds nothing but blanks.
    let start = Math.min(nameEnd + 1, eol);
    if (skipBlanks(b, start) === eol) start = eol;
    if (kind === 'type') {
      const type = keyword(b, start, eol, TYPES);
      if (type === undefined) {
        this.#fail(start, `invalid metric type ${JSON.stringify(e.src.slice(start, eol))}`);
      }
      e.metaType = e.lastType = type;
    } else {
      if (!e.src.isValid(start, eol)) this.#fail(start, 'invalid UTF-8 in HELP text');
      e.metaTextStart = start;
      e.metaTextEnd = eol;
      e.metaEscapes = 'help';
    }
    return (e.kind = kind);
  }

  #series(i: number): EntryType {
    const e = this.#e;
    const b = e.bytes;
    const n = b.length;
    let j = this.#recognise(i);
    e.isExpected = j >= 0;
    e.spansPending = j >= 0;
    if (j < 0) j = this.#seriesText(i);

    const vs = skipBlanks(b, j);
    let ve = vs;
    while (ve < n && !endsValue(b[ve]!)) ve++;
    if (ve === vs) this.#fail(vs, `expected value, got ${this.#got(vs)}`);
    const status = parseFloatInto(b, vs, ve, e.numbers);
    if (status !== FLOAT_OK) {
      const v = JSON.stringify(e.src.slice(vs, ve));
      this.#fail(vs, status === FLOAT_RANGE ? `value ${v} out of range` : `invalid value ${v}`);
    }

    e.hasTimestamp = false;
    e.hasExemplar = false;
    j = skipBlanks(b, ve);
    let d = b[j]!;
    if (d >= 0x30 && d <= 0x39) {
      const ts = j;
      while (++j < n && (d = b[j]!) >= 0x30 && d <= 0x39);
      const ms = parseDigits(b, ts, j);
      if (Number.isNaN(ms)) {
        this.#fail(ts, `timestamp ${JSON.stringify(e.src.slice(ts, j))} out of range`);
      }
      e.numbers[1] = ms;
      e.hasTimestamp = true;
      j = skipBlanks(b, j);
      if (j < n && b[j] !== 0x0a) {
        this.#fail(j, `expected end of line after timestamp, got ${this.#got(j)}`);
      }
    } else if (j < n && d !== 0x0a) {
      this.#fail(j, `expected timestamp or end of line, got ${this.#got(j)}`);
    }
    this.#pos = j + 1;
    return (e.kind = 'series');
  }

  readSpans(): void {
    this.#seriesText(this.#e.seriesStart);
  }

  /**
   * The end of the series at `i` when it is the expected one, else -1. Its bytes were read as a
   * series before, so equal bytes read the same way again, provided they end the series here as
   * they did there: a text ending in `}` does; a bare name does unless a name character or
   * blanks and `{` follow.
   */
  #recognise(i: number): number {
    const e = this.#e;
    const x = e.expected;
    if (x === null) return -1;
    const b = e.bytes;
    const from = e.expectedStart;
    const len = e.expectedEnd - from;
    const end = i + len;
    if (len === 0 || end > b.length) return -1;
    for (let k = 0; k < len; k++) if (b[i + k] !== x[from + k]) return -1;
    if (x[from + len - 1] !== 0x7d && (isMetricChar(b[end]) || b[skipBlanks(b, end)] === 0x7b)) {
      return -1;
    }
    e.seriesStart = i;
    e.seriesEnd = end;
    return end;
  }

  /** Reads the series text at `i` (name and labels, into the spans); returns its end. */
  #seriesText(i: number): number {
    const e = this.#e;
    const b = e.bytes;
    e.seriesStart = i;
    e.nameStart = -1;
    e.nameQuoted = false;
    e.labelSpans.count = 0;
    let j: number;
    const c = b[i]!;
    if (isMetricStart(c)) {
      j = metricNameEnd(b, i);
      e.nameStart = i;
      e.nameEnd = j;
      e.seriesEnd = j;
      const k = skipBlanks(b, j);
      if (b[k] === 0x7b) j = e.seriesEnd = this.#labels(k);
    } else if (c === 0x7b) {
      j = e.seriesEnd = this.#labels(i);
    } else {
      this.#fail(i, `expected metric name, comment or blank line, got ${this.#got(i)}`);
    }
    if (e.nameStart < 0) this.#fail(i, 'series has no metric name');
    return j;
  }

  /**
   * Reads `{…}` at `i` into the label spans (and the metric name, when a quoted string stands
   * alone) and returns the offset past `}`.
   */
  #labels(i: number): number {
    const e = this.#e;
    const b = e.bytes;
    let j = skipBlanks(b, i + 1);
    for (;;) {
      let c = b[j];
      if (c === 0x7d) return j + 1;
      const ns = j;
      let ne: number;
      let quoted = false;
      if (isLabelStart(c)) {
        ne = j = labelNameEnd(b, j);
      } else if (c === 0x22) {
        j = this.#e.quoted(j, ALLOW_LF, 'label name');
        ne = j - 1;
        quoted = true;
      } else {
        this.#fail(j, `expected label name or "}", got ${this.#got(j)}`);
      }
      j = skipBlanks(b, j);
      c = b[j];
      if (quoted && (c === 0x2c || c === 0x7d)) {
        e.setQuotedName(ns, ne);
        if (c === 0x7d) return j + 1;
        j = skipBlanks(b, j + 1);
        continue;
      }
      if (c !== 0x3d) this.#fail(j, `expected "=" after label name, got ${this.#got(j)}`);
      if (quoted && ne === ns + 1) this.#fail(ns, 'empty label name');
      j = skipBlanks(b, j + 1);
      if (b[j] !== 0x22) this.#fail(j, `expected quoted label value, got ${this.#got(j)}`);
      const ve = this.#e.quoted(j, ALLOW_LF | ALLOW_NUL, 'label value');
      e.labelSpans.push(quoted ? ns + 1 : ns, ne, j + 1, ve - 1);
      j = skipBlanks(b, ve);
      if (b[j] === 0x2c) j = skipBlanks(b, j + 1);
    }
  }
}
