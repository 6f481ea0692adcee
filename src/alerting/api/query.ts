/**
 * @module
 * The query parameters of API v2's list endpoints: `filter` (matcher strings, repeatable),
 * `receiver` (an anchored regular expression) and the booleans `active`, `silenced`,
 * `inhibited`, `unprocessed` (default true).
 */

import { Matcher, MatcherError, parseMatchers } from '../model/matchers.js';
import { ApiError } from './wire.js';

export type Query = Record<string, string | string[] | undefined>;

/** The `filter` parameters as matchers. */
export function filterMatchers(q: Query): Matcher[] {
  const raw = q.filter === undefined ? [] : Array.isArray(q.filter) ? q.filter : [q.filter];
  const out: Matcher[] = [];
  for (const f of raw) {
    try {
      out.push(...parseMatchers(f));
    } catch (err) {
      if (!(err instanceof MatcherError)) throw err;
      throw new ApiError(400, err.message);
    }
  }
  return out;
}

/** The `receiver` parameter as a test on receiver names, or undefined when absent. */
export function receiverFilter(q: Query): ((name: string) => boolean) | undefined {
  const r = q.receiver;
  if (typeof r !== 'string' || r === '') return undefined;
  try {
    const m = new Matcher('=~', 'receiver', r);
    return (name) => m.matches({ receiver: name });
  } catch (err) {
    throw new ApiError(400, `failed to parse receiver param: ${(err as Error).message}`);
  }
}

/** A boolean parameter, default true. */
export function flag(q: Query, name: string): boolean {
  const v = q[name];
  if (v === undefined) return true;
  const s = Array.isArray(v) ? v[v.length - 1]! : v;
  if (s === 'true' || s === '1') return true;
  if (s === 'false' || s === '0') return false;
  throw new ApiError(400, `${name} in query must be of type boolean: "${s}"`);
}
