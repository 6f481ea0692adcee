/**
 * @module
 * Vector selectors and label lists: `name{label="v", "utf8.label"=~"re", "utf8.name"}` and the
 * `by (…)`, `on (…)`, `group_left (…)` label lists. Keywords may serve as metric and label
 * names where Prometheus allows it (`sum by (and, offset) (by)`), and quoted names follow
 * Prometheus 3's UTF-8 syntax: a lone quoted string in braces is the metric name.
 */

import { InvalidRegexError, Matcher, type MatchType } from '../../model/matcher.js';
import type { VectorSelector } from './ast.js';
import { goRegexError } from '../../model/regex-error.js';
import { goQuote, unquote } from './strconv.js';
import { tokenRange, type TokenStream } from './stream.js';
import type { Token, TokenType } from './token.js';

/** Tokens that can be a metric name before braces (Prometheus' `metric_identifier`). */
export const METRIC_NAME_TOKENS: ReadonlySet<TokenType> = new Set<TokenType>([
  'IDENTIFIER',
  'METRIC_IDENTIFIER',
  'AVG',
  'BOTTOMK',
  'BY',
  'COUNT',
  'COUNT_VALUES',
  'GROUP',
  'LAND',
  'LOR',
  'LUNLESS',
  'MAX',
  'MIN',
  'OFFSET',
  'QUANTILE',
  'STDDEV',
  'STDVAR',
  'SUM',
  'TOPK',
  'WITHOUT',
  'START',
  'END',
  'LIMITK',
  'LIMIT_RATIO',
]);

/** Tokens that can be a label name in a label list (Prometheus' `maybe_label`). */
const LABEL_TOKENS: ReadonlySet<TokenType> = new Set<TokenType>([
  ...[...METRIC_NAME_TOKENS].filter((t) => t !== 'WITHOUT'),
  'BOOL',
  'GROUP_LEFT',
  'GROUP_RIGHT',
  'IGNORING',
  'ON',
  'ATAN2',
]);

const MATCH_OPS: Partial<Record<TokenType, MatchType>> = {
  EQL: '=',
  NEQ: '!=',
  EQL_REGEX: '=~',
  NEQ_REGEX: '!~',
};

/**
 * Parses `name`, `name{…}` or `{…}` at the stream's position (the first token is known to fit).
 *
 * @example
 * parseVectorSelector(new TokenStream('up{job="a"}')).matchers.length; // 2
 */
export function parseVectorSelector(s: TokenStream): VectorSelector {
  let name = '';
  let start = s.peek().pos;
  let end = start;
  if (s.peek().type !== 'LEFT_BRACE') {
    const t = s.next();
    name = t.text;
    end = s.lastEnd;
  }
  const matchers: Matcher[] = [];
  if (s.peek().type === 'LEFT_BRACE') {
    const brace = s.peek();
    parseLabelMatchers(s, matchers);
    if (name === '') start = brace.pos;
    end = s.lastEnd;
  }
  if (name !== '') matchers.push(new Matcher('=', '__name__', name));
  return { type: 'VectorSelector', name, matchers, offset: 0, at: null, pos: { start, end } };
}

function parseLabelMatchers(s: TokenStream, out: Matcher[]): void {
  s.next();
  if (s.accept('RIGHT_BRACE')) return;
  for (;;) {
    out.push(parseLabelMatcher(s));
    s.push('label matching', '"," or "}"');
    if (s.accept('RIGHT_BRACE')) break;
    if (s.peek().type !== 'COMMA') s.fail();
    s.next();
    s.pop();
    if (s.accept('RIGHT_BRACE')) return;
  }
  s.pop();
}

function parseLabelMatcher(s: TokenStream): Matcher {
  const first = s.peek();
  if (first.type === 'IDENTIFIER') {
    s.next();
    s.push('label matching', 'label matching operator');
    const op = matchOp(s);
    s.pop();
    return labelMatcher(s, first, first.text, op);
  }
  if (first.type === 'STRING') {
    s.next();
    const name = unquote(first.text);
    if (MATCH_OPS[s.peek().type] === undefined) return new Matcher('=', '__name__', name);
    return labelMatcher(s, first, name, matchOp(s));
  }
  s.push('label matching', 'identifier or "}"');
  return s.fail();
}

function matchOp(s: TokenStream): MatchType {
  return MATCH_OPS[s.peek().type] ?? s.fail();
}

function labelMatcher(s: TokenStream, nameToken: Token, name: string, op: MatchType): Matcher {
  s.next();
  s.push('label matching', 'string');
  const value = s.expect('STRING');
  s.pop();
  const text = unquote(value.text);
  const range = { start: nameToken.pos, end: s.lastEnd };
  const syntax = op === '=~' || op === '!~' ? goRegexError(text) : null;
  if (syntax !== null) {
    s.record(range, syntax);
    return new Matcher('=', name, text);
  }
  try {
    return new Matcher(op, name, text);
  } catch (err) {
    if (!(err instanceof InvalidRegexError)) throw err;
    s.record(range, `error parsing regexp: ${(err.cause as Error).message}`);
    return new Matcher('=', name, text);
  }
}

/**
 * Parses `(label, "quoted label", …)` with an optional trailing comma; the stream is at the
 * token that must be `(`.
 *
 * @example
 * parseGroupingLabels(new TokenStream('(job, "a.b",)')); // ['job', 'a.b']
 */
export function parseGroupingLabels(s: TokenStream): string[] {
  s.push('grouping opts', '"("');
  s.expect('LEFT_PAREN');
  s.pop();
  const labels: string[] = [];
  if (s.accept('RIGHT_PAREN')) return labels;
  for (;;) {
    s.push('grouping opts', 'label');
    const t = s.peek();
    if (LABEL_TOKENS.has(t.type)) {
      labels.push(s.next().text);
    } else if (t.type === 'STRING') {
      s.next();
      const name = unquote(t.text);
      if (name === '') {
        s.record(tokenRange(t), `invalid label name for grouping: ${goQuote(name)}`);
      }
      labels.push(name);
    } else {
      s.fail();
    }
    s.pop();
    s.push('grouping opts', '"," or ")"');
    if (s.accept('RIGHT_PAREN')) break;
    if (s.peek().type !== 'COMMA') s.fail();
    s.next();
    s.pop();
    if (s.accept('RIGHT_PAREN')) return labels;
  }
  s.pop();
  return labels;
}
