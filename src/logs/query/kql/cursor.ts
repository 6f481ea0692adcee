/**
 * @module
 * The machinery under the KQL parser: a position in the query plus the failure bookkeeping of a
 * PEG parser, so our hand-written parser reports exactly what Kibana's generated one reports.
 *
 * Every attempt to match a terminal that fails records a description at the current offset; only
 * the furthest offset's descriptions are kept. A named rule (`whitespace`, `value`, `fieldName`,
 * `literal`, `AND`, `OR`, `NOT`) silences the terminals inside it and, if it fails as a whole,
 * records its name instead. Lookaheads are silent. When the parse fails, the error reports the
 * furthest offset and what was expected there.
 */

import { KqlSyntaxError } from './errors.js';

/**
 * Kibana's whitespace: space, tab, CR, LF and no-break space.
 *
 * @example
 * isSpace(0xa0); // true
 */
export function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a || c === 0xa0;
}

/**
 * A position in a query with PEG failure tracking. Rules that fail must leave `pos` where they
 * started; {@link Cursor.named} and {@link Cursor.ahead} do that for their bodies.
 */
export class Cursor {
  pos = 0;
  #failPos = 0;
  #expected: string[] = [];
  #silent = 0;

  constructor(readonly src: string) {}

  /** Records that `description` was expected at the current position. */
  fail(description: string): void {
    if (this.#silent > 0 || this.pos < this.#failPos) return;
    if (this.pos > this.#failPos) {
      this.#failPos = this.pos;
      this.#expected = [];
    }
    this.#expected.push(description);
  }

  /** Consumes `text` if it comes next; `ignoreCase` compares ASCII letters case-insensitively. */
  lit(text: string, ignoreCase = false): boolean {
    const next = this.src.slice(this.pos, this.pos + text.length);
    if (next === text || (ignoreCase && next.toLowerCase() === text)) {
      this.pos += text.length;
      return true;
    }
    this.fail(`"${text}"${ignoreCase ? 'i' : ''}`);
    return false;
  }

  /** Runs a named rule: its inner failures stay silent, and its own failure records `name`. */
  named<T>(name: string, rule: () => T | undefined): T | undefined {
    const start = this.pos;
    this.#silent++;
    const r = rule();
    this.#silent--;
    if (r === undefined) {
      this.pos = start;
      this.fail(name);
    }
    return r;
  }

  /**
   * Runs `rule` silently: for the whitespace after a complete query or group, which Kibana's
   * error tests never list as expected (`foo:ba:r` expects `AND, OR, end of input` only).
   */
  quietly(rule: () => void): void {
    this.#silent++;
    rule();
    this.#silent--;
  }

  /** A lookahead: whether `rule` matches here. Consumes nothing and records nothing. */
  ahead(rule: () => boolean): boolean {
    const start = this.pos;
    this.#silent++;
    const r = rule();
    this.#silent--;
    this.pos = start;
    return r;
  }

  /** One whitespace character (the named rule `whitespace`). */
  space(): boolean {
    if (this.pos < this.src.length && isSpace(this.src.charCodeAt(this.pos))) {
      this.pos++;
      return true;
    }
    this.fail('whitespace');
    return false;
  }

  /** Any run of whitespace, possibly empty. */
  spaces(): void {
    while (this.space());
  }

  /** One or more whitespace characters; consumes nothing if there are none. */
  spaces1(): boolean {
    if (!this.space()) return false;
    this.spaces();
    return true;
  }

  /** The error for a parse that stopped here, at the furthest failure seen. */
  error(): KqlSyntaxError {
    const found = this.#failPos < this.src.length ? this.src.charAt(this.#failPos) : null;
    return new KqlSyntaxError(this.src, this.#failPos, this.#expected, found);
  }

  /** Requires the end of the query, recording `end of input` as expected if it is not. */
  atEnd(): boolean {
    if (this.pos === this.src.length) return true;
    this.fail('end of input');
    return false;
  }
}
