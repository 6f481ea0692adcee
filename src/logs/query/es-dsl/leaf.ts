/**
 * @module
 * The leaf queries of Elasticsearch's query DSL: `term`, `terms`, `match`, `match_phrase`,
 * `multi_match`, `range`, `exists`, `prefix`, `wildcard`, `regexp`. Each reads its body in
 * Elasticsearch's short (`{"field": value}`) and long (`{"field": {"value": …}}`) forms and
 * refuses parameters it does not know, naming them, as Elasticsearch does. Parameters that only
 * shape scoring or analysis (`boost`, `analyzer`, `fuzziness`, `slop`, …) are accepted and do
 * not change which documents match.
 */

import { DateMathError } from '../date-math.js';
import { luceneRegExp, RegexSyntaxError } from '../filter/regex.js';
import {
  type FieldResolver,
  matchLeaf,
  type RangeBound,
  rangeLeaf,
  type ResolvedField,
  wildcardLeaf,
} from '../leaves.js';
import type { Query } from '../query.js';
import { EsQueryError } from './errors.js';

/** What every leaf compiler gets. */
export interface LeafContext {
  readonly now: number;
  readonly resolve: FieldResolver;
}

type Obj = Record<string, unknown>;

/** Parameters that do not change which documents match, accepted by every query. */
const SCORING = ['boost', '_name'];
const ANALYSIS = [
  'analyzer',
  'auto_generate_synonyms_phrase_query',
  'fuzziness',
  'fuzzy_rewrite',
  'fuzzy_transpositions',
  'lenient',
  'max_expansions',
  'prefix_length',
  'zero_terms_query',
  'cutoff_frequency',
];

/**
 * Whether `v` is a JSON object (not an array or null).
 *
 * @example
 * isObject({}); // true
 * isObject([]); // false
 */
export function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Refuses keys of `o` outside `allowed` (and the scoring keys), as Elasticsearch does.
 *
 * @throws {EsQueryError} `parsing_exception` naming the first unknown key.
 * @example
 * checkKeys('exists', { field: 'a' }, ['field']);
 */
export function checkKeys(kind: string, o: Obj, allowed: readonly string[]): void {
  for (const k of Object.keys(o)) {
    if (!allowed.includes(k) && !SCORING.includes(k)) {
      throw new EsQueryError('parsing_exception', `[${kind}] query does not support [${k}]`);
    }
  }
}

/** The one field a leaf names, and its body (`{"field": body}`), ignoring scoring keys. */
function singleField(kind: string, o: Obj): [string, unknown] {
  const entries = Object.entries(o).filter(([k]) => !SCORING.includes(k));
  if (entries.length === 0) {
    throw new EsQueryError('parsing_exception', `[${kind}] query requires a field name`);
  }
  if (entries.length > 1) {
    throw new EsQueryError(
      'parsing_exception',
      `[${kind}] query doesn't support multiple fields, found [${entries[0]![0]}] and [${entries[1]![0]}]`,
    );
  }
  return entries[0]!;
}

/** A scalar query value as text. */
function text(kind: string, v: unknown): string {
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw new EsQueryError(
    'parsing_exception',
    `[${kind}] query value must be a string, number or boolean, got ${JSON.stringify(v)}`,
  );
}

/**
 * The field and the value of a leaf in its short or long form.
 *
 * @param valueKeys the long form's names for the value, e.g. `['value']` or `['query']`
 */
function fieldAndValue(
  kind: string,
  o: Obj,
  valueKeys: readonly string[],
  allowed: readonly string[],
): { field: string; value: unknown; params: Obj } {
  const [field, body] = singleField(kind, o);
  if (!isObject(body)) return { field, value: body, params: {} };
  checkKeys(kind, body, [...valueKeys, ...allowed]);
  const key = valueKeys.find((k) => body[k] !== undefined);
  if (key === undefined) {
    throw new EsQueryError('parsing_exception', `[${kind}] query requires [${valueKeys[0]}]`);
  }
  return { field, value: body[key], params: body };
}

function or(children: Query[]): Query {
  return children.length === 1 ? children[0]! : { kind: 'or', children };
}

