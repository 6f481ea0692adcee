/**
 * @module
 * The parser's view of the token stream, and its error list. Errors come in two kinds, as in
 * Prometheus' yacc parser. A syntax error stops the parse (the {@link SyntaxAbort} thrown by
 * {@link TokenStream.fail}); its message names the token at hand and, like yacc's error
 * recovery, the innermost enclosing construct that has an error rule: "in aggregation",
 * "in label matching, expected string", … — kept here as a stack of frames. A semantic error
 * (unknown function, bad duration, invalid regex, …) is recorded and parsing goes on, so that
 * the first error in input order is the one reported, whichever kind it is.
 */

import { Lexer } from './lex.js';
import { ParseError, type PositionRange } from './errors.js';
import { describeToken, type Token, type TokenType } from './token.js';

/** Unwinds the parser after a syntax error; the error itself is already in the list. */
export class SyntaxAbort extends Error {
  constructor() {
    super('syntax error');
    this.name = 'SyntaxAbort';
  }
}

interface Frame {
  readonly context: string;
  readonly expected: string;
}

/** The `[start, end)` range of a token. */
export const tokenRange = (t: Token): PositionRange => ({
  start: t.pos,
  end: t.pos + (t.type === 'ERROR' ? 0 : t.text.length),
});

/**
 * Tokens with lookahead (comments skipped), the error list and the error-context frames.
 *
 * @example
 * const s = new TokenStream('a + b');
 * s.peek().type; // 'IDENTIFIER'
 */
export class TokenStream {
  readonly input: string;
  readonly #lexer: Lexer;
  readonly #ahead: Token[] = [];
  readonly #errors: { range: PositionRange; message: string }[] = [];
  readonly #frames: Frame[] = [];
  /** End offset of the last token taken with {@link next}. */
  lastEnd = 0;

  constructor(input: string) {
    this.input = input;
    this.#lexer = new Lexer(input);
  }

  /** The token `k` places ahead; a lexer error is recorded the moment it is read. */
  peek(k = 0): Token {
    while (this.#ahead.length <= k) {
      let t = this.#lexer.next();
      while (t.type === 'COMMENT') t = this.#lexer.next();
      if (t.type === 'ERROR') {
        this.record({ start: t.pos, end: this.input.length }, t.text);
      }
      this.#ahead.push(t);
    }
    return this.#ahead[k]!;
  }

  next(): Token {
    const t = this.peek();
    this.#ahead.shift();
    this.lastEnd = t.pos + t.text.length;
    return t;
  }

  /** Takes the next token if it has type `type`. */
  accept(type: TokenType): Token | null {
    return this.peek().type === type ? this.next() : null;
  }

  /** Takes the next token, which must have type `type`. */
  expect(type: TokenType): Token {
    return this.accept(type) ?? this.fail();
  }

  /** Records a semantic error; parsing goes on. */
  record(range: PositionRange, message: string): void {
    this.#errors.push({ range, message });
  }

  /** Enters a construct whose syntax errors read "unexpected X in <context>, expected <…>". */
  push(context: string, expected = ''): void {
    this.#frames.push({ context, expected });
  }

  pop(): void {
    this.#frames.pop();
  }

  /** Reports the next token as unexpected in the innermost frame, and stops the parse. */
  fail(): never {
    const t = this.peek();
    // A lexer error is already recorded and says more than "unexpected".
    if (t.type !== 'ERROR') {
      const frame = this.#frames.at(-1);
      let message = `unexpected ${describeToken(t)}`;
      if (frame !== undefined && frame.context !== '') message += ` in ${frame.context}`;
      if (frame !== undefined && frame.expected !== '') message += `, expected ${frame.expected}`;
      this.record(tokenRange(t), message);
    }
    throw new SyntaxAbort();
  }

  /** Throws the first recorded error, if any. */
  throwFirst(): void {
    const first = this.#errors[0];
    if (first !== undefined) throw new ParseError(first.range, this.input, first.message);
  }
}
