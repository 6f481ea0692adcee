/**
 * @module
 * Reads an Elasticsearch search request (its JSON body and URL parameters) into the options of
 * the search orchestration (`logs/query/search.ts`) plus how to render hits. Supported: `query`
 * (query DSL) or `?q=` (Lucene), `size` (default 10), `from` (with `size`, at most 10 000, as
 * `index.max_result_window`), `sort` on `@timestamp`, `_doc` or `_score`, `search_after`,
 * `_source`, `fields`/`docvalue_fields`, `highlight`, `aggs`/`aggregations`,
 * `track_total_hits`. Keys that only shape scoring or the response's metadata are accepted and
 * ignored; keys that would change the result in a way not supported (`post_filter`,
 * `collapse`, …) are refused by name rather than silently dropped.
 */

import { compileDsl } from '../../../logs/query/es-dsl/compile.js';
import { storePath } from '../../../logs/query/es-dsl/fields.js';
import { parseAggregations } from '../../../logs/query/aggs/parse.js';
import type { FieldResolver } from '../../../logs/query/leaves.js';
import type { SearchOptions } from '../../../logs/query/search.js';
import { timeBounds } from '../../../logs/query/time-range.js';
import { parseDate } from '../../../logs/query/date-math.js';
import type { FieldMapping, Position } from '../../../logs/store/interface.js';
import { EsApiError } from './targets.js';

/** Elasticsearch's default `index.max_result_window`. */
export const MAX_RESULT_WINDOW = 10_000;

/** What `_source` asks for: nothing, everything, or paths by pattern. */
export type SourceFilter =
  false | true | { readonly includes: readonly string[]; readonly excludes: readonly string[] };

export interface SearchPlan {
  readonly options: Omit<SearchOptions, 'indices' | 'signal'>;
  readonly source: SourceFilter;
  /** Patterns of `fields` and `docvalue_fields`, returned per hit as `fields`. */
  readonly fields: readonly string[];
  /** Patterns of `highlight.fields`; undefined without highlighting. */
  readonly highlightFields?: readonly string[];
  /** Whether hits are sorted by score (none given, or `_score`): `_score` is 1, not null. */
  readonly scored: boolean;
  /** `rest_total_hits_as_int`: `hits.total` as a number. */
  readonly totalAsInt: boolean;
}

type Obj = Record<string, unknown>;

const IGNORED = new Set([
  'stored_fields',
  'version',
  'seq_no_primary_term',
  'explain',
  'timeout',
  'track_scores',
  'profile',
  'min_score',
  'stats',
  'ext',
  'indices_boost',
]);
const HANDLED = new Set([
  'query',
  'size',
  'from',
  'sort',
  'search_after',
  '_source',
  'fields',
  'docvalue_fields',
  'script_fields',
  'highlight',
  'aggs',
  'aggregations',
  'track_total_hits',
  'runtime_mappings',
]);

function intOf(name: string, v: unknown, dflt: number): number {
  if (v === undefined || v === null || v === '') return dflt;
  const n = typeof v === 'string' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
    throw new EsApiError(
      400,
      'illegal_argument_exception',
      `[${name}] must be a non-negative whole number, got ${JSON.stringify(v)}`,
    );
  }
  return n;
}

function list(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  const items = Array.isArray(v) ? v : [v];
  return items.flatMap((x) =>
    typeof x === 'string'
      ? x.split(',')
      : typeof x === 'object' && x !== null && typeof (x as Obj).field === 'string'
        ? [(x as Obj).field as string]
        : [],
  );
}

/** `sort`: the direction by time, and whether it is by score. */
function sortOf(v: unknown): { order: 'desc' | 'asc'; scored: boolean } {
  const items = v === undefined ? [] : Array.isArray(v) ? v : [v];
  let first: { order: 'desc' | 'asc'; scored: boolean } | undefined;
  for (const item of items) {
    const entries: [string, unknown][] =
      typeof item === 'string'
        ? item.split(',').map((s) => {
            const [k, d] = s.split(':');
            return [k!, d];
          })
        : typeof item === 'object' && item !== null
          ? Object.entries(item)
          : [];
    for (const [field, spec] of entries) {
      const dir = typeof spec === 'object' && spec !== null ? (spec as Obj).order : spec;
      if (dir !== undefined && dir !== 'asc' && dir !== 'desc') {
        throw new EsApiError(
          400,
          'parsing_exception',
          `[sort] order [${String(dir)}] is not valid: want asc or desc`,
        );
      }
      let s: { order: 'desc' | 'asc'; scored: boolean };
      if (field === '@timestamp') s = { order: dir === 'asc' ? 'asc' : 'desc', scored: false };
      else if (field === '_doc') s = { order: dir === 'desc' ? 'desc' : 'asc', scored: false };
      else if (field === '_score') s = { order: 'desc', scored: true };
      else {
        throw new EsApiError(
          400,
          'illegal_argument_exception',
          `cannot sort by [${field}]: hits sort by @timestamp (also named by _doc and _score), newest or oldest first`,
        );
      }
      first ??= s;
    }
  }
  return first ?? { order: 'desc', scored: true };
}

