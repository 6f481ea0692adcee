/**
 * @module
 * Compiles a {@link Query} into a {@link Filter}, once per search: patterns are translated,
 * query text is read into numbers, dates and addresses, and phrases are fixed, so applying the
 * filter to a block does no per-block setup beyond choosing columns.
 */

import type { Filter } from '../filter.js';
import type { Query } from '../query.js';
import { AllFilter, AndFilter, NoneFilter, NotFilter, OrFilter } from './bool.js';
import { ExistsFilter } from './exists.js';
import { MatchFilter } from './match.js';
import { NestedFilter } from './nested.js';
import { RangeFilter } from './range.js';
import { RegexFilter } from './regex.js';
import { TermFilter } from './term.js';
import { WildcardFilter } from './wildcard.js';

/**
 * Compiles `query`. The filter keeps per-value memos between blocks, so use one filter per
 * search (or per worker), not one shared by concurrent searches in different threads.
 *
 * @throws {RegexSyntaxError} (regex.ts) when a regex pattern does not parse.
 * @example
 * const f = compileFilter({ kind: 'term', field: { kind: 'path', path: 'level' }, value: 'error' });
 * const bits = new Uint8Array(cols.length).fill(1);
 * f.apply(cols, bits); // bits[i] === 1: document i matches
 */
export function compileFilter(query: Query): Filter {
  switch (query.kind) {
    case 'all':
      return new AllFilter();
    case 'none':
      return new NoneFilter();
    case 'and':
      return new AndFilter(query.children.map(compileFilter));
    case 'or':
      return new OrFilter(query.children.map(compileFilter));
    case 'not':
      return new NotFilter(compileFilter(query.child));
    case 'match':
      return new MatchFilter(query);
    case 'term':
      return new TermFilter(query);
    case 'wildcard':
      return new WildcardFilter(query);
    case 'range':
      return new RangeFilter(query);
    case 'exists':
      return new ExistsFilter(query);
    case 'regex':
      return new RegexFilter(query);
    case 'nested':
      return new NestedFilter(query.path, compileFilter(query.query));
  }
}
