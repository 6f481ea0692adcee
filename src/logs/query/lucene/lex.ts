/**
 * @module
 * The tokens of Lucene's classic query syntax, read on demand by the parser. Term characters
 * follow Lucene's grammar (`QueryParser.jj`): a term cannot start with any of
 * `+ - ! ( ) : ^ < > = [ ] " { } ~ \ /` or whitespace but may hold `-` and `+` after its first
 * character, `\` escapes any character, and `*`/`?` are wildcards anywhere in it. `AND`, `OR`,
 * `NOT` (upper case only), `&&`, `||` and `!` are operators where a whole token is exactly
 * that, so `ANDROID` and `a&&b` are terms, as in Lucene.
 */

import { LuceneSyntaxError } from './errors.js';

export type TokenType =
  | 'and'
  | 'or'
  | 'not'
  | 'plus'
  | 'minus'
  | 'lparen'
  | 'rparen'
  | 'colon'
  | 'caret'
  | 'tilde'
  | 'quoted'
  | 'term'
  | 'regex'
  | 'range'
  | 'cmp'
  | 'eof';

/** A token: `text` is as written; `value` is the unescaped content of quoted text and regexes. */
export interface Token {
  readonly type: TokenType;
  readonly text: string;
  readonly value: string;
  readonly start: number;
  readonly end: number;
}

/** Characters that cannot start a term (besides whitespace) and, but for `-` `+`, end one. */
const SPECIAL = new Set('+-!():^<>=[]"{}~\\/');

function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\u3000';
}

/** Whether `c` may continue a term. */
function isTermChar(c: string): boolean {
  return c !== '' && !isSpace(c) && (c === '-' || c === '+' || !SPECIAL.has(c) || c === '\\');
}

/**
 * Reads tokens from a query; `peek`/`next` for the grammar, `rangeBody` inside `[ … ]`.
 *
 * @example
 * const lex = new Lexer('level:error');
 * lex.next(); // { type: 'term', text: 'level', … }
 * lex.next(); // { type: 'colon', … }
 */
export class Lexer {
  #i = 0;
  #peeked: Token | undefined;

  constructor(readonly src: string) {}

  /** The next token, without consuming it. */
  peek(): Token {
    this.#peeked ??= this.#read();
    return this.#peeked;
  }

  /** The token after the next one, for `field:` lookahead; the lexer state is restored. */
  peek2(): Token {
    const first = this.peek();
    const saved = this.#i;
    const t = this.#read();
    this.#i = saved;
    this.#peeked = first;
    return t;
  }

  next(): Token {
    const t = this.peek();
    this.#peeked = undefined;
    return t;
  }

