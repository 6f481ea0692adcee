/**
 * @module
 * The KQL parser: a hand-written recursive-descent parser with PEG semantics (ordered choice,
 * backtracking), following the rules of Kibana's grammar so that every query Kibana accepts
 * parses to the same tree here and every query it rejects fails with the same message.
 *
 * Precedence, loosest first: `or`, `and`, `not`, then a parenthesised query, `field:{ nested }`,
 * `field < value`, `field:value-list` and a bare value. `and`/`or` need whitespace on both sides
 * and are case-insensitive; `not` needs whitespace after it. A value list `field:(a or b and c)`
 * has the same precedence and applies the field to each value.
 */

import {
  isWildcard,
  type FieldRef,
  type Node,
  type RangeOp,
  type Scalar,
  type Span,
  type Wildcard,
} from './ast.js';
import { Cursor } from './cursor.js';
import { quoted, regex, unquoted, type Term } from './literal.js';

/**
 * Parses a KQL query. The empty query matches everything.
 *
 * @throws {KqlSyntaxError} when the query does not parse, with Kibana's message.
 * @example
 * parse('status >= 500 and not host:web-*');
 * // { kind: 'and', children: [{ kind: 'range', op: 'gte', ... }, { kind: 'not', ... }], ... }
 */
export function parse(query: string): Node {
  return new Parser(query).parse();
}

/** A value list before its field is known: `field:(a or b)` applies the field to each leaf. */
type Build = (field: FieldRef | undefined, span: Span) => Node;

const span = (start: number, end: number): Span => ({ start, end });

class Parser {
  readonly #c: Cursor;
  #lastField: { at: number; ref: FieldRef | undefined; end: number } | undefined;

  constructor(query: string) {
    this.#c = new Cursor(query);
  }

  parse(): Node {
    const c = this.#c;
    c.spaces();
    const q = this.#orQuery();
    c.quietly(() => c.spaces());
    if (!c.atEnd()) throw c.error();
    return q ?? { kind: 'all', span: span(0, c.src.length) };
  }

