/**
 * @module
 * Prometheus' pretty form of an expression, what `/api/v1/format_query` returns: a node whose
 * one-line form ({@link format}) is longer than 100 bytes is split, its operands or arguments
 * each on their own lines, indented two spaces per level; shorter nodes stay on one line.
 */

import type { Expr } from './ast.js';
import { aggregationHead, format, operatorText } from './printer.js';

const MAX_LINE = 100;

const indent = (level: number): string => '  '.repeat(level);

const tooLong = (e: Expr): boolean => new TextEncoder().encode(format(e)).length > MAX_LINE;

/**
 * The pretty form of `e`, as Prometheus' `Expr.Pretty(0)`.
 *
 * @example
 * prettyFormat(parseExpr('a + b')); // 'a + b'
 */
export function prettyFormat(e: Expr, level = 0): string {
  const pad = indent(level);
  switch (e.type) {
    case 'NumberLiteral':
    case 'StringLiteral':
    case 'VectorSelector':
    case 'MatrixSelector':
      return pad + format(e);
    case 'SubqueryExpr':
      if (!tooLong(e)) return format(e);
      return prettyFormat(e.expr, level) + format(e).slice(format(e.expr).length);
    case 'UnaryExpr':
      return pad + e.op + prettyFormat(e.expr, level).trim();
  }
  if (!tooLong(e)) return pad + format(e);
  switch (e.type) {
    case 'AggregateExpr': {
      const param = e.param === null ? '' : `${prettyFormat(e.param, level + 1)},\n`;
      return `${pad}${aggregationHead(e)}(\n${param}${prettyFormat(e.expr, level + 1)}\n${pad})`;
    }
    case 'BinaryExpr': {
      const lhs = prettyFormat(e.lhs, level + 1);
      return `${lhs}\n${pad}${operatorText(e)}\n${prettyFormat(e.rhs, level + 1)}`;
    }
    case 'Call': {
      const args = e.args.map((a) => prettyFormat(a, level + 1)).join(',\n');
      return `${pad}${e.func.name}(\n${args}\n${pad})`;
    }
    case 'ParenExpr':
      return `${pad}(\n${prettyFormat(e.expr, level + 1)}\n${pad})`;
  }
}
