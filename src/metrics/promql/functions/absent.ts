/**
 * @module
 * `absent(v)` and `absent_over_time(r)`: 1 at the steps where the argument has no sample at
 * all, with the labels its selector pins by equality matchers (a label matched more than once,
 * or also by another kind of matcher, is left out), or no labels for other expressions.
 */

import { Labels } from '../../model/labels.js';
import type { Evaluator, Value } from '../evaluator.js';
import type { Call, Expr } from '../parser/ast.js';
import { StepSeries, totalPoints } from '../step-series.js';
import type { CustomFunction, RangeFunction } from './registry.js';

/**
 * The labels `absent` gives its result for argument `e`.
 *
 * @example
 * absentLabels(parseExpr('up{job="a", env=~"p.*"}')).toString(); // '{job="a"}'
 */
export function absentLabels(e: Expr): Labels {
  while (e.type === 'ParenExpr') e = e.expr;
  const vs =
    e.type === 'VectorSelector' ? e : e.type === 'MatrixSelector' ? e.vectorSelector : null;
  if (vs === null) return Labels.EMPTY;
  const out = new Map<string, string>();
  const has = new Set<string>();
  for (const m of vs.matchers) {
    if (m.name === '__name__') continue;
    if (m.type === '=' && !has.has(m.name)) {
      out.set(m.name, m.value);
      has.add(m.name);
    } else {
      out.delete(m.name);
    }
  }
  return Labels.from(out);
}

async function absent(ev: Evaluator, call: Call): Promise<Value> {
  const original = ev.state.budget.current;
  const input = await ev.evalVector(call.args[0]!);
  const present = new Uint8Array(ev.numSteps);
  for (const s of input) for (let k = 0; k < s.length; k++) present[s.steps[k]!] = 1;
  const out = new StepSeries(absentLabels(call.args[0]!));
  for (let i = 0; i < ev.numSteps; i++) if (present[i] === 0) out.push(i, 1);
  const result = out.length > 0 ? [out] : [];
  ev.state.budget.settle(original, totalPoints(result));
  return { type: 'vector', series: result };
}

/** Turns the per-series "has samples" outputs into the steps where no series had any. */
function absentOverTime(ev: Evaluator, call: Call, present: StepSeries[]): StepSeries[] {
  const seen = new Uint8Array(ev.numSteps);
  for (const s of present) for (let k = 0; k < s.length; k++) seen[s.steps[k]!] = 1;
  const out = new StepSeries(absentLabels(call.args[0]!));
  for (let i = 0; i < ev.numSteps; i++) if (seen[i] === 0) out.push(i, 1);
  return out.length > 0 ? [out] : [];
}

export const ABSENT_FUNCTIONS: readonly (CustomFunction | RangeFunction)[] = [
  { kind: 'custom', name: 'absent', eval: absent },
  { kind: 'range', name: 'absent_over_time', fn: () => 1, finish: absentOverTime },
];
