/**
 * @module
 * OpenMetrics 1.0 text (`application/openmetrics-text`), as strict as its ABNF and Prometheus'
 * lexer: tokens are separated by exactly one space and nothing else (no tabs, no blank lines, no
 * trailing blanks), lines end in a line feed, the only `#` lines are HELP, TYPE, UNIT and the
 * closing `# EOF`, which must be there and must be last. Timestamps are float seconds, read into
 * milliseconds as Prometheus does (times 1000, truncated toward zero). A sample may carry one
 * exemplar, ` # {labels} value [timestamp]`. On top of what Prometheus checks, the family rules
 * of {@link FamilyTracker} apply.
 */

import { describeToken } from './errors.js';
import type { Entry, Scanner, Spans } from './entry.js';
import { FamilyTracker } from './families.js';
import type { EntryType, MetricType } from './interface.js';
import {
  ALLOW_LF,
  ALLOW_NUL,
  isLabelStart,
  isMetricStart,
  keyword,
  labelNameEnd,
  metricNameEnd,
  startsWith,
  word,
} from './lexing.js';
import { FLOAT_OK, FLOAT_RANGE, parseFloatInto } from './number.js';

const TYPES = (
  [
    'counter',
    'gauge',
    'histogram',
    'gaugehistogram',
    'summary',
    'info',
    'stateset',
    'unknown',
  ] as const
).map((t): readonly [Uint8Array, MetricType] => [word(t), t]);
const EOF = word('EOF');
const HELP = word('HELP ');
const TYPE = word('TYPE ');
const UNIT = word('UNIT ');
const EXEMPLAR = word(' # {');

/** Where each number of a line goes in `Entry.numbers`, and what error messages call it. */
const VALUE = 0;
const TIMESTAMP = 1;
const EXEMPLAR_VALUE = 2;
const EXEMPLAR_TIMESTAMP = 3;
const WHAT = ['value', 'timestamp', 'exemplar value', 'exemplar timestamp'];

/** Reads OpenMetrics text; see the module comment for what it accepts. */
export class OpenMetricsScanner implements Scanner {
  readonly #e: Entry;
  readonly #families: FamilyTracker;
  #pos = 0;
  #done = false;

  constructor(entry: Entry) {
    this.#e = entry;
    this.#families = new FamilyTracker(entry.src);
  }

  next(): EntryType | null {
    if (this.#done) return null;
    const b = this.#e.bytes;
    const i = this.#pos;
    if (i >= b.length) this.#fail(i, 'missing "# EOF" at end of input');
    const c = b[i]!;
    if (c === 0x23) return this.#hashLine(i);
    if (isMetricStart(c) || c === 0x7b) return this.#sample(i);
    this.#fail(
      i,
      `expected metric name, "# HELP", "# TYPE", "# UNIT" or "# EOF", got ${this.#got(i)}`,
    );
  }

