/**
 * @module
 * The arithmetic and comparison operators on two float64 values, with Go's `math.Pow` special
 * cases (`1 ^ NaN` is 1, unlike JavaScript) so results match Prometheus bit for bit where the
 * two languages' definitions differ.
 */

import type { ArithmeticOp, BinaryOp, ComparisonOp } from './parser/ast.js';

const ARITHMETIC: ReadonlySet<string> = new Set(['+', '-', '*', '/', '%', '^', 'atan2']);
const COMPARISON: ReadonlySet<string> = new Set(['==', '!=', '>', '<', '>=', '<=']);

export const isArithmetic = (op: BinaryOp): op is ArithmeticOp => ARITHMETIC.has(op);
export const isComparison = (op: BinaryOp): op is ComparisonOp => COMPARISON.has(op);

/**
 * Go's `math.Pow`, which defines `Pow(1, y)` and `Pow(-1, ±Inf)` as 1 where JavaScript says NaN.
 *
 * @example
 * goPow(1, NaN); // 1
 */
export function goPow(x: number, y: number): number {
  if (y === 0 || x === 1) return 1;
  if (x === -1 && (y === Infinity || y === -Infinity)) return 1;
  return Math.pow(x, y);
}

/**
 * `l op r` for an arithmetic operator.
 *
 * @example
 * arithmetic('%', -7, 3); // -1 (sign of the dividend, as Go's math.Mod)
 */
export function arithmetic(op: ArithmeticOp, l: number, r: number): number {
  switch (op) {
    case '+':
      return l + r;
    case '-':
      return l - r;
    case '*':
      return l * r;
    case '/':
      return l / r;
    case '%':
      return l % r;
    case '^':
      return goPow(l, r);
    case 'atan2':
      return Math.atan2(l, r);
  }
}

/**
 * Whether `l op r` holds for a comparison operator (false whenever NaN is involved, except
 * `!=`).
 *
 * @example
 * compare('>=', 2, 2); // true
 */
export function compare(op: ComparisonOp, l: number, r: number): boolean {
  switch (op) {
    case '==':
      return l === r;
    case '!=':
      return l !== r;
    case '>':
      return l > r;
    case '<':
      return l < r;
    case '>=':
      return l >= r;
    case '<=':
      return l <= r;
  }
}
