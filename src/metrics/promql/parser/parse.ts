/**
 * @module
 * The PromQL parser: recursive descent for the primaries and modifiers, precedence climbing for
 * the binary operators. It accepts the language of Prometheus 3 and rejects what Prometheus
 * rejects, with the same first error message. Precedence, lowest first: `or`; `and` `unless`;
 * comparisons; `+ -`; `* / % atan2`; `^` (right-associative). A unary sign binds like `*`, so
 * `-2 ^ 2` is `-(2 ^ 2)`, and a sign on a number literal folds into the literal. Range,
 * subquery, `offset` and `@` bind to the closest operand. After a clean parse the tree is
 * type-checked ({@link checkTypes}).
 */

import type { Matcher } from '../../model/matcher.js';
import type {
  AggregateExpr,
  AggregateOp,
  BinaryExpr,
  BinaryOp,
  Call,
  Expr,
  VectorMatchCardinality,
} from './ast.js';
import { checkTypes } from './check.js';
import { getFunction, type FunctionDef } from './functions.js';
import { literal, parseAt, parseBrackets, parseOffset } from './modifiers.js';
import { METRIC_NAME_TOKENS, parseGroupingLabels, parseVectorSelector } from './selector.js';
import { goQuote, unquote } from './strconv.js';
import { SyntaxAbort, TokenStream, tokenRange } from './stream.js';
import {
  AGGREGATORS,
  OPERATORS,
  isAggregator,
  type AggregatorType,
  type Token,
  type TokenType,
} from './token.js';

export interface ParseOptions {
  /**
   * Accept the functions and aggregations Prometheus marks experimental (`info`, `limitk`,
   * `sort_by_label`, `double_exponential_smoothing`, …), like its
   * `--enable-feature=promql-experimental-functions`. Default false.
   */
  readonly experimentalFunctions?: boolean;
}

const PRECEDENCE: Partial<Record<TokenType, number>> = {
  LOR: 1,
  LAND: 2,
  LUNLESS: 2,
  EQLC: 3,
  NEQ: 3,
  LTE: 3,
  LSS: 3,
  GTE: 3,
  GTR: 3,
  ADD: 4,
  SUB: 4,
  MUL: 5,
  DIV: 5,
  MOD: 5,
  ATAN2: 5,
  POW: 6,
};

/** Unary signs bind tighter than `*` and looser than `^`. */
const UNARY_OPERAND_PRECEDENCE = 6;

const WITH_PARAM: ReadonlySet<AggregatorType> = new Set([
  'TOPK',
  'BOTTOMK',
  'COUNT_VALUES',
  'QUANTILE',
  'LIMITK',
  'LIMIT_RATIO',
]);
const EXPERIMENTAL_AGGREGATORS: ReadonlySet<AggregatorType> = new Set(['LIMITK', 'LIMIT_RATIO']);

class ExprParser {
  readonly #s: TokenStream;
  readonly #experimental: boolean;

  constructor(s: TokenStream, options: ParseOptions) {
    this.#s = s;
    this.#experimental = options.experimentalFunctions ?? false;
  }

  expr(minPrecedence: number): Expr {
    const s = this.#s;
    let lhs = this.#unary();
    for (;;) {
      const op = s.peek();
      const precedence = PRECEDENCE[op.type];
      if (precedence === undefined || precedence < minPrecedence) return lhs;
      s.next();
      const matching = this.#binaryModifiers();
      const rhs = this.expr(op.type === 'POW' ? precedence : precedence + 1);
      lhs = {
        type: 'BinaryExpr',
        op: OPERATORS[op.type as keyof typeof OPERATORS] as BinaryOp,
        lhs,
        rhs,
        returnBool: matching.returnBool,
        vectorMatching: matching.vectorMatching,
        pos: { start: lhs.pos.start, end: rhs.pos.end },
      };
    }
  }

