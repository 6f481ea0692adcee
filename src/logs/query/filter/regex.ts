/**
 * @module
 * Regular expressions in Lucene's syntax, as Elasticsearch's `regexp` query reads them,
 * translated once into a JS `RegExp`. A value matches when the expression matches all of it
 * (patterns are anchored) or all of one of its tokens (lowercase, as the terms of an analyzed
 * field), so `message:/time.?out/` finds `Connection timeout`. Numbers and booleans are matched
 * through their JSON text.
 *
 * Supported: any character, `.`, `?` `+` `*` `{n}` `{n,}` `{n,m}` (each applies to what it
 * follows, so `a+?` is `(a+)?`, not a lazy `+`), `|`, `( )`, `[abc]` `[a-z]` `[^…]`, `"…"` (quoted
 * text is literal), `\` before any character to make it literal, `\d \D \s \S \w \W`, and `@`
 * (any string). Lucene's other optional operators, on by default in Elasticsearch, are refused
 * with an error: `&` (intersection), `~` (complement), `<n-m>` (numeric interval) and `#` (the
 * empty language); escape them to search for the character.
 */

import type { FieldValue } from '../../model/fields.js';
import type { Columns, Filter } from '../filter.js';
import type { FieldSel, RegexQuery } from '../query.js';
import { applyValueTest, type ValueTest } from './field.js';
import { StringMemo, TokenBuffer } from './text.js';

/** A pattern that does not parse; `offset` (UTF-16) is where. */
export class RegexSyntaxError extends Error {
  constructor(
    readonly pattern: string,
    readonly offset: number,
    readonly reason: string,
  ) {
    super(`cannot parse regex ${JSON.stringify(pattern)}: ${reason} at offset ${offset}`);
    this.name = 'RegexSyntaxError';
  }
}

const CLASSES = 'dDsSwW';
const UNSUPPORTED: Record<string, string> = {
  '&': 'intersection (&) is not supported',
  '~': 'complement (~) is not supported',
  '<': 'numeric intervals (<n-m>) are not supported',
  '#': 'the empty language (#) is not supported',
};

/** Escapes one code point for a JS pattern with the `u` flag, in or out of a class. */
function literal(ch: string): string {
  const c = ch.codePointAt(0)!;
  if (c >= 0x80 || /[A-Za-z0-9_]/.test(ch)) return ch;
  return `\\x${c.toString(16).padStart(2, '0')}`;
}

class Translator {
  #i = 0;

  constructor(readonly src: string) {}

  run(): string {
    const out = this.#union();
    if (this.#i < this.src.length) throw this.#error(`unexpected ${JSON.stringify(this.#peek())}`);
    return out;
  }

  #peek(): string {
    const c = this.src.codePointAt(this.#i);
    return c === undefined ? '' : String.fromCodePoint(c);
  }

  #next(): string {
    const ch = this.#peek();
    this.#i += ch.length;
    return ch;
  }

