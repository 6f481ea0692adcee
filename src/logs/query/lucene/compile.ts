/**
 * @module
 * Compiles a Lucene query (`parse.ts`) into the store's {@link Query}, with the meaning
 * Elasticsearch's `query_string` gives it, read per value type as KQL is (`leaves.ts`):
 *
 * - a term is a `match` of its text (`status:404` finds the number and the string; a term that
 *   tokenizes into several tokens, `kube-system`, needs them in a row), a phrase a one-phrase
 *   match; on an exact field (a `.keyword` subfield) both are a `term` on the whole value;
 * - `*` wildcards make a `wildcard`; a `?` (one character) makes a `regex` that matches the
 *   whole value as written or one token lowercased, since tokens are lowercase;
 * - `field:*`, `_exists_:field` and `field:[* TO *]` are `exists`; `*` and `*:*` match all;
 * - range ends read as numbers, dates (date math included) or strings, as KQL's `<`/`>` do;
 * - a boolean query: its `must` clauses all match, and only when it has none must one of its
 *   `should` clauses match (Lucene's rule), minus its `must_not` clauses; a query of only
 *   `must_not` clauses matches every other document, as Elasticsearch makes it.
 *
 * A leaf without a field searches the default fields, each as if named.
 */

import { DateMathError } from '../date-math.js';
import { luceneRegExp, RegexSyntaxError } from '../filter/regex.js';
import {
  type FieldResolver,
  matchLeaf,
  plainField,
  type RangeBound,
  rangeLeaf,
  type ResolvedField,
  splitWildcards,
  wildcardLeaf,
} from '../leaves.js';
import type { Query } from '../query.js';
import type { Node, RangeNode, TermNode } from './ast.js';
import { LuceneSyntaxError } from './errors.js';
import { unescapeTerm } from './lex.js';

export interface LuceneCompileOptions {
  /** "now" for date math, ms since the epoch. */
  readonly now: number;
  /** The query text, for error positions. */
  readonly query: string;
  /** Fields searched by a leaf without one (names or patterns); default every field, `*`. */
  readonly defaultFields?: readonly string[];
  /** How field names resolve; default {@link plainField}. */
  readonly resolve?: FieldResolver;
}

/**
 * Compiles a parsed query.
 *
 * @throws {LuceneSyntaxError} for a regex that does not parse or a range end that looks like a
 *   date but does not read, at the node's position.
 * @example
 * const q = 'level:error AND NOT kubernetes.namespace:kube-*';
 * compileLucene(parseLucene(q), { now: Date.now(), query: q });
 * // { kind: 'and', children: [{ kind: 'match', … }, { kind: 'not', child: { kind: 'wildcard', … } }] }
 */
export function compileLucene(node: Node, opts: LuceneCompileOptions): Query {
  return new Compiler(opts).node(node);
}

function and(children: Query[]): Query {
  return children.length === 1 ? children[0]! : { kind: 'and', children };
}

function or(children: Query[]): Query {
  return children.length === 1 ? children[0]! : { kind: 'or', children };
}

class Compiler {
  readonly #resolve: FieldResolver;
  readonly #defaults: readonly string[];

  constructor(readonly opts: LuceneCompileOptions) {
    this.#resolve = opts.resolve ?? plainField;
    this.#defaults = opts.defaultFields ?? ['*'];
  }

  node(n: Node): Query {
    switch (n.kind) {
      case 'bool': {
        const must: Query[] = [];
        const should: Query[] = [];
        const mustNot: Query[] = [];
        for (const c of n.clauses) {
          const q = this.node(c.node);
          (c.occur === 'must' ? must : c.occur === 'should' ? should : mustNot).push(q);
        }
        if (must.length + should.length + mustNot.length === 0) return { kind: 'none' };
        const pos = must.length > 0 ? and(must) : should.length > 0 ? or(should) : undefined;
        if (mustNot.length === 0) return pos!;
        const neg: Query = { kind: 'not', child: or(mustNot) };
        return pos === undefined ? neg : and([pos, neg]);
      }
      case 'term':
        return this.#term(n);
      case 'phrase':
        if (n.field === '_exists_') return this.#exists(n.text);
        return this.#onFields(n.field, (f) =>
          f.exact ? { kind: 'term', field: f.sel, value: n.text } : matchLeaf(f.sel, n.text, true),
        );
      case 'range':
        return this.#range(n);
      case 'regex':
        try {
          luceneRegExp(n.pattern);
        } catch (err) {
          if (!(err instanceof RegexSyntaxError)) throw err;
          throw new LuceneSyntaxError(
            this.opts.query,
            n.span.start + 1 + err.offset,
            `cannot compile regex {at}: ${err.message}`,
            { cause: err },
          );
        }
        return this.#onFields(n.field, (f) => ({
          kind: 'regex',
          field: f.sel,
          pattern: n.pattern,
        }));
    }
  }

  /** The leaf built for each field `name` names (the default fields when absent), or-ed. */
  #onFields(name: string | undefined, build: (f: ResolvedField) => Query): Query {
    const names = name === undefined ? this.#defaults : [name];
    return or(names.map((n) => build(this.#resolve(n))));
  }

  #exists(name: string): Query {
    const f = this.#resolve(name);
    return f.sel.kind === 'any' ? { kind: 'all' } : { kind: 'exists', field: f.sel };
  }

  #term(n: TermNode): Query {
    if (n.field === '_exists_') return this.#exists(unescapeTerm(n.raw));
    const { parts, wild } = splitWildcards(n.raw);
    if (wild.length === 0) {
      const text = parts[0]!;
      return this.#onFields(n.field, (f) =>
        f.exact ? { kind: 'term', field: f.sel, value: text } : matchLeaf(f.sel, text, false),
      );
    }
    if (parts.every((p) => p === '') && wild.every((w) => w === '*')) {
      if (n.field === undefined || n.field === '*') return { kind: 'all' };
      return this.#exists(n.field);
    }
    return this.#onFields(n.field, (f) => wildcardLeaf(f, n.raw));
  }

  #range(n: RangeNode): Query {
    const bounds: RangeBound[] = [];
    if (n.lower.value !== undefined) {
      bounds.push({ op: n.lower.inclusive ? 'gte' : 'gt', value: n.lower.value });
    }
    if (n.upper.value !== undefined) {
      bounds.push({ op: n.upper.inclusive ? 'lte' : 'lt', value: n.upper.value });
    }
    if (bounds.length === 0) {
      return n.field === undefined ? { kind: 'all' } : this.#exists(n.field);
    }
    try {
      return this.#onFields(n.field, (f) =>
        rangeLeaf(
          f.sel,
          f.date === true ? bounds.map((b) => ({ ...b, epochMillis: true })) : bounds,
          this.opts.now,
        ),
      );
    } catch (err) {
      if (!(err instanceof DateMathError)) throw err;
      throw new LuceneSyntaxError(
        this.opts.query,
        n.span.start,
        `cannot compile range {at}: ${err.message}`,
        {
          cause: err,
        },
      );
    }
  }
}
