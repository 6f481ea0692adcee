/**
 * @module
 * Type checking of a parsed expression, as Prometheus' `checkAST`: argument counts and types of
 * calls and aggregations, operand types and vector matching of binary operators, `bool` only on
 * comparisons, set operators only between instant vectors, and the rule that a selector must
 * have a matcher that rejects the empty string. Errors are recorded in Prometheus' order (a
 * node's children before the node, except where Prometheus checks the node first), and the
 * first one is the one reported. It also settles the tree the way Prometheus does: set
 * operators match many-to-many, and operations with a scalar side have no vector matching.
 */

import {
  documentedType,
  valueType,
  type BinaryExpr,
  type Call,
  type Expr,
  type ValueType,
  type VectorSelector,
} from './ast.js';
import { goQuote } from './strconv.js';
import type { TokenStream } from './stream.js';

const COMPARISONS: ReadonlySet<string> = new Set(['==', '!=', '>', '<', '>=', '<=']);
const SET_OPS: ReadonlySet<string> = new Set(['and', 'or', 'unless']);
const SCALAR_PARAM: ReadonlySet<string> = new Set([
  'topk',
  'bottomk',
  'quantile',
  'limitk',
  'limit_ratio',
]);

const isSpace = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;

/**
 * Checks `expr`, recording every error in `s`.
 *
 * @example
 * checkTypes(expr, stream); // then stream.throwFirst()
 */
export function checkTypes(expr: Expr, s: TokenStream): void {
  new Checker(s).check(expr);
}

class Checker {
  readonly #s: TokenStream;
  /** Selectors exempt from the non-empty matcher rule: the label filter of `info`. */
  readonly #labelFilters = new WeakSet<VectorSelector>();

  constructor(s: TokenStream) {
    this.#s = s;
  }

  check(e: Expr): ValueType {
    const s = this.#s;
    switch (e.type) {
      case 'AggregateExpr':
        this.#expect(e.expr, 'vector', 'aggregation expression');
        if (SCALAR_PARAM.has(e.op)) this.#expect(e.param!, 'scalar', 'aggregation parameter');
        if (e.op === 'count_values') this.#expect(e.param!, 'string', 'aggregation parameter');
        return 'vector';
      case 'BinaryExpr':
        return this.#binary(e);
      case 'Call':
        this.#call(e);
        return e.func.returnType;
      case 'ParenExpr':
        return this.check(e.expr);
      case 'UnaryExpr': {
        const t = this.check(e.expr);
        if (t !== 'scalar' && t !== 'vector') {
          s.record(
            e.pos,
            `unary expression only allowed on expressions of type scalar or instant vector, got ${goQuote(documentedType(t))}`,
          );
        }
        return t;
      }
      case 'SubqueryExpr': {
        const t = this.check(e.expr);
        if (t !== 'vector')
          s.record(e.pos, `subquery is only allowed on instant vector, got ${t} instead`);
        return 'matrix';
      }
      case 'MatrixSelector':
        this.check(e.vectorSelector);
        return 'matrix';
      case 'VectorSelector':
        this.#selector(e);
        return 'vector';
      case 'NumberLiteral':
      case 'StringLiteral':
        return valueType(e);
    }
  }

