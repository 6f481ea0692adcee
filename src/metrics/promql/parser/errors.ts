/**
 * @module
 * The PromQL parse error. Its message reads exactly like Prometheus':
 * `line:col: parse error: <what>`, where line and column are 1-based and the column counts UTF-8
 * bytes from the start of the line, as Prometheus (working on Go byte strings) counts them. The
 * position range itself is in UTF-16 offsets into the query, like every position in the AST.
 */

/** A half-open range `[start, end)` of UTF-16 offsets into the query. */
export interface PositionRange {
  readonly start: number;
  readonly end: number;
}

/**
 * Prometheus' `line:col` for an offset: `unknown position` for an empty query.
 *
 * @example
 * positionText('a +\n  b', 6, 0); // '2:3'
 */
export function positionText(query: string, offset: number, lineOffset: number): string {
  if (query === '') return 'unknown position';
  if (offset < 0 || offset > query.length) return 'invalid position';
  let line = lineOffset + 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (query.charCodeAt(i) === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return `${line}:${utf8Length(query, lineStart, offset) + 1}`;
}

function utf8Length(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < to) {
      // A surrogate pair is one 4-byte code point.
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/**
 * A query that does not parse or does not type-check. `err` is the bare reason, `message` the
 * full Prometheus text. `lineOffset` shifts the reported line, for queries embedded in larger
 * files (rule files, test scripts).
 *
 * @example
 * const e = new ParseError({ start: 4, end: 4 }, '(1))', `unexpected right parenthesis ')'`);
 * e.message; // "1:5: parse error: unexpected right parenthesis ')'"
 */
export class ParseError extends Error {
  constructor(
    readonly positionRange: PositionRange,
    readonly query: string,
    readonly err: string,
    readonly lineOffset = 0,
  ) {
    super(`${positionText(query, positionRange.start, lineOffset)}: parse error: ${err}`);
    this.name = 'ParseError';
  }

  /**
   * The same error, reported as if the query started `lines` lines further down.
   *
   * @example
   * new ParseError({ start: 0, end: 1 }, 'x', 'bad').withLineOffset(9).message; // '10:1: parse error: bad'
   */
  withLineOffset(lines: number): ParseError {
    return new ParseError(this.positionRange, this.query, this.err, lines);
  }
}
