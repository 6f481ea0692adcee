/**
 * @module
 * The current entry, as byte offsets into the body: what a format's scanner fills in on
 * `next()` and what the parser's accessors read. Label names and values are kept as spans in a
 * reused Int32Array, so scanning a series allocates nothing; `labels()` and `exemplar()` turn the
 * spans into strings (unescaping, sorting, checking for duplicate names) only when asked.
 */

import { Labels } from '../labels.js';
import { compareUtf8 } from '../../../lib/strings/utf8-order.js';
import { ParseError } from './errors.js';
import type { EntryType, Exemplar, MetricType } from './interface.js';
import { scanQuoted, unescape } from './lexing.js';
import { formatOpenMetricsFloat, parseGoFloat } from './number.js';
import type { Source } from './source.js';

/** Four byte offsets per label: name start and end, value start and end (quotes excluded). */
const SPAN = 4;

/** Label spans of one label set, grown on demand and reused from line to line. */
export class Spans {
  data = new Int32Array(SPAN * 16);
  count = 0;

  push(nameStart: number, nameEnd: number, valueStart: number, valueEnd: number): void {
    let d = this.data;
    const k = this.count * SPAN;
    if (k === d.length) {
      d = new Int32Array(d.length * 2);
      d.set(this.data);
      this.data = d;
    }
    d[k] = nameStart;
    d[k + 1] = nameEnd;
    d[k + 2] = valueStart;
    d[k + 3] = valueEnd;
    this.count++;
  }
}

/**
 * The mutable record both scanners write and the parser reads. Fields are plain (not private)
 * because the record is the contract between the two halves; nothing outside this folder sees
 * it.
 */
export class Entry {
  readonly src: Source;
  readonly bytes: Uint8Array;
  kind: EntryType | null = null;
  /** The error a scanner failed with: every later `next()` throws it again. */
  error: ParseError | null = null;

  /** The series' extent in the body, without its value. */
  seriesStart = 0;
  seriesEnd = 0;
  /** The metric name's extent, quotes excluded; `nameQuoted` when it may hold escapes. */
  nameStart = 0;
  nameEnd = 0;
  nameQuoted = false;
  readonly labelSpans = new Spans();
  /** [value, timestamp ms, exemplar value, exemplar timestamp ms]: no boxed numbers per line. */
  readonly numbers = new Float64Array(4);
  hasTimestamp = false;

  /**
   * The series the caller expects next (its text in an earlier body), or null: a scanner may
   * recognise it by its bytes instead of reading its labels.
   */
  expected: Uint8Array | null = null;
  expectedStart = 0;
  expectedEnd = 0;
  /** The current series is the expected one. */
  isExpected = false;
  /** The name and label spans of the current series are not filled in (it was recognised). */
  spansPending = false;

  hasExemplar = false;
  hasExemplarTimestamp = false;
  readonly exemplarSpans = new Spans();

  /**
   * For metadata and comment entries: spans, decoded only when asked (a scraper that already
   * knows a family's metadata never reads them).
   */
  metaNameStart = 0;
  metaNameEnd = 0;
  metaNameQuoted = false;
  metaTextStart = 0;
  metaTextEnd = 0;
  /** How the text is escaped: not at all (comments, units), `\\` and `\n`, or those and `\"`. */
  metaEscapes: 'none' | 'help' | 'label' = 'none';
  metaType: MetricType = 'unknown';
  /**
   * The type of the last TYPE line, even for series of other families: Prometheus normalizes
   * `le` and `quantile` values by it, and a series must get the same labels here as there.
   */
  lastType: MetricType = 'unknown';

  constructor(src: Source) {
    this.src = src;
    this.bytes = src.bytes;
  }

  /** Fails the parse at byte `at`: no entry is current any more, and the error sticks. */
  fail(at: number, detail: string): never {
    this.kind = null;
    throw (this.error = new ParseError(this.src, at, detail));
  }

