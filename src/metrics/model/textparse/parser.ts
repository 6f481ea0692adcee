/**
 * @module
 * The way in: `createParser(body, contentType)` picks the format from the Content-Type and
 * returns a {@link Parser}. One class serves both formats; it owns the decoded body and the
 * current {@link Entry}, and hands the reading of lines to the format's {@link Scanner}.
 */

import type { Labels } from '../labels.js';
import { Entry, type Scanner } from './entry.js';
import type { EntryType, Exemplar, MetricType, Parser } from './interface.js';
import { OpenMetricsScanner } from './openmetrics.js';
import { PromScanner } from './prom.js';
import { Source } from './source.js';

export type { EntryType, Exemplar, MetricType, Parser } from './interface.js';
export { ParseError } from './errors.js';
export { NORMAL_NAN } from './number.js';

/** The exposition formats this folder reads. */
export type Format = 'openmetrics' | 'text';

/**
 * The format a Content-Type names: its media type (before any `;`, any case) is
 * `application/openmetrics-text` for OpenMetrics; anything else reads as the text format.
 * Prometheus 3 refuses other media types unless the scrape config names a fallback; choosing
 * to do so is the scraper's business, which can test the header itself.
 *
 * @example
 * formatOf('application/openmetrics-text; version=1.0.0; charset=utf-8'); // 'openmetrics'
 * formatOf('text/plain; version=0.0.4'); // 'text'
 */
export function formatOf(contentType: string): Format {
  const semi = contentType.indexOf(';');
  const media = (semi === -1 ? contentType : contentType.slice(0, semi)).trim().toLowerCase();
  return media === 'application/openmetrics-text' ? 'openmetrics' : 'text';
}

class ExpositionParser implements Parser {
  readonly #entry: Entry;
  readonly #scanner: Scanner;

  constructor(entry: Entry, scanner: Scanner) {
    this.#entry = entry;
    this.#scanner = scanner;
  }

  next(expected?: Uint8Array, start = 0, end = 0): EntryType | null {
    const e = this.#entry;
    if (e.error !== null) throw e.error;
    e.expected = expected ?? null;
    e.expectedStart = start;
    e.expectedEnd = end;
    const kind = this.#scanner.next();
    if (kind === null) e.kind = null;
    return kind;
  }

  #expect(kind: EntryType): Entry {
    const e = this.#entry;
    if (e.kind !== kind) {
      throw new Error(`cannot read ${kind}: the current entry is ${e.kind ?? 'none'}`);
    }
    return e;
  }

  get bytes(): Uint8Array {
    return this.#entry.bytes;
  }

  series(): string {
    const e = this.#expect('series');
    return e.src.slice(e.seriesStart, e.seriesEnd);
  }

  seriesStart(): number {
    return this.#expect('series').seriesStart;
  }

  seriesEnd(): number {
    return this.#expect('series').seriesEnd;
  }

  isExpected(): boolean {
    return this.#expect('series').isExpected;
  }

  labels(): Labels {
    const e = this.#expect('series');
    if (e.spansPending) {
      this.#scanner.readSpans();
      e.spansPending = false;
    }
    return e.labels();
  }

  value(): number {
    return this.#expect('series').numbers[0]!;
  }

  timestamp(): number | null {
    const e = this.#expect('series');
    return e.hasTimestamp ? e.numbers[1]! : null;
  }

  exemplar(): Exemplar | null {
    return this.#expect('series').exemplar();
  }

  type(): [string, MetricType] {
    const e = this.#expect('type');
    return [e.metaName(), e.metaType];
  }

  help(): [string, string] {
    const e = this.#expect('help');
    return [e.metaName(), e.metaText()];
  }

  unit(): [string, string] {
    const e = this.#expect('unit');
    return [e.metaName(), e.metaText()];
  }

  comment(): string {
    return this.#expect('comment').metaText();
  }
}

/**
 * A parser for `body` in the format `contentType` names (see {@link formatOf}). The body is read
 * as UTF-8; a string body is encoded first.
 *
 * @example
 * const p = createParser('# TYPE up gauge\nup{job="node"} 1\n', 'text/plain; version=0.0.4');
 * for (let kind = p.next(); kind !== null; kind = p.next()) {
 *   if (kind === 'series') console.log(p.series(), p.value()); // 'up{job="node"}' 1
 * }
 */
export function createParser(body: Uint8Array | string, contentType: string): Parser {
  const entry = new Entry(new Source(body));
  const scanner =
    formatOf(contentType) === 'openmetrics'
      ? new OpenMetricsScanner(entry)
      : new PromScanner(entry);
  return new ExpositionParser(entry, scanner);
}