  /**
   * Reads the inside of a range after its `[` or `{` up to and including `]` or `}`:
   * Lucene's `RANGE_GOOP` (any run of characters but space and the closing brackets) or quoted
   * text, then an optional `TO`, then the upper end.
   */
  rangeBody(): { lower: Token; upper: Token; close: Token } {
    this.#peeked = undefined;
    const lower = this.#goop();
    let upper = this.#goop();
    if (upper.type === 'term' && upper.text === 'TO') upper = this.#goop();
    this.#skipSpace();
    const c = this.src.charAt(this.#i);
    const start = this.#i;
    if (c !== ']' && c !== '}') throw this.#encountered(start, ['"]"', '"}"']);
    this.#i++;
    return { lower, upper, close: tok('range', c, c, start, this.#i) };
  }

  #skipSpace(): void {
    while (this.#i < this.src.length && isSpace(this.src.charAt(this.#i))) this.#i++;
  }

  #goop(): Token {
    this.#skipSpace();
    const start = this.#i;
    const c = this.src.charAt(start);
    if (c === '"') return this.#quoted(start);
    while (this.#i < this.src.length) {
      const d = this.src.charAt(this.#i);
      if (isSpace(d) || d === ']' || d === '}') break;
      this.#i++;
    }
    if (this.#i === start) throw this.#encountered(start, ['<RANGE_GOOP>', '<RANGE_QUOTED>']);
    const text = this.src.slice(start, this.#i);
    return tok('term', text, text, start, this.#i);
  }

  /** `Encountered "<what>" at …. Was expecting one of: …`, as Lucene's ParseException. */
  #encountered(at: number, expected: readonly string[]): LuceneSyntaxError {
    const what = at >= this.src.length ? '<EOF>' : this.src.charAt(at);
    return new LuceneSyntaxError(
      this.src,
      at,
      `Encountered "${what}" {at}. Was expecting one of: ${expected.join(', ')}`,
    );
  }

  #read(): Token {
    this.#skipSpace();
    const src = this.src;
    const start = this.#i;
    if (start >= src.length) return tok('eof', '', '', start, start);
    const c = src.charAt(start);
    const two = src.slice(start, start + 2);
    const single: Partial<Record<string, TokenType>> = {
      '(': 'lparen',
      ')': 'rparen',
      ':': 'colon',
      '^': 'caret',
      '~': 'tilde',
      '+': 'plus',
      '-': 'minus',
      '!': 'not',
      '[': 'range',
      '{': 'range',
    };
    if ((two === '&&' || two === '||') && !isTermChar(src.charAt(start + 2))) {
      this.#i += 2;
      return tok(two === '&&' ? 'and' : 'or', two, two, start, this.#i);
    }
    if (two === '<=' || two === '>=') {
      this.#i += 2;
      return tok('cmp', two, two, start, this.#i);
    }
    if (c === '<' || c === '>') {
      this.#i++;
      return tok('cmp', c, c, start, this.#i);
    }
    const type = single[c];
    if (type !== undefined) {
      this.#i++;
      return tok(type, c, c, start, this.#i);
    }
    if (c === '"') return this.#quoted(start);
    if (c === '/') return this.#regex(start);
    if (c === '=') throw this.#lexical(start, `Encountered: "="`);
    return this.#term(start);
  }

  #lexical(at: number, what: string): LuceneSyntaxError {
    return new LuceneSyntaxError(this.src, at, `Lexical error {at}. ${what}`);
  }

  #quoted(start: number): Token {
    let i = start + 1;
    let value = '';
    for (;;) {
      if (i >= this.src.length) {
        throw this.#lexical(
          this.src.length,
          `Encountered: <EOF> after prefix ${JSON.stringify(this.src.slice(start))}: a quote is not closed`,
        );
      }
      const ch = this.src.charAt(i);
      if (ch === '"') break;
      if (ch === '\\' && i + 1 < this.src.length) {
        value += this.src.charAt(i + 1);
        i += 2;
        continue;
      }
      value += ch;
      i++;
    }
    this.#i = i + 1;
    return tok('quoted', this.src.slice(start, this.#i), value, start, this.#i);
  }

  #regex(start: number): Token {
    let i = start + 1;
    let value = '';
    for (;;) {
      if (i >= this.src.length) {
        throw this.#lexical(
          this.src.length,
          `Encountered: <EOF> after prefix ${JSON.stringify(this.src.slice(start))}: a regular expression is not closed (escape "/" as "\\/" in terms)`,
        );
      }
      const ch = this.src.charAt(i);
      if (ch === '/') break;
      if (ch === '\\' && this.src.charAt(i + 1) === '/') {
        value += '/';
        i += 2;
        continue;
      }
      value += ch;
      i++;
    }
    this.#i = i + 1;
    return tok('regex', this.src.slice(start, this.#i), value, start, this.#i);
  }

  #term(start: number): Token {
    const src = this.src;
    let i = start;
    while (i < src.length) {
      const ch = src.charAt(i);
      if (ch === '\\') {
        if (i + 1 >= src.length) throw this.#lexical(i, 'Encountered: <EOF> after "\\"');
        const cp = src.codePointAt(i + 1)!;
        i += 1 + (cp > 0xffff ? 2 : 1);
        continue;
      }
      if (!isTermChar(ch)) break;
      i++;
    }
    this.#i = i;
    const text = src.slice(start, i);
    const type = text === 'AND' ? 'and' : text === 'OR' ? 'or' : text === 'NOT' ? 'not' : 'term';
    return tok(type, text, text, start, i);
  }
}

function tok(type: TokenType, text: string, value: string, start: number, end: number): Token {
  return { type, text, value, start, end };
}

/**
 * Removes Lucene's escapes from term text: `\x` is `x`.
 *
 * @example
 * unescapeTerm('a\\:b'); // 'a:b'
 */
export function unescapeTerm(raw: string): string {
  return raw.replace(/\\([\s\S])/gu, '$1');
}
