/**
 * @module
 * Reading the position out of the server's KQL syntax error. The server answers Kibana's message
 * (docs/kql.md, "Errors"): the expectation, the query, and a caret under the offset where parsing
 * stopped; the editor underlines from there. Pure, tested beside the file.
 */

/** A query error to show in the editor; `offset` is undefined when the error has no caret. */
export interface KqlErrorInfo {
  message: string;
  offset: number | undefined;
}

/**
 * @example
 * kqlErrorInfo('invalid parameter "q": Expected value but end of input found.\nlevel:\n------^');
 * // { message: 'Expected value but end of input found.', offset: 6 }
 */
export function kqlErrorInfo(serverError: string): KqlErrorInfo {
  const lines = serverError.split('\n');
  const last = lines[lines.length - 1] ?? '';
  const first = (lines[0] ?? '').replace(/^invalid parameter "q": /, '');
  if (lines.length >= 3 && /^-*\^$/.test(last)) {
    return { message: first, offset: last.length - 1 };
  }
  return { message: first, offset: undefined };
}
