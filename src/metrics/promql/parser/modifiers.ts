/**
 * @module
 * What may follow an expression: a range `[5m]`, a subquery `[1h:1m]`, `offset 5m` (negative
 * allowed) and `@ <time>` / `@ start()` / `@ end()`, in any order but each at most once, with
 * Prometheus' checks and messages ("no offset modifiers allowed before range", …). In Prometheus
 * 3 numbers and durations are interchangeable: `[90]` is `[1m30s]`, `offset 1.5` is 1500ms,
 * `@ 1m` is the timestamp 60, and a duration in an expression is a number of seconds.
 */

import type { Expr, MatrixSelector, NumberLiteral, SubqueryExpr, VectorSelector } from './ast.js';
import { parseDuration } from './duration.js';
import { formatFixed6, parseNumber } from './strconv.js';
import { tokenRange, type TokenStream } from './stream.js';
import type { Token } from './token.js';

/** Go's `math.Round`: halves round away from zero. */
const goRound = (x: number): number => Math.sign(x) * Math.round(Math.abs(x));

/**
 * A NUMBER or DURATION token as a number literal (seconds), plus its exact length in ms for use
 * as a duration. Bad numbers and durations are recorded as errors.
 *
 * @example
 * literal(s, { type: 'DURATION', pos: 0, text: '1m30s' }).ms; // 90000
 */
export function literal(s: TokenStream, t: Token): { node: NumberLiteral; ms: number } {
  let value = 0;
  let ms = 0;
  if (t.type === 'NUMBER') {
    const n = parseNumber(t.text);
    if ('error' in n) s.record(tokenRange(t), `error parsing number: ${n.error}`);
    else value = n.value;
    ms = goRound(value * 1000);
  } else {
    try {
      ms = parseDuration(t.text);
      if (ms === 0) s.record(tokenRange(t), 'duration must be greater than 0');
    } catch (err) {
      s.record(tokenRange(t), (err as Error).message);
    }
    value = ms / 1000;
  }
  return { node: { type: 'NumberLiteral', value, pos: tokenRange(t) }, ms };
}

const isNumberToken = (t: Token): boolean => t.type === 'NUMBER' || t.type === 'DURATION';

const withEnd = <T extends Expr>(e: T, end: number): T => {
  e.pos = { start: e.pos.start, end };
  return e;
};

/**
 * Parses `[range]` or `[range:step]` after `e`; the stream is at `[`.
 *
 * @example
 * parseBrackets(s, selector); // MatrixSelector or SubqueryExpr
 */
export function parseBrackets(s: TokenStream, e: Expr): MatrixSelector | SubqueryExpr {
  const open = s.next();
  s.push('subquery selector', 'number or duration');
  if (!isNumberToken(s.peek())) s.fail();
  const range = literal(s, s.next()).ms;
  s.pop();
  s.push('subquery or range', '":" or "]"');
  const close = s.accept('RIGHT_BRACKET');
  if (close !== null) {
    s.pop();
    return matrixSelector(s, e, range, open, close);
  }
  s.expect('COLON');
  s.pop();
  s.push('subquery selector', 'number or duration or "]"');
  let step = 0;
  if (isNumberToken(s.peek())) {
    step = literal(s, s.next()).ms;
    s.pop();
    s.push('subquery selector', '"]"');
  }
  s.expect('RIGHT_BRACKET');
  s.pop();
  const pos = { start: e.pos.start, end: s.lastEnd };
  return { type: 'SubqueryExpr', expr: e, range, step, offset: 0, at: null, pos };
}

function matrixSelector(
  s: TokenStream,
  e: Expr,
  range: number,
  open: Token,
  close: Token,
): MatrixSelector {
  let problem = '';
  if (e.type !== 'VectorSelector') problem = 'ranges only allowed for vector selectors';
  else if (e.offset !== 0) problem = 'no offset modifiers allowed before range';
  else if (typeof e.at === 'number') problem = 'no @ modifiers allowed before range';
  if (problem !== '') s.record({ start: open.pos, end: close.pos + 1 }, problem);
  // Only a failed parse ever holds a non-selector here; the error above makes sure of that.
  const vectorSelector = e as VectorSelector;
  return {
    type: 'MatrixSelector',
    vectorSelector,
    range,
    pos: { start: e.pos.start, end: s.lastEnd },
  };
}

/** The node an `offset` or `@` after `e` applies to, or null (error recorded). */
function modifierTarget(
  s: TokenStream,
  e: Expr,
  what: string,
): VectorSelector | SubqueryExpr | null {
  if (e.type === 'VectorSelector' || e.type === 'SubqueryExpr') return e;
  if (e.type === 'MatrixSelector') {
    if (e.vectorSelector.type === 'VectorSelector') return e.vectorSelector;
    s.record(e.pos, 'ranges only allowed for vector selectors');
    return null;
  }
  s.record(
    e.pos,
    `${what} must be preceded by an instant vector selector or range vector selector or a subquery`,
  );
  return null;
}

/**
 * Parses `offset [-]<duration>` after `e`; the stream is at `offset`.
 *
 * @example
 * parseOffset(s, selector).offset; // -300000 for `offset -5m`
 */
export function parseOffset(s: TokenStream, e: Expr): Expr {
  s.next();
  s.push('offset', 'number or duration');
  const negative = s.accept('SUB') !== null;
  if (!isNumberToken(s.peek())) s.fail();
  const ms = literal(s, s.next()).ms;
  s.pop();
  const target = modifierTarget(s, e, 'offset modifier');
  if (target === null) return e;
  if (target.offset !== 0) s.record(e.pos, 'offset may not be set multiple times');
  else target.offset = negative ? -ms : ms;
  return withEnd(e, s.lastEnd);
}

/**
 * Parses `@ <time>`, `@ start()` or `@ end()` after `e`; the stream is at `@`.
 *
 * @example
 * parseAt(s, selector).at; // 100000 for `@ 100`
 */
export function parseAt(s: TokenStream, e: Expr): Expr {
  s.next();
  s.push('@', 'timestamp');
  const t = s.peek();
  if (t.type === 'START' || t.type === 'END') {
    s.next();
    s.expect('LEFT_PAREN');
    s.expect('RIGHT_PAREN');
    s.pop();
    return setAt(s, e, t.type === 'START' ? 'start' : 'end');
  }
  const sign = s.accept('SUB') ?? s.accept('ADD');
  if (!isNumberToken(s.peek())) s.fail();
  const { value } = literal(s, s.next()).node;
  s.pop();
  const seconds = sign?.type === 'SUB' ? -value : value;
  if (!Number.isFinite(seconds) || seconds >= 2 ** 63 || seconds <= -(2 ** 63)) {
    s.record(e.pos, `timestamp out of bounds for @ modifier: ${formatFixed6(seconds)}`);
  }
  return setAt(s, e, goRound(seconds * 1000));
}

function setAt(s: TokenStream, e: Expr, at: number | 'start' | 'end'): Expr {
  const target = modifierTarget(s, e, '@ modifier');
  if (target === null) return e;
  if (target.at !== null) {
    s.record(e.pos, '@ <timestamp> may not be set multiple times');
    return e;
  }
  target.at = at;
  return withEnd(e, s.lastEnd);
}