  #fail(at: number, detail: string): never {
    this.#e.fail(at, detail);
  }

  #got(at: number): string {
    return describeToken(this.#e.src, at);
  }

  /** Fails unless byte `at` is `c`; `what` says what was expected. */
  #expect(at: number, c: number, what: string): void {
    if (this.#e.bytes[at] !== c) this.#fail(at, `expected ${what}, got ${this.#got(at)}`);
  }

  #hashLine(i: number): EntryType {
    const e = this.#e;
    const b = e.bytes;
    this.#expect(i + 1, 0x20, '" " after "#"');
    const k = i + 2;
    if (startsWith(b, k, EOF)) {
      let end = k + 3;
      if (b[end] === 0x0a) end++;
      if (end < b.length) this.#fail(end, 'unexpected data after "# EOF"');
      this.#done = true;
      this.#pos = end;
      return (e.kind = 'eof');
    }
    const kind = startsWith(b, k, HELP)
      ? 'help'
      : startsWith(b, k, TYPE)
        ? 'type'
        : startsWith(b, k, UNIT)
          ? 'unit'
          : null;
    if (kind === null) this.#fail(k, `expected HELP, TYPE, UNIT or EOF, got ${this.#got(k)}`);
    return this.#metadata(kind, k + 5);
  }

  #metadata(kind: 'help' | 'type' | 'unit', i: number): EntryType {
    const e = this.#e;
    const b = e.bytes;
    const c = b[i];
    let nameEnd: number;
    if (isMetricStart(c)) {
      nameEnd = metricNameEnd(b, i);
      e.metaNameStart = i;
      e.metaNameEnd = nameEnd;
      e.metaNameQuoted = false;
    } else if (c === 0x22) {
      nameEnd = this.#e.quoted(i, ALLOW_LF, 'metric name');
      e.metaNameStart = i + 1;
      e.metaNameEnd = nameEnd - 1;
      e.metaNameQuoted = true;
    } else {
      this.#fail(i, `expected metric name after ${kind.toUpperCase()}, got ${this.#got(i)}`);
    }
    this.#expect(nameEnd, 0x20, '" " after metric name');
    const start = nameEnd + 1;
    const eol = b.indexOf(0x0a, start);
    if (eol === -1) this.#fail(b.length, 'missing "# EOF" at end of input');
    this.#pos = eol + 1;
    e.metaTextStart = start;
    e.metaTextEnd = eol;
    e.metaEscapes = kind === 'help' ? 'label' : 'none';
    let value = '';
    if (kind === 'type') {
      const type = keyword(b, start, eol, TYPES);
      if (type === undefined) {
        this.#fail(start, `invalid metric type ${JSON.stringify(e.src.slice(start, eol))}`);
      }
      e.metaType = e.lastType = value = type;
    } else if (kind === 'help') {
      if (!e.src.isValid(start, eol)) this.#fail(start, 'invalid UTF-8 in HELP text');
    } else if (start < eol) {
      value = e.metaText();
      const name = e.metaName();
      if (!name.endsWith(`_${value}`)) {
        this.#fail(
          start,
          `unit ${JSON.stringify(value)} is not a suffix of metric family name ${JSON.stringify(name)}`,
        );
      }
    }
    const err = this.#families.metadata(
      kind,
      value,
      e.metaNameStart,
      e.metaNameEnd,
      e.metaNameQuoted,
    );
    if (err !== null) this.#fail(i, err);
    return (e.kind = kind);
  }

  readSpans(): void {
    // Never pending: every sample is read in full (see Parser.next's guess).
  }

  #sample(i: number): EntryType {
    const e = this.#e;
    const b = e.bytes;
    e.seriesStart = i;
    e.nameStart = -1;
    e.nameQuoted = false;
    e.labelSpans.count = 0;
    e.hasTimestamp = false;
    e.hasExemplar = false;
    let j: number;
    if (b[i] === 0x7b) {
      j = this.#labels(i, e.labelSpans, true);
    } else {
      j = metricNameEnd(b, i);
      e.nameStart = i;
      e.nameEnd = j;
      if (b[j] === 0x7b) j = this.#labels(j, e.labelSpans, true);
    }
    e.seriesEnd = j;
    if (e.nameStart < 0) this.#fail(i, 'series has no metric name');
    const err = this.#families.sample(e.nameStart, e.nameEnd, e.nameQuoted);
    if (err !== null) this.#fail(e.nameStart, err);

    j = this.#number(j, VALUE);
    if (b[j] === 0x20 && !startsWith(b, j, EXEMPLAR)) {
      j = this.#number(j, TIMESTAMP);
      e.hasTimestamp = true;
    }
    if (startsWith(b, j, EXEMPLAR)) j = this.#exemplar(j + 3);
    this.#endOfLine(j);
    return (e.kind = 'series');
  }

  /**
   * Reads ` number` at `i` (the space included) into `numbers[slot]` and returns the offset past
   * it. Timestamps become milliseconds.
   */
  #number(i: number, slot: number): number {
    const e = this.#e;
    const b = e.bytes;
    this.#expect(i, 0x20, `" " before ${WHAT[slot]}`);
    const start = i + 1;
    let end = start;
    let c: number;
    while (end < b.length && (c = b[end]!) !== 0x20 && c !== 0x0a) end++;
    if (end === start) this.#fail(start, `expected ${WHAT[slot]}, got ${this.#got(start)}`);
    const status = parseFloatInto(b, start, end, e.numbers, slot);
    if (status !== FLOAT_OK) this.#badNumber(start, end, slot, status === FLOAT_RANGE);
    if (slot === TIMESTAMP || slot === EXEMPLAR_TIMESTAMP) {
      const seconds = e.numbers[slot]!;
      if (!Number.isFinite(seconds)) this.#badNumber(start, end, slot, false);
      // `+ 0` turns the -0 of a small negative time into 0, as Go's int64 conversion does.
      e.numbers[slot] = Math.trunc(seconds * 1000) + 0;
    }
    return end;
  }

  #badNumber(start: number, end: number, slot: number, range: boolean): never {
    const token = JSON.stringify(this.#e.src.slice(start, end));
    this.#fail(
      start,
      range ? `${WHAT[slot]} ${token} out of range` : `invalid ${WHAT[slot]} ${token}`,
    );
  }

  /** Reads the exemplar whose `{` is at `i`; returns the offset past it. */
  #exemplar(i: number): number {
    const e = this.#e;
    e.exemplarSpans.count = 0;
    let j = this.#labels(i, e.exemplarSpans, false);
    j = this.#number(j, EXEMPLAR_VALUE);
    e.hasExemplar = true;
    e.hasExemplarTimestamp = e.bytes[j] === 0x20;
    if (e.hasExemplarTimestamp) j = this.#number(j, EXEMPLAR_TIMESTAMP);
    return j;
  }

  #endOfLine(j: number): void {
    if (j >= this.#e.bytes.length) this.#fail(j, 'missing "# EOF" at end of input');
    this.#expect(j, 0x0a, 'line feed');
    this.#pos = j + 1;
  }

  /**
   * Reads `{…}` at `i` into `spans` and returns the offset past `}`. In a series a quoted string
   * standing alone is the metric name; exemplar labels have no metric name and no line feeds.
   */
  #labels(i: number, spans: Spans, series: boolean): number {
    const e = this.#e;
    const b = e.bytes;
    const what = series ? '' : 'exemplar ';
    const allowName = series ? ALLOW_LF : 0;
    let j = i + 1;
    for (;;) {
      let c = b[j];
      if (c === 0x7d) return j + 1;
      const ns = j;
      let ne: number;
      let quoted = false;
      if (isLabelStart(c)) {
        ne = j = labelNameEnd(b, j);
      } else if (c === 0x22) {
        j = this.#e.quoted(j, allowName, `${what}label name`);
        ne = j - 1;
        quoted = true;
      } else {
        this.#fail(j, `expected ${what}label name or "}", got ${this.#got(j)}`);
      }
      c = b[j];
      if (series && quoted && (c === 0x2c || c === 0x7d)) {
        e.setQuotedName(ns, ne);
        if (c === 0x7d) return j + 1;
        j++;
        continue;
      }
      if (c !== 0x3d) this.#fail(j, `expected "=" after ${what}label name, got ${this.#got(j)}`);
      if (quoted && ne === ns + 1) this.#fail(ns, `empty ${what}label name`);
      j++;
      this.#expect(j, 0x22, `quoted ${what}label value`);
      const ve = this.#e.quoted(j, ALLOW_NUL, `${what}label value`);
      spans.push(quoted ? ns + 1 : ns, ne, j + 1, ve - 1);
      j = ve;
      c = b[j];
      if (c === 0x2c) {
        j++;
      } else if (c !== 0x7d) {
        this.#fail(j, `expected "," or "}" after ${what}label value, got ${this.#got(j)}`);
      }
    }
  }
}
