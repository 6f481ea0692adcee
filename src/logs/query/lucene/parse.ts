/**
 * @module
 * Parses Lucene's classic query syntax into the tree of `ast.ts`, as Elasticsearch's
 * `query_string` reads it: terms, `field:value`, `"phrases"`, `AND OR NOT && || !`, `+must`
 * and `-must_not`, grouping `( )` and `field:( … )`, wildcards, ranges `[a TO b]`, `{a TO b}`
 * and mixed with `*` for an open end, `field:>=10`, `/regex/`, `_exists_:field`. Boosts (`^2`),
 * fuzziness and proximity (`~`, `~2`) are read and ignored: the store does not score.
 *
 * Clauses get Lucene's occurrences (see `addClause`), including its quirk that with the default
 * operator OR, `a AND b OR c` is `+a +b c`: `c` then only scores, it does not widen the match.
 */

import type { BoolNode, Clause, Node, Occur, Span } from './ast.js';
import { LuceneSyntaxError } from './errors.js';
import { Lexer, type Token, unescapeTerm } from './lex.js';

/** How clauses with no operator between them combine (Elasticsearch's `default_operator`). */
export type DefaultOperator = 'or' | 'and';

type Conj = 'none' | 'and' | 'or';
type Mods = 'none' | 'req' | 'not';

const CLAUSE_START = ['<NOT>', '"+"', '"-"', '"("', '"*"', '<QUOTED>', '<TERM>', '<REGEXPTERM>'];
const TERM_START = ['"("', '"*"', '<QUOTED>', '<TERM>', '<REGEXPTERM>', '"["', '"{"'];

/**
 * Parses a `query_string` query. An empty (or blank) query gives a bool node with no
 * clauses, which matches nothing, as in Elasticsearch.
 *
 * @throws {LuceneSyntaxError} with the position of the first token that does not fit.
 * @example
 * parseLucene('status:>=500 AND NOT kubernetes.namespace:kube-*');
 * // { kind: 'bool', clauses: [{ occur: 'must', node: { kind: 'range', … } }, { occur: 'must_not', … }] }
 */
export function parseLucene(query: string, operator: DefaultOperator = 'or'): BoolNode {
  const p = new Parser(query, operator);
  const node = p.query(undefined);
  const t = p.lex.peek();
  if (t.type !== 'eof') throw p.encountered(t, CLAUSE_START);
  return node;
}

class Parser {
  readonly lex: Lexer;

  constructor(
    readonly src: string,
    readonly operator: DefaultOperator,
  ) {
    this.lex = new Lexer(src);
  }

  encountered(t: Token, expected: readonly string[]): LuceneSyntaxError {
    const what = t.type === 'eof' ? '<EOF>' : t.text;
    return new LuceneSyntaxError(
      this.src,
      t.start,
      `Encountered "${what}" {at}. Was expecting one of: ${expected.join(', ')}`,
    );
  }

  /** Clauses up to `)` or the end. */
  query(field: string | undefined): BoolNode {
    const clauses: Clause[] = [];
    const start = this.lex.peek().start;
    let end = start;
    for (;;) {
      let t = this.lex.peek();
      if (t.type === 'eof' || t.type === 'rparen') break;
      let conj: Conj = 'none';
      if (clauses.length > 0 && (t.type === 'and' || t.type === 'or')) {
        conj = t.type;
        this.lex.next();
        t = this.lex.peek();
      }
      let mods: Mods = 'none';
      if (t.type === 'plus') mods = 'req';
      else if (t.type === 'minus' || t.type === 'not') mods = 'not';
      if (mods !== 'none') this.lex.next();
      const node = this.clause(field);
      end = node.span.end;
      this.addClause(clauses, conj, mods, node);
    }
    return { kind: 'bool', clauses, span: { start, end } };
  }

