/**
 * @module
 * The pull-parser contract shared by the two text exposition formats (Prometheus text 0.0.4 and
 * OpenMetrics 1.0), like Prometheus' `model/textparse/interface.go`. A parser walks one body
 * entry by entry: `next()` reports the kind of the entry it stopped at and the accessors describe
 * that entry until the following `next()`. Accessors only do work when they are called, so a
 * caller that reads `series()` and `value()` pays for neither label strings nor sorting: that is
 * the scraper's steady state, where the raw series text is the key of its cache.
 */

import type { Labels } from '../labels.js';

/** What `next()` stopped at. `'eof'` is OpenMetrics' `# EOF` line; the text format has none. */
export type EntryType = 'series' | 'type' | 'help' | 'unit' | 'comment' | 'eof';

/**
 * A metric family's type, spelled as OpenMetrics spells it. The text format's `untyped` reads as
 * `'unknown'`, as Prometheus records it.
 */
export type MetricType =
  | 'counter'
  | 'gauge'
  | 'histogram'
  | 'gaugehistogram'
  | 'summary'
  | 'info'
  | 'stateset'
  | 'unknown';

/** An OpenMetrics exemplar: a label set (often a trace id) and a value seen by one sample. */
export interface Exemplar {
  readonly labels: Labels;
  readonly value: number;
  /** Milliseconds since the epoch, or null when the exemplar carries none. */
  readonly timestamp: number | null;
}

/**
 * Reads one exposition body. Not reentrant, and every call is synchronous.
 *
 * Lifetime: the accessors describe the entry the last `next()` returned and must only be called
 * for that kind of entry (`series()` after `'series'`, `help()` after `'help'`, …); what they
 * return are plain strings and numbers that stay valid after `next()`. Once `next()` has thrown,
 * every further call throws the same error.
 */
export interface Parser {
  /**
   * The body as the parser reads it, UTF-8: the caller's own bytes when the body was given as
   * bytes (not copied), else the string's encoding. Never modified.
   */
  readonly bytes: Uint8Array;
  /**
   * Advances to the next entry and returns its kind, or null at the end of the input.
   * Blank lines (text format) are skipped. Throws {@link ParseError} on invalid input; for
   * OpenMetrics that includes a body without `# EOF` and anything after it.
   */
  next(): EntryType | null;
  /**
   * {@link next} with a guess: the caller expects the next series to be the one whose text is
   * `expected[start, end)`, which this parser's format read as a series's text in an earlier
   * body. When the next entry is that series, {@link isExpected} says so and the parser may have
   * recognised it by its bytes instead of reading its labels. The guess must be such a text: a
   * parser trusts it. A parser may also ignore it (OpenMetrics does: its family checks need
   * every name).
   */
  next(expected: Uint8Array, start: number, end: number): EntryType | null;
  /**
   * For `'series'`: the series exactly as it appeared, `name{labels}` without the value, so equal
   * text means an equal label set (a stable cache key).
   */
  series(): string;
  /**
   * For `'series'`: where {@link series}'s text lies in {@link bytes}, `[seriesStart(),
   * seriesEnd())`. Equal bytes mean an equal series, so a caller that kept the previous body can
   * recognise a series without making its string (the scraper's steady state).
   */
  seriesStart(): number;
  /** For `'series'`: the end of {@link series}'s text in {@link bytes}, exclusive. */
  seriesEnd(): number;
  /** For `'series'`: whether it is the series {@link next} was told to expect. */
  isExpected(): boolean;
  /**
   * For `'series'`: the label set, with the metric name as `__name__`, sorted; labels with empty
   * values are dropped. Builds strings, so call it only for series the caller has not seen. Throws
   * {@link ParseError} when a label name appears twice.
   */
  labels(): Labels;
  /**
   * For `'series'`: the sample value. The text `NaN` gives the NaN whose bits are Go's
   * `0x7ff8000000000001` ({@link NORMAL_NAN}); keep it in a Float64Array to keep those bits.
   */
  value(): number;
  /**
   * For `'series'`: the sample's timestamp in milliseconds, or null when the line has none.
   * Text format: an integer of milliseconds. OpenMetrics: float seconds, times 1000 and truncated
   * toward zero as Prometheus does.
   */
  timestamp(): number | null;
  /** For `'type'`: the metric family name and its type. */
  type(): [name: string, type: MetricType];
  /** For `'help'`: the metric family name and its help text, unescaped. */
  help(): [name: string, text: string];
  /** For `'unit'`: the metric family name and its unit (OpenMetrics only). */
  unit(): [name: string, unit: string];
  /** For `'comment'`: the whole comment line, `#` included (text format only). */
  comment(): string;
  /** For `'series'`: the OpenMetrics exemplar of the line, or null when it has none. */
  exemplar(): Exemplar | null;
}
