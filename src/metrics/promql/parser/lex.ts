/**
 * @module
 * The PromQL lexer, a pull lexer with Prometheus' states and quirks, so that every input splits
 * into the same tokens and fails with the same message as in Prometheus 3: keywords are
 * case-insensitive and only recognised outside braces; inside `{…}` everything alphanumeric is
 * a label name; right after `[` comes a number or duration (`5m`, `1h30m`, `90`, `1.5`), and any
 * letter inside brackets stands for the subquery colon, as in Prometheus (`x[5m x]` is
 * `x[5m:]`). Numbers are decimal, hex (`0x1F`), octal (`0755`), scientific (`1e-3`), with
 * `_` separators, or `Inf`/`NaN`; a digit run followed by unit letters is a duration. Strings
 * take Go escapes in `"…"`/`'…'` and none in `` `…` ``. Scanning is by `charCodeAt` with a code
 * point slow path for non-ASCII text, once over the input.
 */

import { goQuote, goQuoteRune, goUnicode } from './strconv.js';
import { WORDS, type Token, type TokenType } from './token.js';

const EOF = -1;
/** What Go's UTF-8 decoder yields for bytes that are not UTF-8; here, lone surrogates. */
const RUNE_ERROR = 0xfffd;

const isSpace = (r: number): boolean => r === 0x20 || r === 0x09 || r === 0x0a || r === 0x0d;
const isDigit = (r: number): boolean => r >= 0x30 && r <= 0x39;
const isAlpha = (r: number): boolean =>
  r === 0x5f || (r >= 0x61 && r <= 0x7a) || (r >= 0x41 && r <= 0x5a);
const isAlphaNumeric = (r: number): boolean => isAlpha(r) || isDigit(r);

const DECIMAL = '0123456789';
const HEX = '0123456789abcdefABCDEF';

/**
 * Splits a query into tokens, one {@link Lexer.next} call at a time. After an `ERROR` or `EOF`
 * token every further call returns `EOF`.
 *
 * @example
 * const lex = new Lexer('rate(x[5m])');
 * lex.next(); // { type: 'IDENTIFIER', pos: 0, text: 'rate' }
 */
export class Lexer {
  readonly #input: string;
  #pos = 0;
  #start = 0;
  #width = 0;
  #parenDepth = 0;
  #braceOpen = false;
  #bracketOpen = false;
  #gotColon = false;
  #numberNext = false;
  #done = false;

  constructor(input: string) {
    this.#input = input;
  }

  /** The next token; comments are returned as `COMMENT` tokens. */
  next(): Token {
    if (this.#done) return { type: 'EOF', pos: this.#pos, text: '' };
    let t: Token | null = null;
    while (t === null) t = this.#lexOne();
    if (t.type === 'ERROR' || t.type === 'EOF') this.#done = true;
    return t;
  }

  /** One step of the state machine; null when it only skipped white space. */
  #lexOne(): Token | null {
    if (this.#numberNext) {
      // Right after `[` comes a range: Prometheus lexes it as a number or duration at once.
      this.#numberNext = false;
      return this.#lexNumberOrDuration();
    }
    return this.#braceOpen ? this.#lexInsideBraces() : this.#lexStatement();
  }

