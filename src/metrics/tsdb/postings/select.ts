/**
 * @module
 * Resolves label matchers to postings over any index (the head's in-memory one or a block's),
 * with Prometheus' semantics for matchers that match the empty string: `{a=""}` selects series
 * WITHOUT label `a`, `{a!="x"}` includes series that lack `a`. Matchers that cannot match ''
 * are intersected; those that can are applied by subtracting the series they exclude.
 */

import type { Matcher } from '../../model/matcher.js';
import { EMPTY_POSTINGS, intersect, subtract, union, type Postings } from './postings-list.js';

/** What a select needs from an index. */
export interface PostingsIndex {
  /** Series with label `name` set to `value`, sorted. */
  postings(name: string, value: string): Postings;
  /** Every series, sorted. */
  allPostings(): Postings;
  /** The values of `name` present in the index. */
  labelValues(name: string): readonly string[];
}

/** Series having a value of `name` that `accept` accepts. */
function postingsWhere(ix: PostingsIndex, name: string, accept: (v: string) => boolean): Postings {
  return union(
    ix
      .labelValues(name)
      .filter(accept)
      .map((v) => ix.postings(name, v)),
  );
}

/**
 * The sorted refs of series matching every matcher.
 *
 * @example
 * postingsForMatchers(head.index, [new Matcher('=', '__name__', 'up'), new Matcher('!=', 'job', 'x')]);
 */
export function postingsForMatchers(ix: PostingsIndex, matchers: readonly Matcher[]): Postings {
  const include: Postings[] = [];
  const exclude: Postings[] = [];
  for (const m of matchers) {
    if (m.type === '=~' && m.value === '.*') continue;
    if (m.matches('')) {
      // Series whose value for m.name fails m; series lacking the label pass (''), so they
      // must not be excluded.
      exclude.push(postingsWhere(ix, m.name, (v) => !m.matches(v)));
    } else {
      const set = m.setMatches();
      include.push(
        set !== null
          ? union(set.map((v) => ix.postings(m.name, v)))
          : postingsWhere(ix, m.name, (v) => m.matches(v)),
      );
    }
  }
  let result = include.length > 0 ? intersect(include) : ix.allPostings();
  if (result.length === 0) return EMPTY_POSTINGS;
  for (const e of exclude) result = subtract(result, e);
  return result;
}