function and(children: Query[]): Query {
  return children.length === 1 ? children[0]! : { kind: 'and', children };
}

function binomial(n: number, k: number): number {
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - i + 1)) / i;
  return c;
}

/** The most combinations `minimum_should_match` may expand to: beyond, the tree grows too big. */
const MAX_COMBINATIONS = 256;

/**
 * "At least `k` of `qs`": or-ed conjunctions of every `k`-subset (the query tree has no
 * counting node; real requests use small counts).
 *
 * @throws {EsQueryError} when that needs more than {@link MAX_COMBINATIONS} conjunctions.
 * @example
 * atLeast(2, [a, b, c]); // (a and b) or (a and c) or (b and c)
 */
export function atLeast(k: number, qs: readonly Query[]): Query {
  if (k <= 0) return { kind: 'all' };
  if (k > qs.length) return { kind: 'none' };
  if (k === 1) return or([...qs]);
  if (k === qs.length) return and([...qs]);
  if (binomial(qs.length, k) > MAX_COMBINATIONS) {
    throw new EsQueryError(
      'illegal_argument_exception',
      `cannot compile minimum_should_match ${k} of ${qs.length} clauses: more than ${MAX_COMBINATIONS} combinations`,
    );
  }
  const out: Query[] = [];
  const pick = (from: number, chosen: Query[]) => {
    if (chosen.length === k) {
      out.push(and(chosen));
      return;
    }
    for (let i = from; i <= qs.length - (k - chosen.length); i++) pick(i + 1, [...chosen, qs[i]!]);
  };
  pick(0, []);
  return or(out);
}

/**
 * Reads `minimum_should_match` (`2`, `-1`, `"75%"`, `"-25%"`) for `n` optional clauses.
 *
 * @example
 * minimumShouldMatch('75%', 4); // 3
 */
export function minimumShouldMatch(v: unknown, n: number): number {
  const s = String(v).trim();
  const m = /^(-?)(\d+)(%?)$/.exec(s);
  if (m === null || (typeof v !== 'string' && typeof v !== 'number')) {
    throw new EsQueryError(
      'parsing_exception',
      `cannot read minimum_should_match ${JSON.stringify(v)}: want a whole number or a percentage`,
    );
  }
  const x = Number(m[2]);
  const count = m[3] === '%' ? Math.floor((n * x) / 100) : x;
  const k = m[1] === '-' ? n - count : count;
  return Math.max(0, k);
}

/** `match` (and `multi_match` per field): any (or all) of the words, or a phrase. */
function matchField(
  f: ResolvedField,
  value: string,
  how: 'any' | 'all' | 'phrase',
  msm?: unknown,
): Query {
  if (f.exact) return { kind: 'term', field: f.sel, value };
  if (how === 'phrase') return matchLeaf(f.sel, value, true);
  const words = value.split(/\s+/).filter((w) => w !== '');
  if (words.length === 0) return { kind: 'none' };
  if (how === 'any' && msm === undefined) return matchLeaf(f.sel, value, false);
  const each = words.map((w) => matchLeaf(f.sel, w, false));
  if (how === 'all') return and(each);
  return atLeast(minimumShouldMatch(msm, each.length), each);
}

function operatorOf(kind: string, v: unknown): 'any' | 'all' {
  if (v === undefined) return 'any';
  const s = String(v).toLowerCase();
  if (s === 'or') return 'any';
  if (s === 'and') return 'all';
  throw new EsQueryError(
    'parsing_exception',
    `[${kind}] query does not support operator [${String(v)}]`,
  );
}

/**
 * `term`: the whole value, exactly.
 *
 * @example
 * termQuery({ level: 'error' }, ctx); // { kind: 'term', field: { kind: 'path', path: 'level' }, value: 'error' }
 */
export function termQuery(o: Obj, ctx: LeafContext): Query {
  const { field, value, params } = fieldAndValue('term', o, ['value'], ['case_insensitive']);
  if (params.case_insensitive === true) {
    throw new EsQueryError(
      'parsing_exception',
      '[term] query does not support [case_insensitive]: use a match query',
    );
  }
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
    throw new EsQueryError('parsing_exception', `[term] query value must be a scalar`);
  }
  return { kind: 'term', field: ctx.resolve(field).sel, value };
}

