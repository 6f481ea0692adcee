/**
 * @module
 * The PromQL syntax tree: a discriminated union on `type`, one interface per node kind, shaped
 * like Prometheus' `promql/parser` AST. Every node carries `pos`, the `[start, end)` UTF-16 range
 * of its text in the query. Times are milliseconds: `offset` (negative looks ahead), `range`,
 * `step` (0 = the default evaluation interval), and `at` (a timestamp, or `'start'`/`'end'` of the
 * query range, or null). Operators and value types use their PromQL spelling, which is also their
 * wire form (`'vector'`, `'matrix'` as in API `resultType`).
 */

import type { Matcher } from '../../model/matcher.js';
import type { PositionRange } from './errors.js';
import type { FunctionDef } from './functions.js';

export type ValueType = 'scalar' | 'vector' | 'matrix' | 'string';

export type ArithmeticOp = '+' | '-' | '*' | '/' | '%' | '^' | 'atan2';
export type ComparisonOp = '==' | '!=' | '>' | '<' | '>=' | '<=';
export type SetOp = 'and' | 'or' | 'unless';
export type BinaryOp = ArithmeticOp | ComparisonOp | SetOp;

export type AggregateOp =
  | 'sum'
  | 'avg'
  | 'count'
  | 'min'
  | 'max'
  | 'group'
  | 'stddev'
  | 'stdvar'
  | 'topk'
  | 'bottomk'
  | 'count_values'
  | 'quantile'
  | 'limitk'
  | 'limit_ratio';

/** `@` modifier: a timestamp in ms, the start or end of the query range, or none. */
export type AtModifier = number | 'start' | 'end' | null;

export type VectorMatchCardinality = 'one-to-one' | 'many-to-one' | 'one-to-many' | 'many-to-many';

export interface VectorMatching {
  card: VectorMatchCardinality;
  /** The labels of `on(…)` or `ignoring(…)`. */
  matchingLabels: string[];
  /** True for `on`, false for `ignoring` (or no clause). */
  on: boolean;
  /** The labels of `group_left(…)`/`group_right(…)`, copied from the "one" side. */
  include: string[];
}

export interface NumberLiteral {
  type: 'NumberLiteral';
  value: number;
  pos: PositionRange;
}

export interface StringLiteral {
  type: 'StringLiteral';
  value: string;
  pos: PositionRange;
}

export interface VectorSelector {
  type: 'VectorSelector';
  /** The metric name written before the braces; '' when there is none. */
  name: string;
  /** Every matcher; a name before the braces comes last, as `__name__="name"`. */
  matchers: Matcher[];
  offset: number;
  at: AtModifier;
  pos: PositionRange;
}

export interface MatrixSelector {
  type: 'MatrixSelector';
  /** Holds the offset and `@` of the range too. */
  vectorSelector: VectorSelector;
  range: number;
  pos: PositionRange;
}

export interface SubqueryExpr {
  type: 'SubqueryExpr';
  expr: Expr;
  range: number;
  step: number;
  offset: number;
  at: AtModifier;
  pos: PositionRange;
}

export interface Call {
  type: 'Call';
  func: FunctionDef;
  args: Expr[];
  pos: PositionRange;
}

export interface AggregateExpr {
  type: 'AggregateExpr';
  op: AggregateOp;
  expr: Expr;
  /** The first argument of topk, bottomk, quantile, count_values, limitk, limit_ratio. */
  param: Expr | null;
  grouping: string[];
  without: boolean;
  pos: PositionRange;
}

export interface BinaryExpr {
  type: 'BinaryExpr';
  op: BinaryOp;
  lhs: Expr;
  rhs: Expr;
  /** `bool` on a comparison: return 0/1 instead of filtering. */
  returnBool: boolean;
  /** How series pair up; null unless both sides are instant vectors. */
  vectorMatching: VectorMatching | null;
  pos: PositionRange;
}

export interface UnaryExpr {
  type: 'UnaryExpr';
  op: '+' | '-';
  expr: Expr;
  pos: PositionRange;
}

export interface ParenExpr {
  type: 'ParenExpr';
  expr: Expr;
  pos: PositionRange;
}

export type Expr =
  | NumberLiteral
  | StringLiteral
  | VectorSelector
  | MatrixSelector
  | SubqueryExpr
  | Call
  | AggregateExpr
  | BinaryExpr
  | UnaryExpr
  | ParenExpr;

/**
 * The type an expression evaluates to, as Prometheus' `Expr.Type()`.
 *
 * @example
 * valueType({ type: 'NumberLiteral', value: 1, pos: { start: 0, end: 1 } }); // 'scalar'
 */
export function valueType(e: Expr): ValueType {
  switch (e.type) {
    case 'NumberLiteral':
      return 'scalar';
    case 'StringLiteral':
      return 'string';
    case 'VectorSelector':
    case 'AggregateExpr':
      return 'vector';
    case 'MatrixSelector':
    case 'SubqueryExpr':
      return 'matrix';
    case 'Call':
      return e.func.returnType;
    case 'BinaryExpr':
      return valueType(e.lhs) === 'scalar' && valueType(e.rhs) === 'scalar' ? 'scalar' : 'vector';
    case 'UnaryExpr':
    case 'ParenExpr':
      return valueType(e.expr);
  }
}

/**
 * How Prometheus names a value type in messages: `instant vector`, `range vector`, `scalar`,
 * `string`.
 *
 * @example
 * documentedType('matrix'); // 'range vector'
 */
export function documentedType(t: ValueType): string {
  if (t === 'vector') return 'instant vector';
  if (t === 'matrix') return 'range vector';
  return t;
}

/**
 * The direct sub-expressions of a node, in source order.
 *
 * @example
 * children(parseExpr('a + b')).length; // 2
 */
export function children(e: Expr): Expr[] {
  switch (e.type) {
    case 'NumberLiteral':
    case 'StringLiteral':
    case 'VectorSelector':
      return [];
    case 'MatrixSelector':
      return [e.vectorSelector];
    case 'SubqueryExpr':
    case 'UnaryExpr':
    case 'ParenExpr':
      return [e.expr];
    case 'Call':
      return e.args;
    case 'AggregateExpr':
      return e.param === null ? [e.expr] : [e.param, e.expr];
    case 'BinaryExpr':
      return [e.lhs, e.rhs];
  }
}
