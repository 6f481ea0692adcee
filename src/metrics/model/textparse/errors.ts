/**
 * @module
 * The one error both exposition parsers throw. It points at the input: line and column (both
 * from 1; the column counts characters, not bytes or UTF-16 units), the offending token and the
 * line it sits on, so a scrape error in a target's status page shows where the body went wrong.
 * Positions are computed only when an error is made: the parsers never count lines as they go.
 */

import type { Source } from './source.js';

/** The longest line excerpt a message carries; longer lines are cut around the column. */
const SNIPPET_CHARS = 80;
/** The longest token quoted after "got". */
const TOKEN_CHARS = 32;

/**
 * An invalid exposition body.
 *
 * @example
 * try {
 *   const p = createParser('foo{a x="1"} 1\n', 'text/plain');
 *   while (p.next() !== null);
 * } catch (e) {
 *   if (e instanceof ParseError) console.log(e.line, e.column, e.detail); // 1 7 'expected "=" …'
 * }
 */
export class ParseError extends Error {
  override readonly name = 'ParseError';
  /** 1-based line of the offending token. */
  readonly line: number;
  /** 1-based column of the offending token, in characters. */
  readonly column: number;
  /** Byte offset of the offending token in the body. */
  readonly offset: number;
  /** What is wrong, without the position: `expected "=" after label name, got "x"`. */
  readonly detail: string;
  /** The line the token sits on, cut to about 80 characters around it. */
  readonly snippet: string;

  constructor(src: Source, offset: number, detail: string) {
    const b = src.bytes;
    const lineStart = b.lastIndexOf(0x0a, offset - 1) + 1;
    let line = 1;
    for (let i = b.indexOf(0x0a); i !== -1 && i < offset; i = b.indexOf(0x0a, i + 1)) line++;
    let lineEnd = b.indexOf(0x0a, offset);
    if (lineEnd === -1) lineEnd = b.length;
    // Columns and the excerpt count characters: decode the line around the token.
    const before = [...src.slice(lineStart, offset)];
    const after = [...src.slice(offset, lineEnd)];
    const column = before.length + 1;
    let snippet: string;
    if (before.length + after.length <= SNIPPET_CHARS) {
      snippet = before.join('') + after.join('');
    } else {
      const from = Math.max(
        0,
        Math.min(before.length - SNIPPET_CHARS / 2, before.length + after.length - SNIPPET_CHARS),
      );
      const all = before.concat(after);
      const to = Math.min(all.length, from + SNIPPET_CHARS);
      snippet = (from > 0 ? '…' : '') + all.slice(from, to).join('') + (to < all.length ? '…' : '');
    }
    const where = `line ${line} col ${column}`;
    const context = snippet === '' ? '' : ` in line ${quote(snippet)}`;
    super(`cannot parse exposition: ${where}: ${detail}${context}`);
    this.line = line;
    this.column = column;
    this.offset = offset;
    this.detail = detail;
    this.snippet = snippet;
  }
}

/** Characters JSON leaves as they are but a reader cannot see: byte order mark, NBSP, … */
const INVISIBLE = /[\u007f-\u00a0\u00ad\u2000-\u200f\u2028-\u202f\u2060\ufeff]/g;

/**
 * A string quoted as JSON quotes it, with invisible characters escaped too: a byte order mark
 * or a no-break space must show in an error message.
 *
 * @example
 * quote('\ufeffa'); // '"\\ufeffa"'
 */
export function quote(s: string): string {
  return JSON.stringify(s).replace(
    INVISIBLE,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** Characters that end a token quoted by {@link describeToken}. */
function isTokenEnd(c: number): boolean {
  return (
    c === 0x20 || // space
    c === 0x09 || // tab
    c === 0x0a || // \n
    c === 0x7b || // {
    c === 0x7d || // }
    c === 0x22 || // "
    c === 0x2c || // ,
    c === 0x3d || // =
    c === 0x23 //   #
  );
}

/**
 * How an error message names what it found at byte `pos`: `end of input`, `end of line`, a
 * quoted string, or the run of characters up to the next separator, quoted.
 *
 * @example
 * describeToken(new Source('foo{a x="1"}'), 6); // '"x"'
 */
export function describeToken(src: Source, pos: number): string {
  const b = src.bytes;
  if (pos >= b.length) return 'end of input';
  const c = b[pos]!;
  if (c === 0x0a) return 'end of line';
  let end = pos + 1;
  if (c === 0x22) {
    while (end < b.length && b[end] !== 0x0a) {
      const d = b[end++];
      if (d === 0x5c) end++;
      else if (d === 0x22) break;
    }
  } else if (!isTokenEnd(c)) {
    while (end < b.length && !isTokenEnd(b[end]!)) end++;
  }
  const token = [...src.slice(pos, Math.min(end, b.length))];
  if (token.length > TOKEN_CHARS) return quote(token.slice(0, TOKEN_CHARS).join('') + '…');
  return quote(token.join(''));
}
