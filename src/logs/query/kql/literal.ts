/**
 * @module
 * KQL's terminals: quoted strings, unquoted literals and our `/regex/` extension, with Kibana's
 * escaping rules.
 *
 * - Quoted: `\"` and `\\`, `\t` `\r` `\n`, `\uXXXX`; any other backslash is itself.
 * - Unquoted: `\` before one of `\():<>"*{}`, `\t` `\r` `\n`, `\uXXXX`, and `\and` `\or` `\not`
 *   (any case) to keep a keyword literal; `\n` wins over `\not`, so that one needs `\NOT` or
 *   `\u006eot`. An unescaped `*` is a wildcard. Whitespace is part of
 *   the literal (`hello world` is one value) and trimmed from its ends, so a literal runs until
 *   a special character or a keyword: ` or `/` and ` between whitespace, or `not` before
 *   whitespace anywhere, even inside a word (`cannot x` stops after `can`, as in Kibana).
 */

import type { Scalar, Span, Wildcard } from './ast.js';
import { isSpace, type Cursor } from './cursor.js';

/** A parsed literal: its value and where it sits (whitespace trimmed). */
export interface Term<V = Scalar | Wildcard> {
  readonly value: V;
  readonly span: Span;
}

const SPECIAL = '\\():<>"*{}';

/** Consumes `\t`, `\r` or `\n` and returns the character it stands for. */
function escapedWhitespace(c: Cursor): string | undefined {
  const s = c.src;
  if (s.charCodeAt(c.pos) !== 0x5c) return undefined;
  const e = s.charAt(c.pos + 1);
  const r = e === 't' ? '\t' : e === 'r' ? '\r' : e === 'n' ? '\n' : undefined;
  if (r !== undefined) c.pos += 2;
  return r;
}

/** Consumes `\uXXXX` (hex digits in any case) and returns the UTF-16 unit. */
function escapedUnicode(c: Cursor): string | undefined {
  const s = c.src;
  if (s.charCodeAt(c.pos) !== 0x5c || s.charAt(c.pos + 1) !== 'u') return undefined;
  const hex = s.slice(c.pos + 2, c.pos + 6);
  if (!/^[0-9a-fA-F]{4}$/.test(hex)) return undefined;
  c.pos += 6;
  return String.fromCharCode(parseInt(hex, 16));
}

/**
 * Whether a keyword starts here: the `!Keyword` lookahead of Kibana's grammar.
 *
 * @example
 * keywordAhead(new Cursor(' or b')); // true
 * keywordAhead(new Cursor('or b')); // false: `or` needs whitespace before it
 */
export function keywordAhead(c: Cursor): boolean {
  return (
    c.ahead(() => c.spaces1() && c.lit('or', true) && c.spaces1()) ||
    c.ahead(() => c.spaces1() && c.lit('and', true) && c.spaces1()) ||
    c.ahead(() => c.lit('not', true) && c.spaces1())
  );
}

/**
 * A quoted string, or `undefined` (position unchanged) if none starts here.
 *
 * @example
 * quoted(new Cursor('"a\\"b" x'))?.value; // 'a"b'
 */
export function quoted(c: Cursor): Term<string> | undefined {
  const start = c.pos;
  if (!c.lit('"')) return undefined;
  const s = c.src;
  let out = '';
  for (;;) {
    const ch = escapedWhitespace(c) ?? escapedUnicode(c);
    if (ch !== undefined) {
      out += ch;
      continue;
    }
    const code = s.charCodeAt(c.pos);
    if (code === 0x5c && (s.charAt(c.pos + 1) === '"' || s.charAt(c.pos + 1) === '\\')) {
      out += s.charAt(c.pos + 1);
      c.pos += 2;
    } else if (c.pos < s.length && code !== 0x22) {
      out += s.charAt(c.pos++);
    } else break;
  }
  if (!c.lit('"')) {
    c.pos = start;
    return undefined;
  }
  return { value: out, span: { start, end: c.pos } };
}

