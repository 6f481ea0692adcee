/**
 * @module
 * Parameters of the native logs API (`/api/v1/logs/…`): time bounds as RFC 3339, epoch
 * milliseconds or date math (`now-15m`), index lists, the KQL query compiled to the store's
 * {@link Query}, and the opaque page token that carries a {@link Position}. Every parser throws
 * {@link ParamError}, which routes answer as `bad_data` in the Prometheus envelope; a KQL error
 * keeps Kibana's message with its caret.
 */

import { DateMathError, parseDateMath } from '../../../logs/query/date-math.js';
import { compileKql } from '../../../logs/query/kql/compile.js';
import { parse as parseKql } from '../../../logs/query/kql/parse.js';
import type { Query } from '../../../logs/query/query.js';
import type { Position } from '../../../logs/store/interface.js';
import { ParamError } from '../prom-v1/params.js';

/** A parameter map from a query string or a JSON body; first value wins. */
export type LogParams = ReadonlyMap<string, string>;

/**
 * Merges a JSON object body (its scalar fields) over the URL query.
 *
 * @example
 * logParams({ q: 'error' }, { q: 'warn', limit: 5 }).get('q'); // 'warn'
 */
export function logParams(query: unknown, body: unknown): Map<string, string> {
  const out = new Map<string, string>();
  for (const src of [query, body]) {
    if (typeof src !== 'object' || src === null) continue;
    for (const [k, v] of Object.entries(src)) {
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')
        out.set(k, String(v));
    }
  }
  return out;
}

/**
 * A time bound in ms: RFC 3339, epoch ms, or date math against `now`. `end` bounds take the
 * end of the period a date names (`end=2024-05-06` includes that day).
 */
export function timeParam(
  p: LogParams,
  name: string,
  now: number,
  end = false,
): number | undefined {
  const text = p.get(name);
  if (text === undefined || text === '') return undefined;
  try {
    const r = parseDateMath(text, now);
    return Math.ceil(end ? r.end : r.start);
  } catch (err) {
    if (err instanceof DateMathError) throw new ParamError(err.message, name);
    throw err;
  }
}

/** A whole number within `[min, max]`, or `dflt` when absent. */
export function intParam(
  p: LogParams,
  name: string,
  dflt: number,
  min: number,
  max: number,
): number {
  const text = p.get(name);
  if (text === undefined || text === '') return dflt;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ParamError(
      `must be a whole number from ${min} to ${max}, got ${JSON.stringify(text)}`,
      name,
    );
  }
  return n;
}

/** `index`: comma-separated names or patterns; empty means every index. */
export function indicesParam(p: LogParams): string[] {
  return (p.get('index') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** `q`: a KQL query (empty matches everything), compiled against `now`. */
export function queryParam(p: LogParams, now: number): Query {
  const text = p.get('q') ?? '';
  try {
    return compileKql(parseKql(text), { now, query: text });
  } catch (err) {
    if (err instanceof Error && (err.name === 'KqlSyntaxError' || err.name === 'KqlCompileError')) {
      throw new ParamError(err.message, 'q');
    }
    throw err;
  }
}

/** `order`: `desc` (newest first, the default) or `asc`. */
export function orderParam(p: LogParams): 'desc' | 'asc' {
  const v = p.get('order') ?? 'desc';
  if (v !== 'desc' && v !== 'asc')
    throw new ParamError(`must be "desc" or "asc", got ${JSON.stringify(v)}`, 'order');
  return v;
}

/**
 * The page token of a position: base64url of its JSON, opaque to clients.
 *
 * @example
 * positionOf(tokenOf({ ms: 1, ns: 2, tiebreak: 'x' })); // { ms: 1, ns: 2, tiebreak: 'x' }
 */
export function tokenOf(p: Position): string {
  return Buffer.from(JSON.stringify([p.ms, p.ns, p.tiebreak])).toString('base64url');
}

/** Reads a page token. */
export function positionOf(token: string, name = 'after'): Position {
  try {
    const v = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown;
    if (
      Array.isArray(v) &&
      typeof v[0] === 'number' &&
      typeof v[1] === 'number' &&
      typeof v[2] === 'string'
    ) {
      return { ms: v[0], ns: v[1], tiebreak: v[2] };
    }
  } catch {
    // Reported below, whatever was wrong with it.
  }
  throw new ParamError('not a page token from a previous response', name);
}