/**
 * `terms`: any of the values.
 *
 * @example
 * termsQuery({ level: ['error', 'warn'] }, ctx); // { kind: 'or', children: [{ kind: 'term', … }, …] }
 */
export function termsQuery(o: Obj, ctx: LeafContext): Query {
  const [field, values] = singleField('terms', o);
  if (!Array.isArray(values)) {
    throw new EsQueryError(
      'parsing_exception',
      `[terms] query requires an array of values for [${field}] (terms lookup is not supported)`,
    );
  }
  if (values.length === 0) return { kind: 'none' };
  const sel = ctx.resolve(field).sel;
  return or(
    values.map((v): Query => {
      if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
        throw new EsQueryError('parsing_exception', `[terms] query values must be scalars`);
      }
      return { kind: 'term', field: sel, value: v };
    }),
  );
}

/**
 * `match` (any of the words; all with `operator: and`; `minimum_should_match`) and
 * `match_phrase` (the words in a row).
 *
 * @example
 * matchQuery('match', { message: { query: 'connection refused', operator: 'and' } }, ctx);
 */
export function matchQuery(kind: 'match' | 'match_phrase', o: Obj, ctx: LeafContext): Query {
  const allowed =
    kind === 'match' ? ['operator', 'minimum_should_match', ...ANALYSIS] : ['slop', ...ANALYSIS];
  const { field, value, params } = fieldAndValue(kind, o, ['query'], allowed);
  const t = text(kind, value);
  const f = ctx.resolve(field);
  if (kind === 'match_phrase') return matchField(f, t, 'phrase');
  return matchField(f, t, operatorOf(kind, params.operator), params.minimum_should_match);
}

/**
 * `multi_match`: `best_fields`, `most_fields` and `phrase` per field; `cross_fields` per word.
 *
 * @example
 * multiMatchQuery({ query: 'timed out', type: 'phrase', fields: ['message', 'error.message^2'] }, ctx);
 */
export function multiMatchQuery(o: Obj, ctx: LeafContext): Query {
  checkKeys('multi_match', o, [
    'query',
    'fields',
    'type',
    'operator',
    'minimum_should_match',
    'tie_breaker',
    'slop',
    ...ANALYSIS,
  ]);
  if (o.query === undefined) {
    throw new EsQueryError('parsing_exception', '[multi_match] requires query value');
  }
  const t = text('multi_match', o.query);
  const fields = o.fields === undefined ? ['*'] : Array.isArray(o.fields) ? o.fields : [o.fields];
  const names = fields.map((f) => String(f).replace(/\^[\d.]+$/, ''));
  const type = String(o.type ?? 'best_fields');
  const op = operatorOf('multi_match', o.operator);
  const resolved = names.map(ctx.resolve);
  switch (type) {
    case 'best_fields':
    case 'most_fields':
      return or(resolved.map((f) => matchField(f, t, op, o.minimum_should_match)));
    case 'phrase':
      return or(resolved.map((f) => matchField(f, t, 'phrase')));
    case 'cross_fields': {
      const words = t.split(/\s+/).filter((w) => w !== '');
      const each = words.map((w) => or(resolved.map((f) => matchField(f, w, 'any'))));
      if (op === 'all') return and(each);
      const k =
        o.minimum_should_match === undefined
          ? 1
          : minimumShouldMatch(o.minimum_should_match, each.length);
      return atLeast(k, each);
    }
    default:
      throw new EsQueryError(
        'parsing_exception',
        `[multi_match] query does not support type [${type}]; supported: best_fields, most_fields, cross_fields, phrase`,
      );
  }
}

const UTC_ZONES = /^(?:utc|z|gmt|[+-]00:?00|etc\/utc)$/i;

/**
 * `range`, with `format` epoch_millis/epoch_second and date math; without bounds it is
 * `exists`.
 *
 * @example
 * rangeQuery({ '@timestamp': { gte: 'now-15m', format: 'strict_date_optional_time' } }, ctx);
 */
