/**
 * @module
 * Elasticsearch's `simple_query_string` syntax, which never fails: `+` (and), `|` (or), `-`
 * (not, before a term or group), `"phrases"`, `( )`, `*` at the end of a term (prefix), and
 * `~N` (fuzziness or slop, read and ignored). Terms combine left to right, whitespace with the
 * default operator, as Lucene's `SimpleQueryParser` does, so with the default OR `foo -bar`
 * matches documents with `foo` or without `bar`, as in Elasticsearch. An unclosed quote or
 * group ends with the query; stray operators are skipped.
 */

import { type FieldResolver, matchLeaf } from '../leaves.js';
import type { Query } from '../query.js';

export interface SimpleQueryOptions {
  readonly fields: readonly string[];
  readonly operator: 'or' | 'and';
  readonly resolve: FieldResolver;
}

/**
 * Compiles a `simple_query_string` query; blank text matches nothing.
 *
 * @example
 * compileSimpleQuery('"connection refused" +kube*', { fields: ['*'], operator: 'or', resolve: plainField });
 * // { kind: 'and', children: [{ kind: 'match', … }, { kind: 'wildcard', … }] }
 */
export function compileSimpleQuery(text: string, opts: SimpleQueryOptions): Query {
  const p = new SimpleParser(text, opts);
  return p.sequence() ?? { kind: 'none' };
}

class SimpleParser {
  #i = 0;

  constructor(
    readonly src: string,
    readonly opts: SimpleQueryOptions,
  ) {}

  /** Terms and groups until `)` or the end, combined left to right. */
  sequence(): Query | undefined {
    let acc: Query | undefined;
    let op: 'and' | 'or' | undefined;
    for (;;) {
      this.#space();
      const c = this.src.charAt(this.#i);
      if (c === '' || c === ')') return acc;
      if (c === '+' || c === '|') {
        op = c === '+' ? 'and' : 'or';
        this.#i++;
        continue;
      }
      const q = this.#unit();
      if (q === undefined) continue;
      const how = op ?? this.opts.operator;
      op = undefined;
      if (acc === undefined) acc = q;
      else if (acc.kind === how) acc = { kind: how, children: [...acc.children, q] };
      else acc = { kind: how, children: [acc, q] };
    }
  }

  #space(): void {
    while (/\s/.test(this.src.charAt(this.#i))) this.#i++;
  }

  #unit(): Query | undefined {
    let negate = false;
    while (this.src.charAt(this.#i) === '-') {
      negate = !negate;
      this.#i++;
    }
    const c = this.src.charAt(this.#i);
    let q: Query | undefined;
    if (c === '(') {
      this.#i++;
      q = this.sequence();
      if (this.src.charAt(this.#i) === ')') this.#i++;
    } else if (c === '"') {
      const end = this.src.indexOf('"', this.#i + 1);
      const stop = end < 0 ? this.src.length : end;
      const text = this.src.slice(this.#i + 1, stop);
      this.#i = end < 0 ? stop : stop + 1;
      this.#fuzz();
      q = this.#leaf(text, 'phrase');
    } else {
      const start = this.#i;
      while (this.#i < this.src.length && !/[\s()"|+~]/.test(this.src.charAt(this.#i))) this.#i++;
      const word = this.src.slice(start, this.#i);
      this.#fuzz();
      if (word === '') {
        // A character that starts nothing (a lone `~`): skip it.
        this.#i = Math.max(this.#i, start + 1);
        return undefined;
      }
      q = this.#leaf(word, word.endsWith('*') ? 'prefix' : 'word');
    }
    if (q === undefined) return undefined;
    return negate ? { kind: 'not', child: q } : q;
  }

  /** `~` and digits after a term or phrase. */
  #fuzz(): void {
    if (this.src.charAt(this.#i) !== '~') return;
    this.#i++;
    while (/\d/.test(this.src.charAt(this.#i))) this.#i++;
  }

  #leaf(text: string, how: 'word' | 'phrase' | 'prefix'): Query {
    const children = this.opts.fields.map((name): Query => {
      const f = this.opts.resolve(name);
      if (how === 'prefix') {
        const stem = text.replace(/\*+$/, '');
        if (stem === '') return { kind: 'all' };
        return { kind: 'wildcard', field: f.sel, parts: [stem, ''] };
      }
      if (f.exact) return { kind: 'term', field: f.sel, value: text };
      return matchLeaf(f.sel, text, how === 'phrase');
    });
    return children.length === 1 ? children[0]! : { kind: 'or', children };
  }
}