/**
 * `search_after` as a store position: `[ms, "<ns>|<tiebreak>"]` as hits' `sort` gives it, or
 * only a time (ms or a date), which resumes after every document of that millisecond.
 */
function afterOf(v: unknown, order: 'desc' | 'asc'): Position | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.length === 0 || v.length > 2) {
    throw new EsApiError(
      400,
      'parsing_exception',
      '[search_after] must be the sort values of a hit',
    );
  }
  const [t, tie] = v as unknown[];
  const ms =
    typeof t === 'number'
      ? t
      : typeof t === 'string'
        ? /^-?\d+$/.test(t)
          ? Number(t)
          : parseDate(t)?.start
        : undefined;
  if (ms === undefined || !Number.isFinite(ms)) {
    throw new EsApiError(
      400,
      'parsing_exception',
      `cannot read [search_after] time ${JSON.stringify(t)}`,
    );
  }
  if (tie === undefined) {
    // Past every document in that millisecond: ns run from 0 to 999 999.
    return { ms: Math.floor(ms), ns: order === 'desc' ? -1 : 1_000_000, tiebreak: '' };
  }
  const m = typeof tie === 'string' ? /^(\d+)\|([\s\S]*)$/.exec(tie) : null;
  if (m === null) {
    throw new EsApiError(
      400,
      'parsing_exception',
      `cannot read [search_after] tiebreaker ${JSON.stringify(tie)}`,
    );
  }
  return { ms, ns: Number(m[1]), tiebreak: m[2]! };
}

/**
 * A hit's `sort` values: its time in ms and a tiebreaker `search_after` reads back.
 *
 * @example
 * sortValues({ ms: 1714996800000, ns: 5, tiebreak: 'logs/x' }); // [1714996800000, '5|logs/x']
 */
export function sortValues(p: Position): [number, string] {
  return [p.ms, `${p.ns}|${p.tiebreak}`];
}

function sourceOf(v: unknown, q: Obj): SourceFilter {
  const inc = q._source_includes ?? q._source_include;
  const exc = q._source_excludes ?? q._source_exclude;
  const param = q._source;
  let given = v;
  if (given === undefined && param !== undefined)
    given = param === 'false' ? false : param === 'true' ? true : param;
  if (given === false) return false;
  let includes: string[] = [];
  let excludes: string[] = [];
  if (typeof given === 'string' || Array.isArray(given)) includes = list(given);
  else if (typeof given === 'object' && given !== null) {
    const o = given as Obj;
    includes = list(o.includes ?? o.include);
    excludes = list(o.excludes ?? o.exclude);
  }
  includes.push(...list(inc));
  excludes.push(...list(exc));
  return includes.length === 0 && excludes.length === 0 ? true : { includes, excludes };
}

/** `aggs` with `x.keyword` field names turned into the store's paths. */
function rewriteAggFields(aggs: unknown, mapping: ReadonlyMap<string, FieldMapping>): unknown {
  if (typeof aggs !== 'object' || aggs === null || Array.isArray(aggs)) return aggs;
  const out: Obj = {};
  for (const [name, def] of Object.entries(aggs)) {
    if (typeof def !== 'object' || def === null || Array.isArray(def)) {
      out[name] = def;
      continue;
    }
    const d: Obj = {};
    for (const [k, v] of Object.entries(def)) {
      if (k === 'aggs' || k === 'aggregations') d[k] = rewriteAggFields(v, mapping);
      else if (typeof v === 'object' && v !== null && typeof (v as Obj).field === 'string') {
        d[k] = { ...(v as Obj), field: storePath((v as Obj).field as string, mapping) };
      } else d[k] = v;
    }
    out[name] = d;
  }
  return out;
}

/**
 * Reads a search request.
 *
 * @param q the URL parameters
 * @throws {EsApiError}, EsQueryError and AggregationError for what cannot be read.
 * @example
 * planSearch({ size: 0, aggs: { n: { terms: { field: 'level.keyword' } } } }, {}, { now: Date.now(), mapping, resolve });
 */