/** One unquoted character (unescaped), `WILDCARD` for `*`, or `undefined` at its end. */
function unquotedChar(c: Cursor): string | typeof WILDCARD | undefined {
  const s = c.src;
  const ch = escapedWhitespace(c) ?? escapedUnicode(c);
  if (ch !== undefined) return ch;
  const code = s.charCodeAt(c.pos);
  if (code === 0x5c) {
    const next = s.charAt(c.pos + 1);
    if (next !== '' && SPECIAL.includes(next)) {
      c.pos += 2;
      return next;
    }
    for (const kw of ['or', 'and', 'not']) {
      const word = s.slice(c.pos + 1, c.pos + 1 + kw.length);
      if (word.toLowerCase() === kw) {
        c.pos += 1 + kw.length;
        return word;
      }
    }
    return undefined;
  }
  if (code === 0x2a) {
    c.pos++;
    return WILDCARD;
  }
  if (c.pos >= s.length || SPECIAL.includes(s.charAt(c.pos))) return undefined;
  // Only whitespace (before `and`/`or`) or an `n` can start a keyword; skip the lookahead for
  // the other characters, which are most of a literal.
  if ((isSpace(code) || (code | 0x20) === 0x6e) && keywordAhead(c)) return undefined;
  return s.charAt(c.pos++);
}

const WILDCARD = Symbol('wildcard');

/**
 * An unquoted literal, or `undefined` (position unchanged) if none starts here.
 *
 * @example
 * unquoted(new Cursor('web-* and x'))?.value; // { kind: 'wildcard', parts: ['web-', ''] }
 * unquoted(new Cursor(' true '))?.value; // true
 */
export function unquoted(c: Cursor): Term | undefined {
  const start = c.pos;
  const parts = [''];
  for (;;) {
    const ch = unquotedChar(c);
    if (ch === undefined) break;
    if (ch === WILDCARD) parts.push('');
    else parts[parts.length - 1] += ch;
  }
  if (c.pos === start) return undefined;
  parts[0] = parts[0]!.trimStart();
  parts[parts.length - 1] = parts[parts.length - 1]!.trimEnd();
  let [from, to] = [start, c.pos];
  while (from < to && /\s/.test(c.src.charAt(from))) from++;
  while (to > from && /\s/.test(c.src.charAt(to - 1))) to--;
  const span = { start: from, end: to };
  if (parts.length > 1) return { value: { kind: 'wildcard', parts }, span };
  const text = parts[0]!;
  const value = text === 'true' ? true : text === 'false' ? false : text === 'null' ? null : text;
  return { value, span };
}

/**
 * Our `/regex/` value: `\/` stands for `/`, other escapes are kept for the regex engine. It must
 * end the value (whitespace, `)`, `}` or the end follows), so paths such as `/var/log/x` stay
 * unquoted literals as in Kibana.
 *
 * @example
 * regex(new Cursor('/a\\/b+/ x'))?.pattern; // 'a/b+'
 * regex(new Cursor('/var/log/x')); // undefined
 */
export function regex(c: Cursor): { pattern: string; span: Span } | undefined {
  const s = c.src;
  const start = c.pos;
  if (s.charCodeAt(start) !== 0x2f) return undefined;
  let i = start + 1;
  let pattern = '';
  for (; i < s.length && s.charCodeAt(i) !== 0x2f; i++) {
    if (s.charCodeAt(i) === 0x5c && i + 1 < s.length) {
      pattern += s.charAt(i + 1) === '/' ? '/' : s.slice(i, i + 2);
      i++;
    } else pattern += s.charAt(i);
  }
  if (i >= s.length || i === start + 1) return undefined;
  const after = i + 1 < s.length ? s.charCodeAt(i + 1) : -1;
  if (after !== -1 && after !== 0x29 && after !== 0x7d && !isSpace(after)) return undefined;
  c.pos = i + 1;
  return { pattern, span: { start, end: c.pos } };
}
