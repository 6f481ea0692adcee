/**
 * @module
 * PromQL tokens: `{type, pos, text}`. Type names are Prometheus' own item names (`IDENTIFIER`,
 * `LEFT_PAREN`, `LAND`, …) so that grammar discussions, Prometheus' sources and this code use one
 * vocabulary. `pos` is the UTF-16 offset of the token's first character in the input; `text` is
 * the token exactly as written (for `ERROR`, the lexer's message). {@link describeToken} gives
 * the wording Prometheus uses for a token in "unexpected …" errors.
 */

import { goQuote, goQuotePrefix } from './strconv.js';

export const OPERATORS = {
  ADD: '+',
  SUB: '-',
  MUL: '*',
  DIV: '/',
  MOD: '%',
  POW: '^',
  EQLC: '==',
  NEQ: '!=',
  LTE: '<=',
  LSS: '<',
  GTE: '>=',
  GTR: '>',
  EQL_REGEX: '=~',
  NEQ_REGEX: '!~',
  AT: '@',
  ATAN2: 'atan2',
  LAND: 'and',
  LOR: 'or',
  LUNLESS: 'unless',
} as const;

export const AGGREGATORS = {
  AVG: 'avg',
  BOTTOMK: 'bottomk',
  COUNT: 'count',
  COUNT_VALUES: 'count_values',
  GROUP: 'group',
  MAX: 'max',
  MIN: 'min',
  QUANTILE: 'quantile',
  STDDEV: 'stddev',
  STDVAR: 'stdvar',
  SUM: 'sum',
  TOPK: 'topk',
  LIMITK: 'limitk',
  LIMIT_RATIO: 'limit_ratio',
} as const;

export const KEYWORDS = {
  BOOL: 'bool',
  BY: 'by',
  GROUP_LEFT: 'group_left',
  GROUP_RIGHT: 'group_right',
  IGNORING: 'ignoring',
  OFFSET: 'offset',
  ON: 'on',
  WITHOUT: 'without',
} as const;

/** `start` and `end` of `@ start()` / `@ end()`. */
export const PREPROCESSORS = { START: 'start', END: 'end' } as const;

const PUNCTUATION = {
  LEFT_PAREN: '(',
  RIGHT_PAREN: ')',
  LEFT_BRACE: '{',
  RIGHT_BRACE: '}',
  LEFT_BRACKET: '[',
  RIGHT_BRACKET: ']',
  COMMA: ',',
  EQL: '=',
  COLON: ':',
} as const;

export type OperatorType = keyof typeof OPERATORS;
export type AggregatorType = keyof typeof AGGREGATORS;
export type KeywordType = keyof typeof KEYWORDS;

export type TokenType =
  | 'EOF'
  | 'ERROR'
  | 'COMMENT'
  | 'IDENTIFIER'
  | 'METRIC_IDENTIFIER'
  | 'NUMBER'
  | 'DURATION'
  | 'STRING'
  | keyof typeof PUNCTUATION
  | OperatorType
  | AggregatorType
  | KeywordType
  | keyof typeof PREPROCESSORS;

export interface Token {
  readonly type: TokenType;
  readonly pos: number;
  readonly text: string;
}

/** Lower-cased word → token type, for the lexer's keyword lookup. `inf`/`nan` are numbers. */
export const WORDS: ReadonlyMap<string, TokenType> = new Map<string, TokenType>([
  ...(Object.entries(OPERATORS).filter(([, w]) => /^[a-z]/.test(w)) as [TokenType, string][]).map(
    ([t, w]) => [w, t] as const,
  ),
  ...Object.entries({ ...AGGREGATORS, ...KEYWORDS, ...PREPROCESSORS }).map(
    ([t, w]) => [w, t as TokenType] as const,
  ),
  ['inf', 'NUMBER'],
  ['nan', 'NUMBER'],
]);

const isIn = (table: object, type: TokenType): boolean => Object.hasOwn(table, type);

export const isOperator = (t: TokenType): t is OperatorType => isIn(OPERATORS, t);
export const isAggregator = (t: TokenType): t is AggregatorType => isIn(AGGREGATORS, t);
export const isKeyword = (t: TokenType): t is KeywordType => isIn(KEYWORDS, t);

const FIXED: ReadonlySet<TokenType> = new Set([
  ...(Object.keys(PUNCTUATION) as TokenType[]),
  ...(Object.keys(OPERATORS) as TokenType[]),
  ...(Object.keys(AGGREGATORS) as TokenType[]),
  ...(Object.keys(KEYWORDS) as TokenType[]),
  ...(Object.keys(PREPROCESSORS) as TokenType[]),
]);

const KIND: Partial<Record<TokenType, string>> = {
  IDENTIFIER: 'identifier',
  METRIC_IDENTIFIER: 'metric identifier',
  STRING: 'string',
  NUMBER: 'number',
  DURATION: 'duration',
  COMMENT: 'comment',
  ERROR: 'error',
};

/**
 * How Prometheus names a token in "unexpected …" errors: `<op:+>`, `<by>`, `<aggr:sum>`,
 * `"("`, `identifier "foo"`, `end of input`.
 *
 * @example
 * describeToken({ type: 'ADD', pos: 0, text: '+' }); // '<op:+>'
 * describeToken({ type: 'IDENTIFIER', pos: 0, text: 'foo' }); // 'identifier "foo"'
 */
export function describeToken(t: Token): string {
  if (t.type === 'EOF') return 'end of input';
  if (FIXED.has(t.type)) return tokenText(t);
  return `${KIND[t.type] ?? t.type} ${tokenText(t)}`;
}

function tokenText(t: Token): string {
  if (t.type === 'IDENTIFIER' || t.type === 'METRIC_IDENTIFIER') return goQuote(t.text);
  if (isKeyword(t.type)) return `<${t.text}>`;
  if (isOperator(t.type)) return `<op:${t.text}>`;
  if (isAggregator(t.type)) return `<aggr:${t.text}>`;
  // Go compares the byte length with 10 but truncates to 10 runes.
  if (new TextEncoder().encode(t.text).length > 10) return goQuotePrefix(t.text, 10) + '...';
  return goQuote(t.text);
}
