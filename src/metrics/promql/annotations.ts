/**
 * @module
 * Warnings and infos a query collects while it runs (Prometheus' `annotations`): deduplicated by
 * text, kept in the order first seen, each ending with the `line:col` of the expression that
 * caused it, as Prometheus prints them (`PromQL info: … (1:6)`).
 */

import { positionText, type PositionRange } from './parser/errors.js';

/**
 * The annotations of one query.
 *
 * @example
 * const notes = new Annotations('rate(x[5m])');
 * notes.info('metric might not be a counter, …: "x"', { start: 5, end: 10 });
 * notes.infos; // ['PromQL info: metric might not be a counter, …: "x" (1:6)']
 */
export class Annotations {
  readonly #query: string;
  readonly #warnings = new Set<string>();
  readonly #infos = new Set<string>();

  /** `query` is the text positions refer to. */
  constructor(query: string) {
    this.#query = query;
  }

  /**
   * Adds a `PromQL warning: <text> (line:col)`; `pos` null leaves the position out (storage
   * warnings).
   *
   * @example
   * notes.warn('quantile value should be between 0 and 1, got 2', e.pos);
   */
  warn(text: string, pos: PositionRange | null): void {
    this.#warnings.add(pos === null ? text : `PromQL warning: ${text} ${this.#where(pos)}`);
  }

  /**
   * Adds a `PromQL info: <text> (line:col)`.
   *
   * @example
   * notes.info('metric might not be a counter, name does not end in _total/_sum/_count/_bucket: "x"', pos);
   */
  info(text: string, pos: PositionRange): void {
    this.#infos.add(`PromQL info: ${text} ${this.#where(pos)}`);
  }

  get warnings(): string[] {
    return [...this.#warnings];
  }

  get infos(): string[] {
    return [...this.#infos];
  }

  #where(pos: PositionRange): string {
    return `(${positionText(this.#query, pos.start, 0)})`;
  }
}

/**
 * Go's `%g` for a float64 (shortest digits, exponent form below 1e-4 and from 1e6), as the
 * annotation texts format numbers.
 *
 * @example
 * formatG(1.5); // '1.5'
 * formatG(1e6); // '1e+06'
 */
export function formatG(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const [mantissa, e] = v.toExponential().split('e') as [string, string];
  const exp = Number(e);
  // Go switches to exponent form outside [1e-4, 1e6) for the shortest %g; JavaScript's own
  // text has no exponent in that range.
  if (exp >= -4 && exp < 6) return String(v);
  return `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
}
