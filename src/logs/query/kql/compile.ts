/**
 * @module
 * Compiles a KQL tree into the store's {@link Query}, giving each node the meaning Kibana gives
 * it on Elasticsearch, read per value type because the store has no mapping (see `query.ts`):
 *
 * - an unquoted value is a `match` whose phrases are its whitespace-separated words, each
 *   tokenized (`message:hello world` finds either word; `ns:kube-system` the two tokens in a row);
 *   a quoted value is one phrase; `true`, `false` and `null` are their text (`leaves.ts`, shared
 *   with the Lucene and query DSL compilers);
 * - a value with `*` is a `wildcard`; `field:*` is `exists`; `*:*` matches every document;
 * - a field name with `*` selects every matching path; no field selects every path;
 * - range bounds that read as numbers stay numbers; dates and date math (`now-1d/d`,
 *   `2024-01-01||+1M`) become ms bounds with `date: true`, a date naming its whole period, so
 *   `> 2024-05-06` starts the next day and `<= now/d` ends with today; other text compares as
 *   strings;
 * - `path:{ query }` is `nested`, with paths inside relative to `path`; `/re/` is `regex`.
 *
 * Dates are resolved against the `now` passed in, so one search sees one instant.
 */

import { DateMathError } from '../date-math.js';
import { luceneRegExp, RegexSyntaxError } from '../filter/regex.js';
import { matchLeaf, rangeLeaf } from '../leaves.js';
import type { FieldSel, Query } from '../query.js';
import {
  isWildcard,
  type FieldRef,
  type Node,
  type RangeNode,
  type Scalar,
  type Wildcard,
} from './ast.js';
import { KqlCompileError } from './errors.js';

/** How to compile: `now` in ms since the epoch; `query`, the KQL text, for error messages. */
export interface KqlCompileOptions {
  readonly now: number;
  readonly query?: string;
}

/**
 * Compiles a parsed KQL query.
 *
 * @throws {KqlCompileError} for a range bound that looks like a date but does not read, a regex
 *   that does not parse, or a nested path with a wildcard; the error carries the node's span.
 * @example
 * const q = 'status >= 500 and not kubernetes.namespace:kube-*';
 * compileKql(parse(q), { now: Date.now(), query: q });
 * // { kind: 'and', children: [{ kind: 'range', gte: 500, ... }, { kind: 'not', ... }] }
 */
export function compileKql(node: Node, opts: KqlCompileOptions): Query {
  switch (node.kind) {
    case 'all':
      return { kind: 'all' };
    case 'and':
    case 'or':
      return { kind: node.kind, children: node.children.map((c) => compileKql(c, opts)) };
    case 'not':
      return { kind: 'not', child: compileKql(node.child, opts) };
    case 'match':
      return isWildcard(node.value)
        ? { kind: 'wildcard', field: fieldSel(node.field), parts: node.value.parts }
        : matchLeaf(fieldSel(node.field), scalarText(node.value), false);
    case 'phrase':
      return matchLeaf(fieldSel(node.field), node.value, true);
    case 'exists': {
      const field = fieldSel(node.field);
      return field.kind === 'any' ? { kind: 'all' } : { kind: 'exists', field };
    }
    case 'range':
      return range(node, opts);
    case 'nested': {
      const name = node.path.name;
      if (isWildcard(name)) {
        const shown = name.parts.join('*');
        throw new KqlCompileError(
          `cannot compile nested query on ${shown}: a nested path must be a field name, not a pattern`,
          node.path.span,
          opts.query,
        );
      }
      return { kind: 'nested', path: name, query: compileKql(node.query, opts) };
    }
    case 'regex':
      try {
        luceneRegExp(node.pattern);
      } catch (err) {
        if (!(err instanceof RegexSyntaxError)) throw err;
        throw new KqlCompileError(`cannot compile regex: ${err.message}`, node.span, opts.query, {
          cause: err,
        });
      }
      return { kind: 'regex', field: fieldSel(node.field), pattern: node.pattern };
  }
}

function fieldSel(ref: FieldRef | undefined): FieldSel {
  if (ref === undefined) return { kind: 'any' };
  const name = ref.name;
  if (!isWildcard(name)) return { kind: 'path', path: name };
  if (name.parts.every((p) => p === '')) return { kind: 'any' };
  return { kind: 'pattern', parts: name.parts };
}

function scalarText(v: Scalar): string {
  return v === null ? 'null' : String(v);
}

function boundText(v: Scalar | Wildcard): string {
  return isWildcard(v) ? v.parts.join('*') : scalarText(v);
}

function range(node: RangeNode, opts: KqlCompileOptions): Query {
  try {
    return rangeLeaf(
      fieldSel(node.field),
      [{ op: node.op, value: boundText(node.value) }],
      opts.now,
    );
  } catch (err) {
    if (!(err instanceof DateMathError)) throw err;
    throw new KqlCompileError(`cannot compile range: ${err.message}`, node.span, opts.query, {
      cause: err,
    });
  }
}