  /** Lucene's `QueryParserBase.addClause`: how modifiers and conjunctions set occurrences. */
  addClause(clauses: Clause[], conj: Conj, mods: Mods, node: Node): void {
    const last = clauses.length - 1;
    if (last >= 0 && conj === 'and' && clauses[last]!.occur !== 'must_not') {
      clauses[last] = { occur: 'must', node: clauses[last]!.node };
    }
    if (
      last >= 0 &&
      this.operator === 'and' &&
      conj === 'or' &&
      clauses[last]!.occur !== 'must_not'
    ) {
      clauses[last] = { occur: 'should', node: clauses[last]!.node };
    }
    const prohibited = mods === 'not';
    const required =
      this.operator === 'or'
        ? mods === 'req' || (conj === 'and' && !prohibited)
        : !prohibited && conj !== 'or';
    const occur: Occur = prohibited ? 'must_not' : required ? 'must' : 'should';
    clauses.push({ occur, node });
  }

  clause(field: string | undefined): Node {
    const t = this.lex.peek();
    let name = field;
    if (t.type === 'term' && this.lex.peek2().type === 'colon') {
      name = unescapeTerm(t.text);
      this.lex.next();
      this.lex.next();
    }
    const open = this.lex.peek();
    if (open.type !== 'lparen') return this.term(name);
    this.lex.next();
    const inner = this.query(name);
    const close = this.lex.next();
    if (close.type !== 'rparen') throw this.encountered(close, ['")"', ...CLAUSE_START]);
    if (inner.clauses.length === 0) throw this.encountered(close, CLAUSE_START);
    this.boost();
    return { ...inner, span: { start: t.start, end: close.end } };
  }

  /** `^2`, read and ignored. */
  boost(): void {
    if (this.lex.peek().type !== 'caret') return;
    this.lex.next();
    const n = this.lex.next();
    if (n.type !== 'term' || !/^\d+(?:\.\d+)?$/.test(n.text)) {
      throw this.encountered(n, ['<NUMBER>']);
    }
  }

  /** `~` or `~2` or `~0.8`, read and ignored. */
  fuzzy(): void {
    if (this.lex.peek().type !== 'tilde') return;
    const tilde = this.lex.next();
    const n = this.lex.peek();
    if (n.type === 'term' && n.start === tilde.end && /^\d+(?:\.\d+)?$/.test(n.text)) {
      this.lex.next();
    }
  }

  term(field: string | undefined): Node {
    const t = this.lex.next();
    const opt = field === undefined ? {} : { field };
    switch (t.type) {
      case 'term': {
        this.fuzzy();
        this.boost();
        this.fuzzy();
        return { kind: 'term', ...opt, raw: t.text, span: span(t) };
      }
      case 'quoted': {
        this.fuzzy();
        this.boost();
        return { kind: 'phrase', ...opt, text: t.value, span: span(t) };
      }
      case 'regex':
        this.boost();
        return { kind: 'regex', ...opt, pattern: t.value, span: span(t) };
      case 'range': {
        const { lower, upper, close } = this.lex.rangeBody();
        this.boost();
        return {
          kind: 'range',
          ...opt,
          lower: end(lower, t.text === '['),
          upper: end(upper, close.text === ']'),
          span: { start: t.start, end: close.end },
        };
      }
      case 'cmp': {
        const v = this.lex.next();
        if (v.type !== 'term' && v.type !== 'quoted') {
          throw this.encountered(v, ['<QUOTED>', '<TERM>']);
        }
        const value = v.type === 'quoted' ? v.value : unescapeTerm(v.text);
        const bound = { value, inclusive: t.text.length === 2 };
        const open = { inclusive: true };
        const lowerSide = t.text.startsWith('>');
        return {
          kind: 'range',
          ...opt,
          lower: lowerSide ? bound : open,
          upper: lowerSide ? open : bound,
          span: { start: t.start, end: v.end },
        };
      }
      default:
        throw this.encountered(t, TERM_START);
    }
  }
}

function span(t: Token): Span {
  return { start: t.start, end: t.end };
}

function end(t: Token, inclusive: boolean): { value?: string; inclusive: boolean } {
  if (t.type === 'term' && t.text === '*') return { inclusive };
  return { value: t.type === 'quoted' ? t.value : unescapeTerm(t.text), inclusive };
}
