/**
 * @module
 * A query error where it occurred: the server's message, and when it names a `line:col`, the
 * offending line of the expression with a caret under the position.
 */
import type { ErrorPosition } from '../../editor/promql/error-position';

/**
 * @param props.message the server's error message
 * @param props.expr the expression that was run
 * @param props.position where the message points, if it does
 * @example
 * <QueryError message={m} expr={expr} position={locateError(expr, m)} />
 */
export function QueryError({
  message,
  errorType,
  expr,
  position,
}: {
  message: string;
  errorType: string;
  expr: string;
  position: ErrorPosition | undefined;
}) {
  const line = position === undefined ? undefined : expr.split('\n')[position.line - 1];
  return (
    <div className="query-error" role="alert" data-testid="query-error">
      <strong>{errorType === 'bad_data' ? 'Invalid query' : 'Query failed'}:</strong>{' '}
      <span data-testid="query-error-message">{message}</span>
      {position !== undefined && line !== undefined && (
        <pre className="query-error-pointer" data-testid="query-error-pointer">
          {line}
          {'\n'}
          {' '.repeat(Math.min(position.column - 1, line.length))}^ {position.line}:
          {position.column}
        </pre>
      )}
    </div>
  );
}