  #or(): boolean {
    const c = this.#c;
    return (
      c.named('OR', () => (c.spaces1() && c.lit('or', true) && c.spaces1()) || undefined) ?? false
    );
  }

  #and(): boolean {
    const c = this.#c;
    return (
      c.named('AND', () => (c.spaces1() && c.lit('and', true) && c.spaces1()) || undefined) ?? false
    );
  }

  #not(): boolean {
    const c = this.#c;
    return c.named('NOT', () => (c.lit('not', true) && c.spaces1()) || undefined) ?? false;
  }

  /** `operand (op operand)*`; a dangling operator is left unconsumed, as a PEG `+` group does. */
  #chain<T>(op: () => boolean, operand: () => T | undefined): T[] | undefined {
    const c = this.#c;
    const first = operand();
    if (first === undefined) return undefined;
    const items = [first];
    for (;;) {
      const save = c.pos;
      if (!op()) break;
      const next = operand();
      if (next === undefined) {
        c.pos = save;
        break;
      }
      items.push(next);
    }
    return items;
  }

  #orQuery(): Node | undefined {
    const items = this.#chain(
      () => this.#or(),
      () => this.#andQuery(),
    );
    return items && join('or', items);
  }

  #andQuery(): Node | undefined {
    const items = this.#chain(
      () => this.#and(),
      () => this.#notQuery(),
    );
    return items && join('and', items);
  }

  #notQuery(): Node | undefined {
    const c = this.#c;
    const start = c.pos;
    if (this.#not()) {
      const child = this.#subQuery();
      if (child) return { kind: 'not', child, span: span(start, child.span.end) };
      c.pos = start;
    }
    return this.#subQuery();
  }

  #subQuery(): Node | undefined {
    const c = this.#c;
    const start = c.pos;
    if (c.lit('(')) {
      c.spaces();
      const q = this.#orQuery();
      if (q) {
        c.quietly(() => c.spaces());
        if (c.lit(')')) return q;
      }
      c.pos = start;
    }
    return this.#nestedQuery();
  }

  #nestedQuery(): Node | undefined {
    const c = this.#c;
    const start = c.pos;
    const path = this.#field();
    if (path) {
      c.spaces();
      if (c.lit(':')) {
        c.spaces();
        if (c.lit('{')) {
          c.spaces();
          const query = this.#orQuery();
          if (query) {
            c.quietly(() => c.spaces());
            if (c.lit('}')) return { kind: 'nested', path, query, span: span(start, c.pos) };
          }
        }
      }
      c.pos = start;
    }
    return this.#fieldRange() ?? this.#fieldValue() ?? this.#valueExpression();
  }

  /**
   * The nested, range and field-value rules each start with a field, so the grammar reads every
   * field three times. The last result is kept by position; reusing it is safe because a repeat
   * would only record expectations already recorded.
   */
  #field(): FieldRef | undefined {
    const c = this.#c;
    if (this.#lastField?.at === c.pos) {
      const { ref, end } = this.#lastField;
      if (ref) c.pos = end;
      else c.fail('fieldName');
      return ref;
    }
    const at = c.pos;
    const t = c.named('fieldName', () => this.#literal());
    const ref = t && { name: isWildcard(t.value) ? t.value : String(t.value), span: t.span };
    this.#lastField = { at, ref, end: c.pos };
    return ref;
  }

  #literal(): Term | undefined {
    const c = this.#c;
    return c.named('literal', () => quoted(c) ?? unquoted(c));
  }

  #rangeOp(): RangeOp | undefined {
    const c = this.#c;
    if (c.lit('<=')) return 'lte';
    if (c.lit('>=')) return 'gte';
    if (c.lit('<')) return 'lt';
    if (c.lit('>')) return 'gt';
    return undefined;
  }

  #fieldRange(): Node | undefined {
    const c = this.#c;
    const start = c.pos;
    const field = this.#field();
    if (field) {
      c.spaces();
      const op = this.#rangeOp();
      if (op) {
        c.spaces();
        const v = this.#literal();
        if (v) return { kind: 'range', field, op, value: v.value, span: span(start, v.span.end) };
      }
    }
    c.pos = start;
    return undefined;
  }

  #fieldValue(): Node | undefined {
    const c = this.#c;
    const start = c.pos;
    const field = this.#field();
    if (field) {
      c.spaces();
      if (c.lit(':')) {
        c.spaces();
        const list = this.#listOfValues();
        if (list) return list.build(field, span(start, list.end));
      }
    }
    c.pos = start;
    return undefined;
  }

  #valueExpression(): Node | undefined {
    const v = this.#value();
    return v && v.build(undefined, span(v.start, v.end));
  }

  /** A value list: `(a or b)`, `not a`, or a single value; `start`/`end` bound its text. */
  #listOfValues(): ListPart | undefined {
    const c = this.#c;
    const start = c.pos;
    if (c.lit('(')) {
      c.spaces();
      const list = this.#orList();
      if (list) {
        c.quietly(() => c.spaces());
        if (c.lit(')')) return { ...list, start, end: c.pos };
      }
      c.pos = start;
    }
    return this.#value();
  }

  #orList(): ListPart | undefined {
    const items = this.#chain(
      () => this.#or(),
      () => this.#andList(),
    );
    return items && joinList('or', items);
  }

  #andList(): ListPart | undefined {
    const items = this.#chain(
      () => this.#and(),
      () => this.#notList(),
    );
    return items && joinList('and', items);
  }

  #notList(): ListPart | undefined {
    const c = this.#c;
    const start = c.pos;
    if (this.#not()) {
      const inner = this.#listOfValues();
      if (inner) {
        const end = inner.end;
        const build: Build = (field, s) => ({
          kind: 'not',
          child: inner.build(field, span(inner.start, inner.end)),
          span: s,
        });
        return { build, start, end };
      }
      c.pos = start;
    }
    return this.#listOfValues();
  }

  #value(): ListPart | undefined {
    const c = this.#c;
    return c.named('value', () => {
      const q = quoted(c);
      if (q) {
        const { value } = q;
        return leaf(q.span, (field, s) => ({ kind: 'phrase', field, value, span: s }));
      }
      const re = regex(c);
      if (re) {
        const { pattern } = re;
        return leaf(re.span, (field, s) => ({ kind: 'regex', field, pattern, span: s }));
      }
      const u = unquoted(c);
      if (!u) return undefined;
      const value = u.value;
      return leaf(u.span, (field, s) =>
        field && isLoneWildcard(value)
          ? { kind: 'exists', field, span: s }
          : { kind: 'match', field, value, span: s },
      );
    });
  }
}

/** A parsed value list: how to build its nodes once the field is known, and its extent. */
interface ListPart {
  readonly build: Build;
  readonly start: number;
  readonly end: number;
}

function leaf(s: Span, build: Build): ListPart {
  return { build, start: s.start, end: s.end };
}

function isLoneWildcard(v: Scalar | Wildcard): boolean {
  return isWildcard(v) && v.parts.length === 2 && v.parts[0] === '' && v.parts[1] === '';
}

function join(kind: 'or' | 'and', items: Node[]): Node {
  if (items.length === 1) return items[0]!;
  return { kind, children: items, span: span(items[0]!.span.start, items.at(-1)!.span.end) };
}

function joinList(kind: 'or' | 'and', items: ListPart[]): ListPart {
  if (items.length === 1) return items[0]!;
  const build: Build = (field, s) => ({
    kind,
    children: items.map((p) => p.build(field, span(p.start, p.end))),
    span: s,
  });
  return { build, start: items[0]!.start, end: items.at(-1)!.end };
}
