/**
 * @module
 * `label_replace` and `label_join`: rewrite one label of every series (values and steps are
 * untouched). `label_replace` matches the fully anchored RE2 regex (`.` matching newlines) on
 * the source label and expands `$1`, `${name}`, `$$` in the replacement as Go's
 * `Regexp.Expand` does; no match leaves the series as it is. An empty result removes the
 * label. Series that end up with equal labels merge, failing only if they share a step.
 */

import type { Evaluator, Value } from '../evaluator.js';
import { QueryExecutionError } from '../errors.js';
import type { Call, Expr } from '../parser/ast.js';
import { mergeSameLabels, totalPoints, type StepSeries } from '../step-series.js';
import type { CustomFunction } from './registry.js';

function stringArg(e: Expr): string {
  while (e.type === 'ParenExpr') e = e.expr;
  if (e.type !== 'StringLiteral') throw new TypeError('expected a string literal');
  return e.value;
}

/** Prometheus 3 accepts any non-empty UTF-8 label name. */
const validName = (name: string): boolean => name !== '';

/** Translates RE2 syntax to an anchored JavaScript RegExp; null when it does not compile. */
function compileRe2(pattern: string): RegExp | null {
  let body = pattern.replace(/\(\?P</g, '(?<');
  let flags = 's';
  const inline = /^\(\?([is]+)\)/.exec(body);
  if (inline !== null) {
    if (inline[1]!.includes('i')) flags += 'i';
    body = body.slice(inline[0].length);
  }
  try {
    return new RegExp(`^(?:${body})$`, flags);
  } catch {
    return null;
  }
}

const NAME_CHAR = /[\p{L}\p{Nd}_]/u;

/**
 * Go's `Regexp.ExpandString` of `template` with the groups of `m`.
 *
 * @example
 * expand('$1-${2}', /^(a)(b)$/s.exec('ab')!); // 'a-b'
 */
export function expand(template: string, m: RegExpExecArray): string {
  let out = '';
  let i = 0;
  while (i < template.length) {
    const dollar = template.indexOf('$', i);
    if (dollar < 0) break;
    out += template.slice(i, dollar);
    i = dollar + 1;
    if (template[i] === '$') {
      out += '$';
      i++;
      continue;
    }
    const brace = template[i] === '{';
    let j = brace ? i + 1 : i;
    const nameStart = j;
    while (j < template.length) {
      const cp = template.codePointAt(j)!;
      const ch = String.fromCodePoint(cp);
      if (!NAME_CHAR.test(ch)) break;
      j += ch.length;
    }
    const name = template.slice(nameStart, j);
    if (name === '' || (brace && template[j] !== '}')) {
      // Malformed: the `$` stays as text.
      out += '$';
      continue;
    }
    i = brace ? j + 1 : j;
    const num = /^\d+$/.test(name) && !(name.length > 1 && name[0] === '0') ? Number(name) : -1;
    const group = num >= 0 ? m[num] : m.groups?.[name];
    if (group !== undefined) out += group;
  }
  return out + template.slice(i);
}

async function relabel(
  ev: Evaluator,
  call: Call,
  newValue: (s: StepSeries) => string | null,
  dst: string,
): Promise<Value> {
  const original = ev.state.budget.current;
  const input = await ev.evalVector(call.args[0]!);
  const out = input.map((s) => {
    const v = newValue(s);
    return v === null ? s : s.withLabels(s.labels.with(dst, v));
  });
  const merged = mergeSameLabels(out);
  ev.state.budget.settle(original, totalPoints(merged));
  return { type: 'vector', series: merged };
}

function labelReplace(ev: Evaluator, call: Call): Promise<Value> {
  const [dst, repl, src, regex] = call.args.slice(1).map(stringArg) as [
    string,
    string,
    string,
    string,
  ];
  const re = compileRe2(regex);
  if (re === null)
    throw new QueryExecutionError(`invalid regular expression in label_replace(): ${regex}`);
  if (!validName(dst))
    throw new QueryExecutionError(`invalid destination label name in label_replace(): ${dst}`);
  return relabel(
    ev,
    call,
    (s) => {
      const m = re.exec(s.labels.get(src));
      return m === null ? null : expand(repl, m);
    },
    dst,
  );
}

function labelJoin(ev: Evaluator, call: Call): Promise<Value> {
  const [dst, sep, ...srcs] = call.args.slice(1).map(stringArg) as [string, string, ...string[]];
  for (const src of srcs) {
    if (!validName(src))
      throw new QueryExecutionError(`invalid source label name in label_join(): ${src}`);
  }
  if (!validName(dst))
    throw new QueryExecutionError(`invalid destination label name in label_join(): ${dst}`);
  return relabel(ev, call, (s) => srcs.map((n) => s.labels.get(n)).join(sep), dst);
}

export const LABEL_FUNCTIONS: readonly CustomFunction[] = [
  { kind: 'custom', name: 'label_replace', eval: labelReplace },
  { kind: 'custom', name: 'label_join', eval: labelJoin },
];
