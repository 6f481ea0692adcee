/**
 * @module
 * Compiles a query in Elasticsearch's query DSL (the `query` of a search body) into the store's
 * {@link Query}: `bool` (`must`, `filter`, `should`, `must_not`, `minimum_should_match`),
 * `match_all`, `match_none`, `constant_score`, `dis_max`, `query_string` (Lucene syntax,
 * `lucene/`), `simple_query_string`, and the leaves of `leaf.ts`. Matching follows
 * Elasticsearch's filter context: there is no scoring, so `boost`, `tie_breaker` and the like
 * are accepted and change nothing. `ids` is refused: the store's filters see fields, not
 * document ids.
 */

import { LuceneSyntaxError } from '../lucene/errors.js';
import { compileLucene } from '../lucene/compile.js';
import { parseLucene } from '../lucene/parse.js';
import { type FieldResolver, plainField } from '../leaves.js';
import type { Query } from '../query.js';
import { EsQueryError } from './errors.js';
import {
  atLeast,
  checkKeys,
  existsQuery,
  isObject,
  type LeafContext,
  matchQuery,
  minimumShouldMatch,
  multiMatchQuery,
  patternQuery,
  rangeQuery,
  termQuery,
  termsQuery,
} from './leaf.js';
import { compileSimpleQuery } from './simple-query-string.js';

export interface DslCompileOptions {
  /** "now" for date math, ms since the epoch. */
  readonly now: number;
  /** How field names resolve (default: as written; see `fields.ts` for the mapping's). */
  readonly resolve?: FieldResolver;
}

type Obj = Record<string, unknown>;
type Compile = (body: Obj, ctx: LeafContext) => Query;

const KINDS: Readonly<Record<string, Compile>> = {
  bool: boolQuery,
  match_all: (b) => {
    checkKeys('match_all', b, []);
    return { kind: 'all' };
  },
  match_none: (b) => {
    checkKeys('match_none', b, []);
    return { kind: 'none' };
  },
  constant_score: (b, ctx) => {
    checkKeys('constant_score', b, ['filter']);
    if (b.filter === undefined) {
      throw new EsQueryError('parsing_exception', "[constant_score] requires a 'filter' element");
    }
    return compile(b.filter, ctx);
  },
  dis_max: (b, ctx) => {
    checkKeys('dis_max', b, ['queries', 'tie_breaker']);
    const qs = clauses('dis_max', 'queries', b.queries, ctx);
    return qs.length === 0 ? { kind: 'none' } : or(qs);
  },
  term: termQuery,
  terms: termsQuery,
  match: (b, ctx) => matchQuery('match', b, ctx),
  match_phrase: (b, ctx) => matchQuery('match_phrase', b, ctx),
  multi_match: multiMatchQuery,
  range: rangeQuery,
  exists: existsQuery,
  prefix: (b, ctx) => patternQuery('prefix', b, ctx),
  wildcard: (b, ctx) => patternQuery('wildcard', b, ctx),
  regexp: (b, ctx) => patternQuery('regexp', b, ctx),
  query_string: queryString,
  simple_query_string: simpleQueryString,
  ids: () => {
    throw new EsQueryError(
      'query_shard_exception',
      'cannot run [ids] query: the log store does not filter by document id; search by a field of the documents instead',
    );
  },
};

/**
 * Compiles a query object such as `{"bool": {"filter": [...]}}`; undefined is `match_all`.
 *
 * @throws {EsQueryError} with Elasticsearch's error type: `parsing_exception` for an unknown
 *   query or parameter, `query_shard_exception` for a `query_string` that does not parse.
 * @example
 * compileDsl({ bool: { filter: [{ term: { level: 'error' } }, { range: { '@timestamp': { gte: 'now-1h' } } }] } }, { now: Date.now() });
 * // { kind: 'and', children: [{ kind: 'term', … }, { kind: 'range', …, date: true }] }
 */
export function compileDsl(query: unknown, opts: DslCompileOptions): Query {
  if (query === undefined) return { kind: 'all' };
  return compile(query, { now: opts.now, resolve: opts.resolve ?? plainField });
}

function compile(q: unknown, ctx: LeafContext): Query {
  if (!isObject(q)) {
    throw new EsQueryError('parsing_exception', `query malformed, must start with start_object`);
  }
  const keys = Object.keys(q);
  if (keys.length !== 1) {
    throw new EsQueryError(
      'parsing_exception',
      keys.length === 0
        ? 'query malformed, empty clause found'
        : `[${keys[0]}] malformed query, expected [END_OBJECT] but found [FIELD_NAME] ${keys[1]}`,
    );
  }
  const kind = keys[0]!;
  const compileKind = Object.hasOwn(KINDS, kind) ? KINDS[kind] : undefined;
  if (compileKind === undefined) {
    throw new EsQueryError('parsing_exception', `unknown query [${kind}]`);
  }
  const body = q[kind];
  if (!isObject(body)) {
    throw new EsQueryError(
      'parsing_exception',
      `[${kind}] query malformed, no start_object after query name`,
    );
  }
  return compileKind(body, ctx);
}