  #read(): number {
    if (this.#pos >= this.#input.length) {
      this.#width = 0;
      return EOF;
    }
    const c = this.#input.charCodeAt(this.#pos);
    if (c < 0xd800 || c > 0xdfff) {
      this.#width = 1;
      this.#pos++;
      return c;
    }
    const cp = this.#input.codePointAt(this.#pos)!;
    this.#width = cp > 0xffff ? 2 : 1;
    this.#pos += this.#width;
    return cp > 0xffff ? cp : RUNE_ERROR;
  }

  #backup(): void {
    this.#pos -= this.#width;
  }

  #peek(): number {
    const r = this.#read();
    this.#backup();
    return r;
  }

  #accept(valid: string): boolean {
    const r = this.#read();
    if (r !== EOF && r < 0x80 && valid.includes(String.fromCharCode(r))) return true;
    this.#backup();
    return false;
  }

  #is(valid: string): boolean {
    const r = this.#peek();
    return r !== EOF && r < 0x80 && valid.includes(String.fromCharCode(r));
  }

  #emit(type: TokenType): Token {
    const t = { type, pos: this.#start, text: this.#input.slice(this.#start, this.#pos) };
    this.#start = this.#pos;
    return t;
  }

  #error(message: string): Token {
    return { type: 'ERROR', pos: this.#start, text: message };
  }

  #skipSpaces(): void {
    while (isSpace(this.#peek())) this.#read();
    this.#start = this.#pos;
  }

  #lexComment(): Token {
    this.#pos++;
    for (;;) {
      const r = this.#read();
      if (r === EOF || r === 0x0a || r === 0x0d) break;
    }
    this.#backup();
    return this.#emit('COMMENT');
  }

  #lexStatement(): Token | null {
    if (this.#input.charCodeAt(this.#pos) === 0x23) return this.#lexComment();
    const r = this.#read();
    if (r === EOF) {
      if (this.#parenDepth !== 0) return this.#error('unclosed left parenthesis');
      if (this.#bracketOpen) return this.#error('unclosed left bracket');
      return this.#emit('EOF');
    }
    if (isSpace(r)) {
      this.#skipSpaces();
      return null;
    }
    switch (r) {
      case 0x2c: // ,
        return this.#emit('COMMA');
      case 0x2a: // *
        return this.#emit('MUL');
      case 0x2f: // /
        return this.#emit('DIV');
      case 0x25: // %
        return this.#emit('MOD');
      case 0x2b: // +
        return this.#emit('ADD');
      case 0x2d: // -
        return this.#emit('SUB');
      case 0x5e: // ^
        return this.#emit('POW');
      case 0x40: // @
        return this.#emit('AT');
      case 0x3d: {
        // =
        const t = this.#peek();
        if (t === 0x3d) {
          this.#read();
          return this.#emit('EQLC');
        }
        if (t === 0x7e) return this.#error(`unexpected character after '=': ${goQuoteRune(t)}`);
        return this.#emit('EQL');
      }
      case 0x21: {
        // !
        const t = this.#read();
        if (t !== 0x3d) return this.#error(`unexpected character after '!': ${goQuoteRune(t)}`);
        return this.#emit('NEQ');
      }
      case 0x3c: // <
        return this.#emit(this.#accept('=') ? 'LTE' : 'LSS');
      case 0x3e: // >
        return this.#emit(this.#accept('=') ? 'GTE' : 'GTR');
      case 0x22: // "
      case 0x27: // '
        return this.#lexString(r);
      case 0x60: // `
        return this.#lexRawString();
      case 0x28: // (
        this.#parenDepth++;
        return this.#emit('LEFT_PAREN');
      case 0x29: {
        // )
        const t = this.#emit('RIGHT_PAREN');
        if (--this.#parenDepth < 0) return this.#error(`unexpected right parenthesis ')'`);
        return t;
      }
      case 0x7b: // {
        this.#braceOpen = true;
        return this.#emit('LEFT_BRACE');
      case 0x5b: {
        // [
        if (this.#bracketOpen) return this.#error(`unexpected left bracket '['`);
        this.#gotColon = false;
        const t = this.#emit('LEFT_BRACKET');
        this.#skipSpaces();
        this.#bracketOpen = true;
        this.#numberNext = true;
        return t;
      }
      case 0x5d: // ]
        if (!this.#bracketOpen) return this.#error(`unexpected right bracket ']'`);
        this.#bracketOpen = false;
        return this.#emit('RIGHT_BRACKET');
    }
    if (isDigit(r) || (r === 0x2e && isDigit(this.#peek()))) {
      this.#backup();
      return this.#lexNumberOrDuration();
    }
    if (isAlpha(r) || r === 0x3a) {
      if (!this.#bracketOpen) {
        this.#backup();
        return this.#lexKeywordOrIdentifier();
      }
      // Inside brackets Prometheus takes any letter for the subquery colon.
      if (this.#gotColon) return this.#error(`unexpected colon ${goQuoteRune(r)}`);
      this.#gotColon = true;
      return this.#emit('COLON');
    }
    return this.#error(`unexpected character: ${goQuoteRune(r)}`);
  }

  #lexInsideBraces(): Token | null {
    if (this.#input.charCodeAt(this.#pos) === 0x23) return this.#lexComment();
    const r = this.#read();
    if (r === EOF) return this.#error('unexpected end of input inside braces');
    if (isSpace(r)) {
      this.#skipSpaces();
      return null;
    }
    if (isAlpha(r)) {
      while (isAlphaNumeric(this.#read()));
      this.#backup();
      return this.#emit('IDENTIFIER');
    }
    switch (r) {
      case 0x2c:
        return this.#emit('COMMA');
      case 0x22:
      case 0x27:
        return this.#lexString(r);
      case 0x60:
        return this.#lexRawString();
      case 0x3d: // =
        return this.#emit(this.#accept('~') ? 'EQL_REGEX' : 'EQL');
      case 0x21: {
        // !
        const t = this.#read();
        if (t === 0x7e) return this.#emit('NEQ_REGEX');
        if (t === 0x3d) return this.#emit('NEQ');
        return this.#error(`unexpected character after '!' inside braces: ${goQuoteRune(t)}`);
      }
      case 0x7b:
        return this.#error(`unexpected left brace '{'`);
      case 0x7d:
        this.#braceOpen = false;
        return this.#emit('RIGHT_BRACE');
    }
    return this.#error(`unexpected character inside braces: ${goQuoteRune(r)}`);
  }

  #lexKeywordOrIdentifier(): Token {
    for (;;) {
      const r = this.#read();
      if (!isAlphaNumeric(r) && r !== 0x3a) break;
    }
    this.#backup();
    const word = this.#input.slice(this.#start, this.#pos);
    const keyword = WORDS.get(word.toLowerCase());
    if (keyword !== undefined) return this.#emit(keyword);
    return this.#emit(word.includes(':') ? 'METRIC_IDENTIFIER' : 'IDENTIFIER');
  }

  #lexString(quote: number): Token {
    for (;;) {
      const r = this.#read();
      if (r === 0x5c) {
        const err = this.#lexEscape(quote);
        if (err !== null) return err;
      } else if (r === RUNE_ERROR) {
        return this.#error('invalid UTF-8 rune');
      } else if (r === EOF || r === 0x0a) {
        return this.#error('unterminated quoted string');
      } else if (r === quote) {
        return this.#emit('STRING');
      }
    }
  }

  #lexRawString(): Token {
    for (;;) {
      const r = this.#read();
      if (r === RUNE_ERROR) return this.#error('invalid UTF-8 rune');
      if (r === EOF) return this.#error('unterminated raw string');
      if (r === 0x60) return this.#emit('STRING');
    }
  }

  /** Checks one escape sequence (after the backslash); returns an error token or null. */
  #lexEscape(quote: number): Token | null {
    let ch = this.#read();
    let n: number;
    let base: number;
    let max: number;
    if (ch === quote || (ch < 0x80 && 'abfnrtv\\'.includes(String.fromCharCode(ch)))) return null;
    if (ch >= 0x30 && ch <= 0x37) {
      [n, base, max] = [3, 8, 255];
    } else if (ch === 0x78 /* x */ || ch === 0x75 /* u */ || ch === 0x55 /* U */) {
      [n, base, max] = ch === 0x78 ? [2, 16, 255] : [ch === 0x75 ? 4 : 8, 16, 0x10ffff];
      ch = this.#read();
    } else if (ch === EOF) {
      return this.#error('escape sequence not terminated');
    } else {
      return this.#error(`unknown escape sequence ${goUnicode(ch)}`);
    }
    let x = 0;
    for (;;) {
      const d = ch === EOF ? 16 : parseInt(String.fromCodePoint(ch), 16);
      if (Number.isNaN(d) || d >= base) {
        if (ch === EOF) return this.#error('escape sequence not terminated');
        return this.#error(`illegal character ${goUnicode(ch)} in escape sequence`);
      }
      x = x * base + d;
      if (--n === 0) break;
      ch = this.#read();
    }
    if (x > max || (x >= 0xd800 && x < 0xe000)) {
      return this.#error('escape sequence is an invalid Unicode code point');
    }
    return null;
  }

  #lexNumberOrDuration(): Token {
    if (this.#scanNumber()) return this.#emit('NUMBER');
    if (this.#acceptRemainingDuration()) {
      this.#backup();
      return this.#emit('DURATION');
    }
    const text = this.#input.slice(this.#start, this.#pos);
    return this.#error(`bad number or duration syntax: ${goQuote(text)}`);
  }

  /** Unit letters after the digits of a duration: `5m`, `1h30m`, `250ms`. */
  #acceptRemainingDuration(): boolean {
    if (!this.#accept('smhdwy')) return false;
    this.#accept('s');
    while (this.#accept(DECIMAL)) {
      while (this.#accept(DECIMAL));
      // Years can only come first.
      if (!this.#accept('smhdw')) return false;
      this.#accept('s');
    }
    return !isAlphaNumeric(this.#read());
  }

  /**
   * Scans the longest number-like run; false when it is malformed or runs into a letter (which
   * may still make it a duration). Mirrors Prometheus' rules for `.`, exponents and `_`.
   */
  #scanNumber(): boolean {
    const initial = this.#pos;
    let digits = DECIMAL;
    if (this.#accept('0') && this.#accept('xX')) {
      this.#accept('_');
      digits = HEX;
    }
    this.#accept('.');
    this.#accept(digits);
    let dotSeen = false;
    let exponentSeen = false;
    while (this.#is(digits + '._eE')) {
      if (this.#is('.') && dotSeen) {
        this.#accept('.');
        return false;
      }
      if (this.#is('eE') && exponentSeen) {
        this.#accept('eE');
        return false;
      }
      if (this.#accept('.')) {
        dotSeen = true;
        if (this.#accept('_.') || digits === HEX) return false;
        continue;
      }
      if (this.#accept('eE')) {
        exponentSeen = true;
        this.#accept('+-');
        if (this.#accept('._eE') || this.#peek() === EOF) return false;
        continue;
      }
      if (this.#accept('_')) {
        if (this.#accept('._eE') || this.#peek() === EOF) return false;
        continue;
      }
      while (this.#accept(digits));
    }
    if (this.#pos === initial) return false;
    return !isAlphaNumeric(this.#peek());
  }
}

/**
 * All tokens of `input` up to and including the first `EOF` or `ERROR`, comments included.
 *
 * @example
 * tokenize('a + 1').map((t) => t.type); // ['IDENTIFIER', 'ADD', 'NUMBER', 'EOF']
 */
export function tokenize(input: string): Token[] {
  const lex = new Lexer(input);
  const out: Token[] = [];
  for (;;) {
    const t = lex.next();
    out.push(t);
    if (t.type === 'EOF' || t.type === 'ERROR') return out;
  }
}
