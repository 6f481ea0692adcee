/**
 * @module
 * Highlighting of what matched, as Elasticsearch's `highlight` returns it: per field, the
 * fragments of its string values with the matching tokens (or whole values) wrapped in tags.
 * The terms come from the query's positive leaves (a `not` excludes its subtree): the tokens of
 * `match` phrases, tokens that fit a `wildcard`, and whole values equal to a `term` or matching
 * a `regex` or whole-value wildcard.
 */

import { forEachField } from '../model/fields.js';
import { forEachToken } from '../model/tokenize.js';
import { matchParts } from './filter/field.js';
import { luceneRegExp } from './filter/regex.js';
import type { FieldSel, Query } from './query.js';

export interface HighlightOptions {
  readonly preTag?: string;
  readonly postTag?: string;
  /** Characters per fragment around a match. */
  readonly fragmentSize?: number;
  /** Fragments per field; 0 returns each matching value whole, as Elasticsearch does. */
  readonly numberOfFragments?: number;
  /** `html` escapes the text around the tags. */
  readonly encoder?: 'default' | 'html';
}

interface Rule {
  readonly field: FieldSel;
  readonly tokens?: ReadonlySet<string>;
  readonly tokenTest?: (token: string) => boolean;
  readonly wholeTest?: (value: string) => boolean;
}

/**
 * Compiles the highlighter of a query.
 *
 * @returns a function from a document's source to its highlights (fields with no match are
 *   absent).
 * @example
 * const hl = highlighter({ kind: 'match', field: { kind: 'any' }, text: 'refused', phrases: [['refused']] });
 * hl({ message: 'Connection refused' }); // { message: ['Connection <em>refused</em>'] }
 */
export function highlighter(
  query: Query,
  options: HighlightOptions = {},
): (source: Readonly<Record<string, unknown>>) => Record<string, string[]> {
  const rules: Rule[] = [];
  collect(query, rules);
  const pre = options.preTag ?? '<em>';
  const post = options.postTag ?? '</em>';
  const size = options.fragmentSize ?? 100;
  const count = options.numberOfFragments ?? 5;
  const enc = options.encoder === 'html' ? escapeHtml : (s: string) => s;
  return (source) => {
    const out: Record<string, string[]> = {};
    if (rules.length === 0) return out;
    forEachField(source, (path, value) => {
      if (typeof value !== 'string') return;
      const spans = matchSpans(path, value, rules);
      if (spans.length === 0) return;
      const list = (out[path] ??= []);
      if (count !== 0 && list.length >= count) return;
      for (const f of fragments(value, spans, count === 0 ? Infinity : size)) {
        if (count !== 0 && list.length >= count) break;
        list.push(f.map(([text, hit]) => (hit ? pre + enc(text) + post : enc(text))).join(''));
      }
    });
    return out;
  };
}

function collect(q: Query, rules: Rule[]): void {
  switch (q.kind) {
    case 'and':
    case 'or':
      for (const c of q.children) collect(c, rules);
      return;
    case 'nested':
      collect(q.query, rules);
      return;
    case 'match':
      rules.push({ field: q.field, tokens: new Set(q.phrases.flat()) });
      return;
    case 'term':
      if (typeof q.value === 'string') {
        const v = q.value;
        rules.push({ field: q.field, wholeTest: (s) => s === v });
      }
      return;
    case 'wildcard': {
      const lower = q.parts.map((p) => p.toLowerCase());
      rules.push({
        field: q.field,
        wholeTest: (v) => matchParts(q.parts, v),
        tokenTest: (t) => matchParts(lower, t),
      });
      return;
    }
    case 'regex': {
      // An invalid pattern fails the search itself; highlighting has nothing to add.
      let re: RegExp;
      try {
        re = luceneRegExp(q.pattern);
      } catch {
        return;
      }
      rules.push({ field: q.field, wholeTest: (v) => re.test(v) });
      return;
    }
    default:
      return;
  }
}

function covers(sel: FieldSel, path: string): boolean {
  if (sel.kind === 'any') return true;
  if (sel.kind === 'path') return sel.path === path;
  return matchParts(sel.parts, path);
}

/** Sorted, non-overlapping `[start, end)` spans of `value` to highlight. */
function matchSpans(path: string, value: string, rules: readonly Rule[]): [number, number][] {
  const applicable = rules.filter((r) => covers(r.field, path));
  if (applicable.length === 0) return [];
  if (applicable.some((r) => r.wholeTest?.(value))) return [[0, value.length]];
  const spans: [number, number][] = [];
  forEachToken(value, (token, start, end) => {
    for (const r of applicable) {
      if (r.tokens?.has(token) || r.tokenTest?.(token)) {
        spans.push([start, end]);
        return;
      }
    }
  });
  return spans;
}

/** Splits `value` into fragments of about `size` characters around the spans. */
function fragments(value: string, spans: [number, number][], size: number): [string, boolean][][] {
  const out: [string, boolean][][] = [];
  let i = 0;
  while (i < spans.length) {
    const from = size === Infinity ? 0 : Math.max(0, spans[i]![0] - Math.floor(size / 4));
    const to = size === Infinity ? value.length : Math.min(value.length, from + size);
    const parts: [string, boolean][] = [];
    let at = from;
    while (i < spans.length && spans[i]![0] < to) {
      const [s, e] = spans[i]!;
      if (s > at) parts.push([value.slice(at, s), false]);
      parts.push([value.slice(Math.max(s, at), e), true]);
      at = e;
      i++;
    }
    if (at < to) parts.push([value.slice(at, to), false]);
    out.push(parts);
  }
  return out;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"'/]/g, (c) => `&#${c.charCodeAt(0)};`);
}