function or(children: Query[]): Query {
  return children.length === 1 ? children[0]! : { kind: 'or', children };
}

function and(children: Query[]): Query {
  return children.length === 1 ? children[0]! : { kind: 'and', children };
}

/** A clause list: one query object or an array of them. */
function clauses(kind: string, key: string, v: unknown, ctx: LeafContext): Query[] {
  if (v === undefined) return [];
  const list = Array.isArray(v) ? v : [v];
  return list.map((c) => {
    if (!isObject(c)) {
      throw new EsQueryError('parsing_exception', `[${kind}] [${key}] must hold query objects`);
    }
    return compile(c, ctx);
  });
}

/**
 * `bool`: every `must` and `filter` clause; at least `minimum_should_match` of the `should`
 * clauses (default 1 when there is no `must` or `filter` clause, else 0, as Elasticsearch);
 * none of the `must_not` clauses. An empty `bool` matches every document.
 */
function boolQuery(b: Obj, ctx: LeafContext): Query {
  checkKeys('bool', b, [
    'must',
    'filter',
    'should',
    'must_not',
    'minimum_should_match',
    'adjust_pure_negative',
  ]);
  const pos = [
    ...clauses('bool', 'must', b.must, ctx),
    ...clauses('bool', 'filter', b.filter, ctx),
  ];
  const should = clauses('bool', 'should', b.should, ctx);
  const neg = clauses('bool', 'must_not', b.must_not, ctx);
  if (should.length > 0) {
    const k =
      b.minimum_should_match === undefined || b.minimum_should_match === null
        ? pos.length === 0
          ? 1
          : 0
        : minimumShouldMatch(b.minimum_should_match, should.length);
    if (k > 0) pos.push(atLeast(k, should));
  }
  if (neg.length > 0) pos.push({ kind: 'not', child: or(neg) });
  if (pos.length === 0) return { kind: 'all' };
  return and(pos);
}

/** `default_operator`: `OR` (default) or `AND`, any case. */
function operator(kind: string, v: unknown): 'or' | 'and' {
  if (v === undefined) return 'or';
  const s = String(v).toLowerCase();
  if (s === 'or' || s === 'and') return s;
  throw new EsQueryError(
    'parsing_exception',
    `[${kind}] default_operator [${String(v)}] is not valid`,
  );
}

/** `fields` with boosts (`message^2`) stripped, or `default_field`, or every field. */
function fieldList(b: Obj): string[] {
  if (Array.isArray(b.fields) && b.fields.length > 0) {
    return b.fields.map((f) => String(f).replace(/\^[\d.]+$/, ''));
  }
  return [typeof b.default_field === 'string' ? b.default_field : '*'];
}

const QUERY_STRING_KEYS = [
  'query',
  'default_field',
  'fields',
  'default_operator',
  'analyze_wildcard',
  'allow_leading_wildcard',
  'lenient',
  'time_zone',
  'analyzer',
  'quote_analyzer',
  'auto_generate_synonyms_phrase_query',
  'enable_position_increments',
  'fuzziness',
  'fuzzy_max_expansions',
  'fuzzy_prefix_length',
  'fuzzy_transpositions',
  'fuzzy_rewrite',
  'phrase_slop',
  'minimum_should_match',
  'quote_field_suffix',
  'rewrite',
  'type',
  'tie_breaker',
  'max_determinized_states',
  'escape',
];

/** `query_string`: Lucene syntax, errors as Elasticsearch's `query_shard_exception`. */
function queryString(b: Obj, ctx: LeafContext): Query {
  checkKeys('query_string', b, QUERY_STRING_KEYS);
  if (typeof b.query !== 'string') {
    throw new EsQueryError('parsing_exception', '[query_string] must be provided with a [query]');
  }
  const text = b.query;
  try {
    const tree = parseLucene(text, operator('query_string', b.default_operator));
    return compileLucene(tree, {
      now: ctx.now,
      query: text,
      defaultFields: fieldList(b),
      resolve: ctx.resolve,
    });
  } catch (err) {
    if (!(err instanceof LuceneSyntaxError)) throw err;
    throw new EsQueryError('query_shard_exception', `Failed to parse query [${text}]`, {
      cause: err,
      causedBy: { type: 'parse_exception', reason: err.message },
    });
  }
}

/** `simple_query_string`, which never fails on its text. */
function simpleQueryString(b: Obj, ctx: LeafContext): Query {
  checkKeys('simple_query_string', b, [
    'query',
    'fields',
    'default_operator',
    'flags',
    'analyze_wildcard',
    'lenient',
    'minimum_should_match',
    'quote_field_suffix',
    'auto_generate_synonyms_phrase_query',
    'fuzzy_max_expansions',
    'fuzzy_prefix_length',
    'fuzzy_transpositions',
    'analyzer',
  ]);
  if (typeof b.query !== 'string') {
    throw new EsQueryError(
      'parsing_exception',
      '[simple_query_string] must be provided with a [query]',
    );
  }
  return compileSimpleQuery(b.query, {
    fields: fieldList(b),
    operator: operator('simple_query_string', b.default_operator),
    resolve: ctx.resolve,
  });
}
