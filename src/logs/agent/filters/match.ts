/**
 * @module
 * `include` and `exclude` filters: keep only the records whose field matches a pattern, or drop
 * those. A field holding a list matches when one of its values does; numbers and booleans are
 * matched as their text; a record without the field (or with an object there) does not match,
 * so `include` drops it and `exclude` keeps it.
 */

import { getPath, type Doc } from './field-path.js';
import type { RecordFilter } from './record-filter.js';

/**
 * A glob as a regular expression for the whole text: `*` is any text, `?` one character.
 *
 * @example
 * globRegExp('kube-*').test('kube-system'); // true
 */
export function globRegExp(glob: string): RegExp {
  let re = '^';
  for (const ch of glob) {
    if (ch === '*') re += '[^]*';
    else if (ch === '?') re += '[^]';
    else re += ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`${re}$`, 'u');
}

function matches(value: unknown, re: RegExp): boolean {
  if (Array.isArray(value)) return value.some((v) => matches(v, re));
  if (typeof value === 'string') return re.test(value);
  if (typeof value === 'number' || typeof value === 'boolean') return re.test(String(value));
  return false;
}

export class MatchFilter implements RecordFilter {
  readonly name: string;
  readonly #field: string;
  readonly #re: RegExp;
  readonly #keepMatching: boolean;

  /**
   * @example
   * new MatchFilter('prod-only', 'include', 'kubernetes.namespace', globRegExp('prod-*'));
   */
  constructor(name: string, mode: 'include' | 'exclude', field: string, re: RegExp) {
    this.name = name;
    this.#field = field;
    this.#re = re;
    this.#keepMatching = mode === 'include';
  }

  apply(docs: readonly Doc[], alive: Uint8Array): number {
    let dropped = 0;
    for (let i = 0; i < docs.length; i++) {
      if (alive[i] === 0) continue;
      if (matches(getPath(docs[i]!, this.#field), this.#re) !== this.#keepMatching) {
        alive[i] = 0;
        dropped++;
      }
    }
    return dropped;
  }
}
