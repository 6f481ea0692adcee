/**
 * @module
 * The query tree the log store evaluates. KQL (`kql/`) and Elasticsearch's query DSL compile to
 * it; the store, its index and the per-document matcher read it. It keeps the meaning of each
 * leaf as the user wrote it and leaves the per-type reading to evaluation, because one path can
 * hold strings in one document and numbers in another (see `model/fields.ts`): `status:404`
 * must find the number 404 and the string "404".
 *
 * Field references are a path, a pattern of paths, or absent (every field, as Kibana's default
 * `*`). Date math (`now-1d/d`) is resolved by the compiler, so every bound here is absolute.
 */

/** A field path, a wildcard pattern over paths (`kubernetes.labels.*`), or every field. */
export type FieldSel =
  | { readonly kind: 'path'; readonly path: string }
  | { readonly kind: 'pattern'; readonly parts: readonly string[] }
  | { readonly kind: 'any' };

export type Query =
  | AllQuery
  | NoneQuery
  | AndQuery
  | OrQuery
  | NotQuery
  | MatchQuery
  | TermQuery
  | WildcardQuery
  | RangeQuery
  | ExistsQuery
  | RegexQuery
  | NestedQuery;

export interface AllQuery {
  readonly kind: 'all';
}

export interface NoneQuery {
  readonly kind: 'none';
}

export interface AndQuery {
  readonly kind: 'and';
  readonly children: readonly Query[];
}

export interface OrQuery {
  readonly kind: 'or';
  readonly children: readonly Query[];
}

export interface NotQuery {
  readonly kind: 'not';
  readonly child: Query;
}

/**
 * Analyzed match. On a string value, `phrases` are token sequences (see `model/tokenize.ts`)
 * and the value matches when any one of them occurs in its tokens, in order and adjacent:
 * KQL `message:hello world` is `[['hello'], ['world']]`, `"hello world"` is
 * `[['hello', 'world']]`, and `ns:kube-system` is `[['kube', 'system']]`, so it does not match
 * `kube-public`. On a number, boolean, date or IP value, `text` (the value as written) is read
 * as that type, as a whole or else word by word, and compared for equality: `status:404 500`
 * finds either number; a date text names a period (`2024-05-06` is that whole day); an IP text
 * may be a CIDR block (`10.0.0.0/8`). A string is a date or IP value when `typeOf` says so.
 */
export interface MatchQuery {
  readonly kind: 'match';
  readonly field: FieldSel;
  readonly text: string;
  readonly phrases: readonly (readonly string[])[];
}

/**
 * Exact equality with a whole value, case-sensitive, as Elasticsearch's `term` on a keyword:
 * a string value equals `value` as a string; a number equals it when `value` reads as that
 * number; a boolean when it is `true`/`false`.
 */
export interface TermQuery {
  readonly kind: 'term';
  readonly field: FieldSel;
  readonly value: string | number | boolean;
}

/**
 * `*` patterns. The unescaped pieces between stars are `parts` (`web-*` is `['web-', '']`). A
 * string value matches when the whole value matches (case-sensitively), or when any of its
 * tokens matches the lowercased pattern, which is how Kibana's `message:erro*` finds `Error:`.
 * Numbers and booleans are matched through their JSON text (`status:5*` finds 503).
 */
export interface WildcardQuery {
  readonly kind: 'wildcard';
  readonly field: FieldSel;
  readonly parts: readonly string[];
}

/**
 * Bounds, each optional. Number bounds compare numbers (and strings that read as numbers). With
 * `date: true` the number bounds are milliseconds since the epoch and compare values read as
 * dates, a value's nanoseconds counting as a fraction of its millisecond (a float bound carries
 * that fraction to the microsecond). String bounds compare
 * keyword values lexicographically (by UTF-16 code units), as Elasticsearch's `range` on a keyword.
 */
export interface RangeQuery {
  readonly kind: 'range';
  readonly field: FieldSel;
  readonly gt?: number | string;
  readonly gte?: number | string;
  readonly lt?: number | string;
  readonly lte?: number | string;
  /** Number bounds are dates in ms since the epoch. */
  readonly date?: boolean;
}

/** The field has at least one value (an empty string counts; null does not). */
export interface ExistsQuery {
  readonly kind: 'exists';
  readonly field: FieldSel;
}

/**
 * A regular expression in Lucene's regexp syntax, as Elasticsearch's `regexp` query reads it.
 * It must match a whole string value or a whole token of one (anchored at both ends; tokens are
 * lowercase), as Elasticsearch applies it to a keyword or to the terms of a text field.
 */
export interface RegexQuery {
  readonly kind: 'regex';
  readonly field: FieldSel;
  readonly pattern: string;
}

/**
 * `query` must match within one element of the array of objects at `path`, so
 * `items:{ name:banana and stock > 9 }` does not match a banana with 1 in stock next to an
 * apple with 20. Paths inside `query` are relative to `path`.
 */
export interface NestedQuery {
  readonly kind: 'nested';
  readonly path: string;
  readonly query: Query;
}