export function planSearch(
  body: Obj,
  q: Obj,
  ctx: { now: number; mapping: ReadonlyMap<string, FieldMapping>; resolve: FieldResolver },
): SearchPlan {
  for (const k of Object.keys(body)) {
    if (HANDLED.has(k) || IGNORED.has(k)) continue;
    throw new EsApiError(
      400,
      'parsing_exception',
      `Unknown key [${k}] in the search body: not supported`,
    );
  }
  for (const k of ['runtime_mappings', 'script_fields']) {
    const v = body[k];
    if (v !== undefined && (typeof v !== 'object' || v === null || Object.keys(v).length > 0)) {
      throw new EsApiError(
        400,
        'parsing_exception',
        `[${k}] is not supported: there are no scripts`,
      );
    }
  }
  const size = intOf('size', body.size ?? q.size, 10);
  const offset = intOf('from', body.from ?? q.from, 0);
  if (size + offset > MAX_RESULT_WINDOW) {
    throw new EsApiError(
      400,
      'illegal_argument_exception',
      `Result window is too large, from + size must be less than or equal to: [${MAX_RESULT_WINDOW}] but was [${size + offset}]. See the scroll api for a more efficient way to request large data sets. This limit can be set by changing the [index.max_result_window] index level setting.`,
    );
  }
  const { order, scored } = sortOf(body.sort ?? q.sort);
  const after = afterOf(body.search_after, order);
  if (after !== undefined && offset > 0) {
    throw new EsApiError(
      400,
      'illegal_argument_exception',
      '`from` parameter must be set to 0 when `search_after` is used.',
    );
  }
  let queryBody = body.query;
  if (queryBody === undefined && typeof q.q === 'string') {
    queryBody = {
      query_string: {
        query: q.q,
        ...(typeof q.df === 'string' ? { default_field: q.df } : {}),
        ...(typeof q.default_operator === 'string' ? { default_operator: q.default_operator } : {}),
      },
    };
  }
  const query = compileDsl(queryBody, { now: ctx.now, resolve: ctx.resolve });
  const { from, to } = timeBounds(query);
  const aggsBody = body.aggs ?? body.aggregations;
  const aggs =
    aggsBody === undefined
      ? undefined
      : parseAggregations(rewriteAggFields(aggsBody, ctx.mapping), {
          now: ctx.now,
          resolve: ctx.resolve,
          ...(from === undefined ? {} : { from }),
          ...(to === undefined ? {} : { to }),
        });
  const tth = body.track_total_hits ?? q.track_total_hits;
  const trackTotalHits =
    tth === undefined
      ? MAX_RESULT_WINDOW
      : tth === true || tth === 'true'
        ? true
        : tth === false || tth === 'false'
          ? false
          : intOf('track_total_hits', tth, MAX_RESULT_WINDOW);
  const hl = body.highlight as Obj | undefined;
  const tag = (v: unknown) => (Array.isArray(v) && typeof v[0] === 'string' ? v[0] : undefined);
  const highlightFields =
    hl === undefined
      ? undefined
      : Array.isArray(hl.fields)
        ? hl.fields.flatMap((f) => Object.keys(f as Obj))
        : Object.keys((hl.fields ?? {}) as Obj);
  const pre = tag(hl?.pre_tags);
  const post = tag(hl?.post_tags);
  return {
    options: {
      query,
      ...(from === undefined ? {} : { from }),
      ...(to === undefined ? {} : { to }),
      sort: order,
      size,
      offset,
      ...(after === undefined ? {} : { after }),
      ...(aggs === undefined ? {} : { aggs }),
      trackTotalHits,
      ...(hl === undefined
        ? {}
        : {
            highlight: {
              ...(pre === undefined ? {} : { preTag: pre }),
              ...(post === undefined ? {} : { postTag: post }),
              ...(typeof hl.fragment_size === 'number' ? { fragmentSize: hl.fragment_size } : {}),
              ...(typeof hl.number_of_fragments === 'number'
                ? { numberOfFragments: hl.number_of_fragments }
                : {}),
              ...(hl.encoder === 'html' ? { encoder: 'html' as const } : {}),
            },
          }),
    },
    source: sourceOf(body._source, q),
    fields: [...list(body.fields), ...list(body.docvalue_fields)],
    ...(highlightFields === undefined
      ? {}
      : { highlightFields: highlightFields.length === 0 ? ['*'] : highlightFields }),
    scored,
    totalAsInt: q.rest_total_hits_as_int === 'true' || q.rest_total_hits_as_int === '',
  };
}