  #binaryModifiers(): Pick<BinaryExpr, 'returnBool' | 'vectorMatching'> {
    const s = this.#s;
    const returnBool = s.accept('BOOL') !== null;
    const vectorMatching = {
      card: 'one-to-one' as VectorMatchCardinality,
      matchingLabels: [] as string[],
      on: false,
      include: [] as string[],
    };
    const clause = s.accept('ON') ?? s.accept('IGNORING');
    if (clause !== null) {
      vectorMatching.on = clause.type === 'ON';
      vectorMatching.matchingLabels = parseGroupingLabels(s);
      const group = s.accept('GROUP_LEFT') ?? s.accept('GROUP_RIGHT');
      if (group !== null) {
        vectorMatching.card = group.type === 'GROUP_LEFT' ? 'many-to-one' : 'one-to-many';
        if (s.peek().type === 'LEFT_PAREN') vectorMatching.include = parseGroupingLabels(s);
      }
    }
    return { returnBool, vectorMatching };
  }

  #unary(): Expr {
    const s = this.#s;
    const sign = s.accept('ADD') ?? s.accept('SUB');
    if (sign === null) return this.#postfix(this.#primary());
    const operand = this.expr(UNARY_OPERAND_PRECEDENCE);
    const pos = { start: sign.pos, end: operand.pos.end };
    if (operand.type === 'NumberLiteral') {
      if (sign.type === 'SUB') operand.value = -operand.value;
      operand.pos = pos;
      return operand;
    }
    return { type: 'UnaryExpr', op: sign.type === 'SUB' ? '-' : '+', expr: operand, pos };
  }

  #postfix(e: Expr): Expr {
    const s = this.#s;
    for (;;) {
      const t = s.peek().type;
      if (t === 'LEFT_BRACKET') e = parseBrackets(s, e);
      else if (t === 'OFFSET') e = parseOffset(s, e);
      else if (t === 'AT') e = parseAt(s, e);
      else return e;
    }
  }

  #primary(): Expr {
    const s = this.#s;
    const t = s.peek();
    switch (t.type) {
      case 'NUMBER':
      case 'DURATION':
        return literal(s, s.next()).node;
      case 'STRING':
        s.next();
        return { type: 'StringLiteral', value: unquote(t.text), pos: tokenRange(t) };
      case 'LEFT_PAREN': {
        s.next();
        const inner = this.expr(0);
        s.expect('RIGHT_PAREN');
        return { type: 'ParenExpr', expr: inner, pos: { start: t.pos, end: s.lastEnd } };
      }
      case 'LEFT_BRACE':
        return parseVectorSelector(s);
      case 'IDENTIFIER':
        if (s.peek(1).type === 'LEFT_PAREN') return this.#call();
        return parseVectorSelector(s);
    }
    if (isAggregator(t.type)) {
      const next = s.peek(1).type;
      if (next === 'LEFT_PAREN' || next === 'BY' || next === 'WITHOUT') return this.#aggregate();
    }
    if (METRIC_NAME_TOKENS.has(t.type)) return parseVectorSelector(s);
    return s.fail();
  }

  /** `(a, b, …)` after a function or aggregation name; the stream is at `(`. */
  #arguments(): Expr[] {
    const s = this.#s;
    s.expect('LEFT_PAREN');
    const args: Expr[] = [];
    if (s.accept('RIGHT_PAREN')) return args;
    args.push(this.expr(0));
    for (;;) {
      if (s.accept('RIGHT_PAREN')) return args;
      const comma = s.expect('COMMA');
      const after = s.peek().type;
      if (after === 'RIGHT_PAREN' || after === 'COMMA') {
        s.record(tokenRange(comma), 'trailing commas not allowed in function call args');
      } else {
        args.push(this.expr(0));
      }
    }
  }

  #call(): Call {
    const s = this.#s;
    const name = s.next();
    const args = this.#arguments();
    const pos = { start: name.pos, end: s.lastEnd };
    let func = getFunction(name.text);
    if (func === undefined) {
      s.record(tokenRange(name), `unknown function with name ${goQuote(name.text)}`);
      func = unknownFunction(name.text);
    } else if (func.experimental && !this.#experimental) {
      s.record(tokenRange(name), `function ${goQuote(name.text)} is not enabled`);
    }
    return { type: 'Call', func, args, pos };
  }

  #aggregate(): AggregateExpr {
    const s = this.#s;
    const opToken = s.next();
    const op = AGGREGATORS[opToken.type as AggregatorType] as AggregateOp;
    s.push('aggregation');
    let grouping: string[] = [];
    let without = false;
    const before = s.accept('BY') ?? s.accept('WITHOUT');
    if (before !== null) {
      without = before.type === 'WITHOUT';
      grouping = parseGroupingLabels(s);
    }
    const args = this.#arguments();
    if (before === null) {
      const after = s.accept('BY') ?? s.accept('WITHOUT');
      if (after !== null) {
        without = after.type === 'WITHOUT';
        grouping = parseGroupingLabels(s);
      }
    }
    s.pop();
    const node: AggregateExpr = {
      type: 'AggregateExpr',
      op,
      expr: args[0] ?? placeholder(opToken),
      param: null,
      grouping,
      without,
      pos: { start: opToken.pos, end: s.lastEnd },
    };
    this.#checkArguments(node, opToken.type as AggregatorType, args);
    return node;
  }

  #checkArguments(node: AggregateExpr, op: AggregatorType, args: Expr[]): void {
    const s = this.#s;
    if (args.length === 0) {
      s.record(node.pos, 'no arguments for aggregate expression provided');
      return;
    }
    let wanted = 1;
    if (WITH_PARAM.has(op)) {
      if (EXPERIMENTAL_AGGREGATORS.has(op) && !this.#experimental) {
        s.record(
          node.pos,
          `${node.op}() is experimental and must be enabled with --enable-feature=promql-experimental-functions`,
        );
        return;
      }
      wanted = 2;
      node.param = args[0]!;
    }
    if (args.length !== wanted) {
      s.record(
        node.pos,
        `wrong number of arguments for aggregate expression provided, expected ${wanted}, got ${args.length}`,
      );
      return;
    }
    node.expr = args[wanted - 1]!;
  }
}

