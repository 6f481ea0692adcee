/**
 * @module
 * Prints an expression in Prometheus' canonical one-line form, its `Expr.String()`: what rule
 * files normalise to and what `/api/v1/format_query` returns for queries that fit on a line.
 * `sum by (job) (rate(x{a="b"}[5m]))`, `a + on (b) group_left () c`, `x @ 100.000 offset 5m`.
 * Matchers are sorted, the metric name goes before the braces, numbers use Go's shortest form
 * (`+Inf`, `NaN`, no exponent), strings Go's quoting, durations Prometheus' units.
 */

import type { Matcher } from '../../model/matcher.js';
import type {
  AggregateExpr,
  AtModifier,
  BinaryExpr,
  Expr,
  VectorMatching,
  VectorSelector,
} from './ast.js';
import { formatDuration } from './duration.js';
import { formatFloat, goQuote } from './strconv.js';

const LEGACY_LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** A label name as written in PromQL: bare when it can be, quoted otherwise. */
const labelName = (name: string): string => (LEGACY_LABEL.test(name) ? name : goQuote(name));

const labelList = (names: readonly string[]): string => names.map(labelName).join(', ');

const matcherText = (m: Matcher): string => `${labelName(m.name)}${m.type}${goQuote(m.value)}`;

/** Code point order, which is the byte order Go's `sort.Strings` uses on UTF-8. */
function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x - y;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

function atText(at: AtModifier): string {
  if (at === null) return '';
  if (at === 'start' || at === 'end') return ` @ ${at}()`;
  return ` @ ${(at / 1000).toFixed(3)}`;
}

function offsetText(offset: number): string {
  if (offset > 0) return ` offset ${formatDuration(offset)}`;
  if (offset < 0) return ` offset -${formatDuration(-offset)}`;
  return '';
}

function selectorText(vs: VectorSelector): string {
  const labels: string[] = [];
  for (const m of vs.matchers) {
    const isName = m.name === '__name__' && m.type === '=' && m.value === vs.name;
    if (!(isName && m.value !== '')) labels.push(matcherText(m));
  }
  labels.sort(compareCodePoints);
  return labels.length === 0 ? vs.name : `${vs.name}{${labels.join(',')}}`;
}

function matchingText(vm: VectorMatching | null): string {
  if (vm === null) return '';
  const grouped = vm.card === 'many-to-one' || vm.card === 'one-to-many';
  let out = '';
  if (vm.matchingLabels.length > 0 || vm.on || grouped) {
    out += ` ${vm.on ? 'on' : 'ignoring'} (${labelList(vm.matchingLabels)})`;
  }
  if (grouped) {
    out += ` group_${vm.card === 'many-to-one' ? 'left' : 'right'} (${labelList(vm.include)})`;
  }
  return out;
}

/**
 * An aggregation up to its argument list: `sum`, `sum by (job) `, `topk without () `.
 *
 * @example
 * aggregationHead(parseExpr('sum by (job) (x)') as AggregateExpr); // 'sum by (job) '
 */
export function aggregationHead(e: AggregateExpr): string {
  if (e.without) return `${e.op} without (${labelList(e.grouping)}) `;
  if (e.grouping.length > 0) return `${e.op} by (${labelList(e.grouping)}) `;
  return e.op;
}

/**
 * A binary operator with its modifiers: `+`, `> bool`, `* on (a) group_left (b)`.
 *
 * @example
 * operatorText(parseExpr('a / ignoring (x) b') as BinaryExpr); // '/ ignoring (x)'
 */
export function operatorText(e: BinaryExpr): string {
  return e.op + (e.returnBool ? ' bool' : '') + matchingText(e.vectorMatching);
}

/**
 * The canonical text of `e`; parsing it gives back the same tree.
 *
 * @example
 * format(parseExpr('sum(rate(x[5m]))by(job)')); // 'sum by (job) (rate(x[5m]))'
 */
export function format(e: Expr): string {
  switch (e.type) {
    case 'NumberLiteral':
      return formatFloat(e.value);
    case 'StringLiteral':
      return goQuote(e.value);
    case 'VectorSelector':
      return selectorText(e) + atText(e.at) + offsetText(e.offset);
    case 'MatrixSelector': {
      const vs = e.vectorSelector;
      return `${selectorText(vs)}[${formatDuration(e.range)}]${atText(vs.at)}${offsetText(vs.offset)}`;
    }
    case 'SubqueryExpr': {
      const step = e.step === 0 ? '' : formatDuration(e.step);
      return `${format(e.expr)}[${formatDuration(e.range)}:${step}]${atText(e.at)}${offsetText(e.offset)}`;
    }
    case 'Call':
      return `${e.func.name}(${e.args.map(format).join(', ')})`;
    case 'AggregateExpr': {
      const param = e.param === null ? '' : `${format(e.param)}, `;
      return `${aggregationHead(e)}(${param}${format(e.expr)})`;
    }
    case 'BinaryExpr':
      return `${format(e.lhs)} ${operatorText(e)} ${format(e.rhs)}`;
    case 'UnaryExpr':
      return e.op + format(e.expr);
    case 'ParenExpr':
      return `(${format(e.expr)})`;
  }
}
