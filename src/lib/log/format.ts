/**
 * @module
 * Line encoders for the logger: logfmt and JSON. Errors print as their message followed by the
 * messages of their `cause` chain, which is where the useful context of a wrapped error lives.
 */

/** `a: b: c` for an error whose cause is an error whose cause is an error. */
export function errorText(err: Error): string {
  let text = err.message;
  let cause: unknown = err.cause;
  for (let depth = 0; cause !== undefined && depth < 8; depth++) {
    const next = cause instanceof Error ? cause.message : String(cause);
    if (!text.includes(next)) text += `: ${next}`;
    cause = cause instanceof Error ? cause.cause : undefined;
  }
  return text;
}

function valueText(v: unknown): string {
  if (v instanceof Error) return errorText(v);
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'string') return v;
  if (v === undefined) return '';
  if (typeof v === 'object' && v !== null) return JSON.stringify(v);
  return String(v);
}

// logfmt needs quotes around empty values and values with spaces, quotes, `=`, backslashes or
// control characters.
function needsQuotes(text: string): boolean {
  if (text === '') return true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c <= 0x20 || c === 0x22 || c === 0x3d || c === 0x5c || c === 0x7f) return true;
  }
  return false;
}

/**
 * Encodes one record as a logfmt line with a trailing newline.
 *
 * @example
 * formatLogfmtLine({ level: 'info', msg: 'hello world' }); // 'level=info msg="hello world"\n'
 */
export function formatLogfmtLine(record: Record<string, unknown>): string {
  let line = '';
  for (const key in record) {
    const text = valueText(record[key]);
    const value = needsQuotes(text) ? JSON.stringify(text) : text;
    line += line === '' ? `${key}=${value}` : ` ${key}=${value}`;
  }
  return line + '\n';
}

/**
 * Encodes one record as a JSON line with a trailing newline.
 *
 * @example
 * formatJsonLine({ level: 'info', msg: 'hi' }); // '{"level":"info","msg":"hi"}\n'
 */
export function formatJsonLine(record: Record<string, unknown>): string {
  const out: Record<string, unknown> = {};
  for (const key in record) {
    const v = record[key];
    out[key] = v instanceof Error ? errorText(v) : v;
  }
  return JSON.stringify(out) + '\n';
}
