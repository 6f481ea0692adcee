/**
 * @module
 * Where in an expression a server error points. Vigil's PromQL parser, like Prometheus', prefixes
 * parse errors with `line:col:` (1-based, col in characters), e.g.
 * `invalid parameter "query": 1:19: parse error: unclosed left parenthesis`. Pure, tested beside.
 */

/** An error located in the expression text. */
export interface ErrorPosition {
  /** 0-based offset into the expression, clamped to its length. */
  offset: number;
  line: number;
  column: number;
  /** The message after the position, e.g. `parse error: unclosed left parenthesis`. */
  message: string;
}

const POSITION = /(?:^|[\s"])(\d+):(\d+): (.+)$/s;

/**
 * Finds the `line:col:` position in a server error about `expr`.
 *
 * @returns undefined when the message carries no position (e.g. an execution error)
 * @example
 * locateError('sum(up', 'invalid parameter "query": 1:7: parse error: unclosed left parenthesis');
 * // { offset: 6, line: 1, column: 7, message: 'parse error: unclosed left parenthesis' }
 */
export function locateError(expr: string, error: string): ErrorPosition | undefined {
  const m = POSITION.exec(error);
  if (m === null) return undefined;
  const line = Number(m[1]);
  const column = Number(m[2]);
  if (line < 1 || column < 1) return undefined;
  const lines = expr.split('\n');
  if (line > lines.length) return undefined;
  let offset = 0;
  for (let i = 0; i < line - 1; i++) offset += lines[i]!.length + 1;
  offset += Math.min(column - 1, lines[line - 1]!.length);
  return { offset: Math.min(offset, expr.length), line, column, message: m[3]!.trim() };
}