  #expect(e: Expr, want: ValueType, context: string): void {
    const t = this.check(e);
    if (t !== want) {
      this.#s.record(
        e.pos,
        `expected type ${documentedType(want)} in ${context}, got ${documentedType(t)}`,
      );
    }
  }

  #selector(e: VectorSelector): void {
    const s = this.#s;
    if (e.name !== '') {
      // The last matcher is the name written before the braces.
      for (const m of e.matchers.slice(0, -1)) {
        if (m.name === '__name__') {
          s.record(
            e.pos,
            `metric name must not be set twice: ${goQuote(e.name)} or ${goQuote(m.value)}`,
          );
        }
      }
      return;
    }
    if (this.#labelFilters.has(e)) return;
    if (!e.matchers.some((m) => !m.matches(''))) {
      s.record(e.pos, 'vector selector must contain at least one non-empty matcher');
    }
  }

  #call(e: Call): void {
    const s = this.#s;
    const { name, argTypes, variadic } = e.func;
    const n = e.args.length;
    if (variadic === 0) {
      if (argTypes.length !== n) {
        s.record(
          e.pos,
          `expected ${argTypes.length} argument(s) in call to ${goQuote(name)}, got ${n}`,
        );
      }
    } else if (argTypes.length - 1 > n) {
      s.record(
        e.pos,
        `expected at least ${argTypes.length - 1} argument(s) in call to ${goQuote(name)}, got ${n}`,
      );
    } else if (variadic > 0 && argTypes.length - 1 + variadic < n) {
      s.record(
        e.pos,
        `expected at most ${argTypes.length - 1 + variadic} argument(s) in call to ${goQuote(name)}, got ${n}`,
      );
    }
    if (name === 'info' && n > 1) this.#infoFilter(e);
    const context = `call to function ${goQuote(name)}`;
    for (let i = 0; i < n; i++) {
      if (i >= argTypes.length && variadic === 0) break;
      this.#expect(e.args[i]!, argTypes[Math.min(i, argTypes.length - 1)]!, context);
    }
  }

  /** `info`'s second argument selects info metrics by labels only: `{k8s_cluster="a"}`. */
  #infoFilter(e: Call): void {
    const s = this.#s;
    const filter = e.args[1]!;
    const t = valueType(filter);
    if (t !== 'vector') {
      s.record(
        e.pos,
        `expected type instant vector in call to function "info", got ${documentedType(t)}`,
      );
    }
    if (filter.type !== 'VectorSelector') {
      s.record(filter.pos, 'expected label selectors only');
    } else if (filter.name !== '') {
      s.record(filter.pos, 'expected label selectors only, got vector selector instead');
    } else {
      this.#labelFilters.add(filter);
    }
  }

  #binary(e: BinaryExpr): ValueType {
    const s = this.#s;
    const lt = this.check(e.lhs);
    const rt = this.check(e.rhs);
    const vm = e.vectorMatching!;
    if (e.returnBool && !COMPARISONS.has(e.op)) {
      s.record(this.#operatorRange(e), 'bool modifier can only be used on comparison operators');
    }
    if (COMPARISONS.has(e.op) && !e.returnBool && lt === 'scalar' && rt === 'scalar') {
      s.record(this.#operatorRange(e), 'comparisons between scalars must use BOOL modifier');
    }
    const isSetOp = SET_OPS.has(e.op);
    if (isSetOp && vm.card === 'one-to-one') vm.card = 'many-to-many';
    if (vm.on) {
      for (const label of vm.matchingLabels) {
        if (vm.include.includes(label)) {
          s.record(
            this.#operatorRange(e),
            `label ${goQuote(label)} must not occur in ON and GROUP clause at once`,
          );
        }
      }
    }
    if (lt !== 'scalar' && lt !== 'vector') {
      s.record(e.lhs.pos, 'binary expression must contain only scalar and instant vector types');
    }
    if (rt !== 'scalar' && rt !== 'vector') {
      s.record(e.rhs.pos, 'binary expression must contain only scalar and instant vector types');
    }
    if (lt !== 'vector' || rt !== 'vector') {
      if (vm.matchingLabels.length > 0)
        s.record(e.pos, 'vector matching only allowed between instant vectors');
      e.vectorMatching = null;
    } else if (isSetOp) {
      if (vm.card === 'one-to-many' || vm.card === 'many-to-one') {
        s.record(e.pos, `no grouping allowed for ${goQuote(e.op)} operation`);
      }
      if (vm.card !== 'many-to-many') s.record(e.pos, 'set operations must always be many-to-many');
    }
    if ((lt === 'scalar' || rt === 'scalar') && isSetOp) {
      s.record(e.pos, `set operator ${goQuote(e.op)} not allowed in binary scalar expression`);
    }
    return lt === 'scalar' && rt === 'scalar' ? 'scalar' : 'vector';
  }

  /** The operator and its modifiers, trimmed of surrounding white space. */
  #operatorRange(e: BinaryExpr): { start: number; end: number } {
    const input = this.#s.input;
    let start = e.lhs.pos.end;
    while (isSpace(input.charCodeAt(start))) start++;
    let end = e.rhs.pos.start - 1;
    while (isSpace(input.charCodeAt(end))) end--;
    return { start, end };
  }
}
