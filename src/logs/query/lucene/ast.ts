/**
 * @module
 * The syntax tree of Lucene's classic query syntax, as Elasticsearch's `query_string` reads it.
 * A query is a list of clauses, each with Lucene's occurrence (`must`, `should`, `must_not`)
 * already decided from its modifiers (`+ - NOT !`), its conjunctions (`AND OR && ||`) and the
 * default operator, exactly as Lucene's `QueryParserBase.addClause` decides it. Field names are
 * resolved while parsing (`field:(a b)` gives both terms the field), so a leaf without a field
 * searches the query's default fields. Spans are `[start, end)` UTF-16 offsets into the query.
 */

/** A half-open range `[start, end)` of UTF-16 offsets into the query. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** How a clause takes part in its boolean query, as Lucene's `BooleanClause.Occur`. */
export type Occur = 'must' | 'should' | 'must_not';

export interface Clause {
  readonly occur: Occur;
  readonly node: Node;
}

/** A parenthesised query or the whole query: its clauses in order. */
export interface BoolNode {
  readonly kind: 'bool';
  readonly clauses: readonly Clause[];
  readonly span: Span;
}

/**
 * An unquoted term. `raw` keeps the escapes as written, so an escaped `\*` stays a literal star
 * while a bare `*` or `?` is a wildcard; `field` is the name as written (unescaped), which may
 * itself hold `*`.
 */
export interface TermNode {
  readonly kind: 'term';
  readonly field?: string;
  readonly raw: string;
  readonly span: Span;
}

/** A quoted phrase, unescaped. */
export interface PhraseNode {
  readonly kind: 'phrase';
  readonly field?: string;
  readonly text: string;
  readonly span: Span;
}

/** One end of a range; `value` undefined is open (`*`). */
export interface RangeEnd {
  readonly value?: string;
  readonly inclusive: boolean;
}

/** `[a TO b]`, `{a TO b}`, mixed, and `>=a`-style comparisons (one end open). */
export interface RangeNode {
  readonly kind: 'range';
  readonly field?: string;
  readonly lower: RangeEnd;
  readonly upper: RangeEnd;
  readonly span: Span;
}

/** `/regex/`, with `\/` unescaped. */
export interface RegexNode {
  readonly kind: 'regex';
  readonly field?: string;
  readonly pattern: string;
  readonly span: Span;
}

export type Node = BoolNode | TermNode | PhraseNode | RangeNode | RegexNode;