  /**
   * Takes the quoted string at `[start, end]` (quotes included) inside braces as the metric
   * name, as both formats allow `{"my.metric", a="b"}`; fails if the line named one already.
   */
  setQuotedName(start: number, end: number): void {
    if (this.nameStart >= 0) this.fail(start, 'metric name already set');
    if (end === start + 1) this.fail(start, 'empty metric name');
    this.nameStart = start + 1;
    this.nameEnd = end;
    this.nameQuoted = true;
  }

  /**
   * Scans a quoted string at `i` (the opening quote) and returns the offset past it, or fails
   * naming `what`: unterminated, a byte `allow` does not permit, or invalid UTF-8.
   */
  quoted(i: number, allow: number, what: string): number {
    const end = scanQuoted(this.bytes, i, allow);
    if (end < 0) {
      const at = -1 - end;
      if (at >= this.bytes.length) this.fail(i, `unterminated quoted ${what}`);
      this.fail(at, this.bytes[at] === 0 ? `NUL in quoted ${what}` : `line feed in quoted ${what}`);
    }
    if (!this.src.isValid(i, end)) this.fail(i, `invalid UTF-8 in quoted ${what}`);
    return end;
  }

  /** The metric name of the current series, unescaped. */
  metricName(): string {
    const raw = this.src.slice(this.nameStart, this.nameEnd);
    return this.nameQuoted ? unescape(raw, true) : raw;
  }

  metaName(): string {
    const raw = this.src.slice(this.metaNameStart, this.metaNameEnd);
    return this.metaNameQuoted ? unescape(raw, true) : raw;
  }

  metaText(): string {
    const raw = this.src.slice(this.metaTextStart, this.metaTextEnd);
    return this.metaEscapes === 'none' ? raw : unescape(raw, this.metaEscapes === 'label');
  }

  labels(): Labels {
    const pairs = this.#pairs(this.labelSpans, true);
    return Labels.fromSorted(pairs.filter((p) => p[1] !== ''));
  }

  exemplar(): Exemplar | null {
    if (!this.hasExemplar) return null;
    const pairs = this.#pairs(this.exemplarSpans, false);
    return {
      labels: Labels.fromSorted(pairs.filter((p) => p[1] !== '')),
      value: this.numbers[2]!,
      timestamp: this.hasExemplarTimestamp ? this.numbers[3]! : null,
    };
  }

  /** Unescaped pairs sorted by name (UTF-8 order), with the metric name when `series`. */
  #pairs(spans: Spans, series: boolean): [string, string][] {
    const src = this.src;
    const d = spans.data;
    const pairs: [string, string][] = [];
    /** Where each pair's name starts, to point a duplicate-name error at the later one. */
    const at: number[] = [];
    if (series) {
      pairs.push(['__name__', this.metricName()]);
      at.push(this.nameStart);
    }
    const normalize = !series
      ? null
      : this.lastType === 'histogram'
        ? 'le'
        : this.lastType === 'summary'
          ? 'quantile'
          : null;
    for (let k = 0; k < spans.count * SPAN; k += SPAN) {
      const name = unescape(src.slice(d[k]!, d[k + 1]!), true);
      let value = unescape(src.slice(d[k + 2]!, d[k + 3]!), true);
      if (name === normalize) {
        const f = parseGoFloat(value);
        if (f !== undefined) value = formatOpenMetricsFloat(f);
      }
      pairs.push([name, value]);
      at.push(d[k]!);
    }
    const order = pairs.map((_, i) => i);
    order.sort((a, b) => compareUtf8(pairs[a]![0], pairs[b]![0]) || a - b);
    for (let i = 1; i < order.length; i++) {
      const name = pairs[order[i]!]![0];
      if (name === pairs[order[i - 1]!]![0]) {
        throw new ParseError(src, at[order[i]!]!, `duplicate label name ${JSON.stringify(name)}`);
      }
    }
    return order.map((i) => pairs[i]!);
  }
}

/** One format's line reader: fills the shared {@link Entry} and says what it found. */
export interface Scanner {
  /** Reads the next entry into the record; null at the end of the input. Throws ParseError. */
  next(): EntryType | null;
  /** Fills the name and label spans of the current series, left pending when recognised. */
  readSpans(): void;
}