/** Stands in for a function Prometheus does not know; the parse fails in any case. */
const unknownFunction = (name: string): FunctionDef => ({
  name,
  argTypes: [],
  variadic: 0,
  returnType: 'vector',
  experimental: false,
});

/** Stands in for a missing aggregation argument; the parse fails in any case. */
const placeholder = (t: Token): Expr => ({ type: 'NumberLiteral', value: 0, pos: tokenRange(t) });

function run<T>(body: () => T): T | null {
  try {
    return body();
  } catch (err) {
    if (err instanceof SyntaxAbort) return null;
    throw err;
  }
}

/**
 * Parses and type-checks a PromQL expression.
 *
 * @throws {ParseError} with Prometheus' message, e.g. `1:14: parse error: unexpected right parenthesis ')'`.
 * @example
 * const e = parseExpr('sum by (job) (rate(http_requests_total{job="api"}[5m]))');
 * e.type; // 'AggregateExpr'
 */
export function parseExpr(input: string, options: ParseOptions = {}): Expr {
  const s = new TokenStream(input);
  const parser = new ExprParser(s, options);
  const expr = run(() => {
    if (s.peek().type === 'EOF') {
      s.record({ start: 0, end: 0 }, 'no expression found in input');
      return null;
    }
    const e = parser.expr(0);
    s.expect('EOF');
    return e;
  });
  s.throwFirst();
  checkTypes(expr!, s);
  s.throwFirst();
  return expr!;
}

/**
 * Parses a series selector as given in `match[]` API parameters (`up`, `{job="a"}`,
 * `{"my.metric", env!=""}`) into its matchers. Like Prometheus, it does not insist on a
 * non-empty matcher; callers that need one check for it.
 *
 * @throws {ParseError} when the input is not a single vector selector.
 * @example
 * parseMetricSelector('up{job="api"}').map(String); // ['job="api"', '__name__="up"']
 */
export function parseMetricSelector(input: string): Matcher[] {
  const s = new TokenStream(input);
  const selector = run(() => {
    const t = s.peek().type;
    if (t !== 'LEFT_BRACE' && !METRIC_NAME_TOKENS.has(t)) s.fail();
    const vs = parseVectorSelector(s);
    s.expect('EOF');
    return vs;
  });
  s.throwFirst();
  return selector!.matchers;
}
