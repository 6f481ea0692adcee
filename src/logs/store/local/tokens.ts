/**
 * @module
 * What a query requires of every document it matches, for pruning blocks before reading them:
 * tokens that must be in the block's token bloom filter and paths that must have a column in
 * the block. Only leaves under `and` (and the root) require anything; `or`, `not` and nested
 * queries require nothing here (the filter still decides). A match or term leaf requires its
 * words only when its text can match only strings by their tokens: text that reads as a number,
 * boolean, date or IP also matches values of those types by value (`404` finds `404.0`), which
 * tokens cannot see.
 */

import { typeOf } from '../../model/fields.js';
import { tokenize } from '../../model/tokenize.js';
import type { Query } from '../../query/query.js';

/** What every matching document must have. */
export interface Requirements {
  readonly tokens: Set<string>;
  readonly paths: Set<string>;
  /**
   * True when the query is one match or term on any field: then every token must be in one and
   * the same value, so a column lacking one of them cannot match and need not be read.
   */
  sameValue: boolean;
}

/**
 * The requirements of `q`.
 *
 * @example
 * required({ kind: 'match', field: { kind: 'any' }, text: 'oom killed', phrases: [['oom', 'killed']] });
 * // { tokens: Set { 'oom', 'killed' }, paths: Set {}, sameValue: true }
 */
export function required(q: Query): Requirements {
  const out: Requirements = { tokens: new Set(), paths: new Set(), sameValue: false };
  collect(q, out);
  out.sameValue =
    (q.kind === 'match' || q.kind === 'term') && q.field.kind === 'any' && out.tokens.size > 0;
  return out;
}

function collect(q: Query, out: Requirements): void {
  switch (q.kind) {
    case 'and':
      for (const c of q.children) collect(c, out);
      return;
    case 'match':
      if (q.field.kind === 'path') out.paths.add(q.field.path);
      // One phrase: all its tokens are required; several (any of the words): none is.
      if (q.phrases.length === 1 && tokensOnly(q.text))
        for (const t of q.phrases[0]!) out.tokens.add(t);
      return;
    case 'term':
      if (q.field.kind === 'path') out.paths.add(q.field.path);
      if (typeof q.value === 'string' && tokensOnly(q.value))
        for (const t of tokenize(q.value)) out.tokens.add(t);
      return;
    case 'range':
    case 'exists':
    case 'wildcard':
    case 'regex':
      if (q.field.kind === 'path') out.paths.add(q.field.path);
      return;
    default:
      return;
  }
}

/** True when `text` matches only strings, through their tokens. */
function tokensOnly(text: string): boolean {
  const t = text.trim();
  if (t === '' || t === 'true' || t === 'false') return false;
  if (!Number.isNaN(Number(t))) return false;
  if (/^[\d.:a-fA-F]+\/\d+$/.test(t)) return false;
  return typeOf(t) === 'keyword';
}