  #error(reason: string, at = this.#i): RegexSyntaxError {
    return new RegexSyntaxError(this.src, at, reason);
  }

  #union(): string {
    const alts = [this.#concat()];
    while (this.#peek() === '|') {
      this.#i++;
      alts.push(this.#concat());
    }
    return alts.join('|');
  }

  #concat(): string {
    const start = this.#i;
    let out = '';
    for (;;) {
      const ch = this.#peek();
      if (ch === '' || ch === '|' || ch === ')') break;
      out += this.#repeat();
    }
    if (this.#i === start) throw this.#error('expected an expression');
    return out;
  }

  #repeat(): string {
    let atom = this.#atom();
    for (;;) {
      const ch = this.#peek();
      if (ch === '?' || ch === '*' || ch === '+') {
        this.#i++;
        atom = `(?:${atom})${ch}`;
      } else if (ch === '{') {
        atom = `(?:${atom})${this.#bounds()}`;
      } else return atom;
    }
  }

  #bounds(): string {
    const start = this.#i;
    const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(start));
    if (m === null) throw this.#error('expected {n}, {n,} or {n,m}');
    if (m[3] !== undefined && m[3] !== '' && Number(m[3]) < Number(m[1])) {
      throw this.#error(`bad repetition {${m[1]},${m[3]}}: the maximum is below the minimum`);
    }
    this.#i += m[0].length;
    return m[0];
  }

  #atom(): string {
    const at = this.#i;
    const ch = this.#next();
    switch (ch) {
      case '.':
        return '.';
      case '@':
        return '.*';
      case '(': {
        if (this.#peek() === ')') {
          this.#i++;
          return '(?:)';
        }
        const inner = this.#union();
        if (this.#peek() !== ')') throw this.#error('expected ")"');
        this.#i++;
        return `(?:${inner})`;
      }
      case '[':
        return this.#charClass();
      case '"': {
        let out = '';
        for (;;) {
          const c = this.#next();
          if (c === '') throw this.#error('unterminated quoted text', at);
          if (c === '"') return `(?:${out})`;
          out += literal(c);
        }
      }
      case '\\':
        return this.#escape(at);
      case '?':
      case '*':
      case '+':
      case '{':
        throw this.#error(`nothing to repeat before ${JSON.stringify(ch)}`, at);
      case ']':
      case '}':
        throw this.#error(`unexpected ${JSON.stringify(ch)} (escape it as \\${ch})`, at);
      default: {
        const unsupported = UNSUPPORTED[ch === '>' ? '<' : ch];
        if (unsupported !== undefined) {
          throw this.#error(`${unsupported}; escape it as \\${ch} to search for it`, at);
        }
        return literal(ch);
      }
    }
  }

  #escape(at: number): string {
    const c = this.#next();
    if (c === '') throw this.#error('nothing to escape after "\\"', at);
    return CLASSES.includes(c) ? `\\${c}` : literal(c);
  }

  #charClass(): string {
    const open = this.#i - 1;
    let out = '[';
    if (this.#peek() === '^') {
      this.#i++;
      out += '^';
    }
    let first = true;
    for (;;) {
      const at = this.#i;
      let ch = this.#next();
      if (ch === '') throw this.#error('unterminated character class', open);
      if (ch === ']' && !first) return `${out}]`;
      first = false;
      if (ch === '\\') {
        const e = this.#next();
        if (e === '') throw this.#error('nothing to escape after "\\"', at);
        if (CLASSES.includes(e)) {
          out += `\\${e}`;
          continue;
        }
        ch = e;
      }
      if (this.#peek() === '-' && this.src.charAt(this.#i + 1) !== ']') {
        this.#i++;
        let to = this.#next();
        if (to === '\\') to = this.#next();
        if (to === '') throw this.#error('unterminated character class', open);
        if (to.codePointAt(0)! < ch.codePointAt(0)!) {
          throw this.#error(`bad range ${ch}-${to}: the end is below the start`, at);
        }
        out += `${literal(ch)}-${literal(to)}`;
      } else out += literal(ch);
    }
  }
}

/**
 * Translates a Lucene regular expression into a JS RegExp that matches whole strings.
 *
 * @throws {RegexSyntaxError} for a pattern Lucene rejects or an operator we do not support.
 * @example
 * luceneRegExp('ab.*').test('abcde'); // true
 * luceneRegExp('abcd').test('abcde'); // false: anchored
 * luceneRegExp('john"@smith.com"').test('john@smith.com'); // true
 */
export function luceneRegExp(pattern: string): RegExp {
  return new RegExp(`^(?:${new Translator(pattern).run()})$`, 'su');
}

/** Evaluates a {@link RegexQuery}. */
export class RegexFilter implements Filter, ValueTest {
  readonly #field: FieldSel;
  readonly #re: RegExp;
  readonly #memo = new StringMemo();
  readonly #buf = new TokenBuffer();

  /** @throws {RegexSyntaxError} when the pattern does not parse. */
  constructor(q: RegexQuery) {
    this.#field = q.field;
    this.#re = luceneRegExp(q.pattern);
  }

  apply(cols: Columns, bits: Uint8Array): void {
    applyValueTest(this.#field, this, cols, bits);
  }

  test(v: FieldValue): boolean {
    const s = typeof v === 'string' ? v : String(v);
    return this.#memo.get(s) ?? this.#memo.set(s, this.#testString(s));
  }

  #testString(s: string): boolean {
    if (this.#re.test(s)) return true;
    const buf = this.#buf;
    buf.fill(s);
    for (let k = 0; k < buf.length; k++) if (this.#re.test(buf.tokens[k]!)) return true;
    return false;
  }
}
