/**
 * @module
 * Reusable pieces for filters that look inside string values: a token buffer that tokenizes
 * without allocating an array per value, and a bounded per-filter memo of results by value,
 * which makes a repeated value (a pod name, a log template) cost one Map lookup.
 */

import { forEachToken } from '../../model/tokenize.js';

/** The tokens of the last text given to {@link TokenBuffer.fill}; `tokens` beyond `length` are stale. */
export class TokenBuffer {
  readonly tokens: string[] = [];
  length = 0;
  readonly #push = (t: string): void => {
    this.tokens[this.length++] = t;
  };

  /**
   * Tokenizes `text` into the buffer.
   *
   * @example
   * const b = new TokenBuffer();
   * b.fill('GET /api'); // b.tokens[0] === 'get', b.tokens[1] === 'api', b.length === 2
   */
  fill(text: string): void {
    this.length = 0;
    forEachToken(text, this.#push);
  }
}

/**
 * Results past this many distinct values are dropped and remembering starts over: enough for the
 * steady state of namespaces, pods and log templates, and a bound on memory when every value is
 * new (request ids, messages with timestamps).
 */
const MEMO_LIMIT = 10_000;

/** A memo of a boolean result per string. */
export class StringMemo {
  readonly #map = new Map<string, boolean>();

  /**
   * The remembered result for `s`, or undefined.
   *
   * @example
   * memo.get('kube-system') ?? memo.set('kube-system', test('kube-system'));
   */
  get(s: string): boolean | undefined {
    return this.#map.get(s);
  }

  /** Remembers `result` for `s` and returns it. */
  set(s: string, result: boolean): boolean {
    if (this.#map.size >= MEMO_LIMIT) this.#map.clear();
    this.#map.set(s, result);
    return result;
  }
}
