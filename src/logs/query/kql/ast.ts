/**
 * @module
 * The KQL syntax tree. It mirrors what Kibana's parser builds (n-ary `and`/`or`, `not`, the `is`
 * function split by what it asks of the store, `range`, `nested`) plus our `regex` extension, so a
 * planner can give each kind the Elasticsearch meaning Kibana gives it. Every node and field
 * reference carries its span: a half-open range `[start, end)` of UTF-16 offsets into the query.
 */

/** A half-open range `[start, end)` of UTF-16 offsets into the query. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/**
 * An unquoted value or field name with at least one unescaped `*`. `parts` are the unescaped
 * pieces around the wildcards, so `a*b\*` is `['a', 'b*']` and a lone `*` is `['', '']`.
 */
export interface Wildcard {
  readonly kind: 'wildcard';
  readonly parts: readonly string[];
}

/**
 * An unquoted value. Kibana turns the unquoted words `true`, `false` and `null` into those JSON
 * values and keeps every other value (numbers and dates included) as text for the store to coerce.
 */
export type Scalar = string | boolean | null;

/** A field name, or a field pattern such as `machine.os*` that names every matching field. */
export interface FieldRef {
  readonly name: string | Wildcard;
  readonly span: Span;
}

/** The empty query (or only whitespace): it matches every document, as in Kibana. */
export interface AllNode {
  readonly kind: 'all';
  readonly span: Span;
}

/** `a or b or c`: one node for a whole chain, as Kibana builds it. */
export interface OrNode {
  readonly kind: 'or';
  readonly children: readonly Node[];
  readonly span: Span;
}

/** `a and b and c`: one node for a whole chain. */
export interface AndNode {
  readonly kind: 'and';
  readonly children: readonly Node[];
  readonly span: Span;
}

export interface NotNode {
  readonly kind: 'not';
  readonly child: Node;
  readonly span: Span;
}

/**
 * An unquoted value, with or without a field: `error`, `status:404`, `message:hello world`,
 * `host:web-*`. Kibana sends it as a `match` query on the analyzed field (any of the words of
 * `hello world` matches) or, with a wildcard, as a `query_string`. Without a field it searches
 * every default field. A lone `*` with a field is an {@link ExistsNode} instead.
 */
export interface MatchNode {
  readonly kind: 'match';
  readonly field?: FieldRef;
  readonly value: Scalar | Wildcard;
  readonly span: Span;
}

/** A quoted value: `"connection refused"`, `message:"a b"`. The words must appear in order. */
export interface PhraseNode {
  readonly kind: 'phrase';
  readonly field?: FieldRef;
  readonly value: string;
  readonly span: Span;
}

/** Comparison operators, named as in Elasticsearch's `range` query. */
export type RangeOp = 'lt' | 'lte' | 'gt' | 'gte';

/**
 * `bytes > 1000`, `@timestamp >= "2024-01-01"`, `@timestamp < now-1d`. The value stays text: the
 * store reads it as a number or a date (date math included) by the field's type.
 */
export interface RangeNode {
  readonly kind: 'range';
  readonly field: FieldRef;
  readonly op: RangeOp;
  readonly value: Scalar | Wildcard;
  readonly span: Span;
}

/** `field:*`: the field has a value. `*:*` (every field exists) matches every document. */
export interface ExistsNode {
  readonly kind: 'exists';
  readonly field: FieldRef;
  readonly span: Span;
}

/** `path:{ query }`: the query must match within one object of the nested field `path`. */
export interface NestedNode {
  readonly kind: 'nested';
  readonly path: FieldRef;
  readonly query: Node;
  readonly span: Span;
}

/**
 * `field:/re/`, our extension: the value matches the regular expression as a whole (Lucene
 * regexp syntax, as Elasticsearch's `regexp` query reads it). `pattern` has `\/` unescaped.
 */
export interface RegexNode {
  readonly kind: 'regex';
  readonly field?: FieldRef;
  readonly pattern: string;
  readonly span: Span;
}

export type Node =
  | AllNode
  | OrNode
  | AndNode
  | NotNode
  | MatchNode
  | PhraseNode
  | RangeNode
  | ExistsNode
  | NestedNode
  | RegexNode;

/**
 * Whether a value is a wildcard pattern rather than a plain value.
 *
 * @example
 * isWildcard({ kind: 'wildcard', parts: ['a', ''] }); // true
 * isWildcard('a'); // false
 */
export function isWildcard(v: Scalar | Wildcard): v is Wildcard {
  return typeof v === 'object' && v !== null;
}