export function rangeQuery(o: Obj, ctx: LeafContext): Query {
  const [field, body] = singleField('range', o);
  if (!isObject(body)) {
    throw new EsQueryError(
      'parsing_exception',
      `[range] query malformed, no start_object after [${field}]`,
    );
  }
  const allowed = ['gt', 'gte', 'lt', 'lte', 'from', 'to', 'include_lower', 'include_upper'];
  checkKeys('range', body, [...allowed, 'format', 'time_zone', 'relation']);
  if (body.time_zone !== undefined && !UTC_ZONES.test(String(body.time_zone))) {
    throw new EsQueryError(
      'parsing_exception',
      `[range] query does not support time_zone [${String(body.time_zone)}]: write the bounds with their UTC offset`,
    );
  }
  const formats = String(body.format ?? '').split('||');
  const f = ctx.resolve(field);
  const seconds = formats.includes('epoch_second');
  const epochMillis = f.date === true || seconds || formats.includes('epoch_millis');
  const bounds: RangeBound[] = [];
  const add = (op: RangeBound['op'], v: unknown) => {
    if (v === undefined || v === null) return;
    let value: string | number = typeof v === 'number' ? v : text('range', v);
    if (seconds && /^-?\d+(\.\d+)?$/.test(String(value))) value = Number(value) * 1000;
    bounds.push({ op, value, epochMillis });
  };
  add('gt', body.gt);
  add('gte', body.gte);
  add('lt', body.lt);
  add('lte', body.lte);
  add(body.include_lower === false ? 'gt' : 'gte', body.from);
  add(body.include_upper === false ? 'lt' : 'lte', body.to);
  if (bounds.length === 0) {
    return f.sel.kind === 'any' ? { kind: 'all' } : { kind: 'exists', field: f.sel };
  }
  try {
    return rangeLeaf(f.sel, bounds, ctx.now);
  } catch (err) {
    if (!(err instanceof DateMathError)) throw err;
    throw new EsQueryError(
      'parse_exception',
      `failed to parse date field [${err.text}]: ${err.message}`,
      { cause: err },
    );
  }
}

/**
 * `exists`.
 *
 * @example
 * existsQuery({ field: 'error.message' }, ctx); // { kind: 'exists', field: { kind: 'path', path: 'error.message' } }
 */
export function existsQuery(o: Obj, ctx: LeafContext): Query {
  checkKeys('exists', o, ['field']);
  if (typeof o.field !== 'string') {
    throw new EsQueryError('parsing_exception', '[exists] must be provided with a [field]');
  }
  const f = ctx.resolve(o.field);
  return f.sel.kind === 'any' ? { kind: 'all' } : { kind: 'exists', field: f.sel };
}

/**
 * `prefix`, `wildcard` and `regexp`.
 *
 * @example
 * patternQuery('wildcard', { 'kubernetes.pod.name': { value: 'web-*' } }, ctx);
 */
export function patternQuery(
  kind: 'prefix' | 'wildcard' | 'regexp',
  o: Obj,
  ctx: LeafContext,
): Query {
  const valueKeys = kind === 'wildcard' ? ['value', 'wildcard'] : ['value'];
  const extra = kind === 'regexp' ? ['flags', 'max_determinized_states'] : [];
  const { field, value, params } = fieldAndValue(kind, o, valueKeys, [
    'case_insensitive',
    'rewrite',
    ...extra,
  ]);
  if (params.case_insensitive === true) {
    throw new EsQueryError(
      'parsing_exception',
      `[${kind}] query does not support [case_insensitive]`,
    );
  }
  const v = text(kind, value);
  const f = ctx.resolve(field);
  if (kind === 'prefix') return { kind: 'wildcard', field: f.sel, parts: [v, ''] };
  if (kind === 'wildcard') return wildcardLeaf(f, v);
  try {
    luceneRegExp(v);
  } catch (err) {
    if (!(err instanceof RegexSyntaxError)) throw err;
    throw new EsQueryError('query_shard_exception', `failed to create query: ${err.message}`, {
      cause: err,
    });
  }
  return { kind: 'regex', field: f.sel, pattern: v };
}
