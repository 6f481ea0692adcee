/**
 * @module
 * Function calls: looks the function up in the registry and evaluates it by kind. Element-wise
 * functions map each sample of their vector argument (scalar arguments taken at the sample's
 * step), drop the metric name, and merge series that became equal as Prometheus does (fine on
 * different steps, an error on the same step).
 */

import { Labels } from '../model/labels.js';
import { evalRangeCall } from './eval-range.js';
import type { Evaluator, Value } from './evaluator.js';
import { QueryExecutionError } from './errors.js';
import { FUNCTION_REGISTRY } from './functions/index.js';
import type { ElementwiseFunction } from './functions/registry.js';
import type { Call } from './parser/ast.js';
import { StepSeries, mergeSameLabels, totalPoints } from './step-series.js';

/**
 * Evaluates a function call over all steps.
 *
 * @example
 * await evalCall(ev, parseExpr('abs(x)') as Call);
 */
export async function evalCall(ev: Evaluator, call: Call): Promise<Value> {
  if (!FUNCTION_REGISTRY.has(call.func.name)) {
    throw new QueryExecutionError(`function ${call.func.name}() is not supported by this engine`);
  }
  const impl = FUNCTION_REGISTRY.get(call.func.name);
  switch (impl.kind) {
    case 'range':
      return evalRangeCall(ev, call, impl);
    case 'custom':
      return impl.eval(ev, call);
    case 'elementwise':
      return evalElementwise(ev, call, impl);
  }
}

async function evalElementwise(
  ev: Evaluator,
  call: Call,
  impl: ElementwiseFunction,
): Promise<Value> {
  const budget = ev.state.budget;
  const original = budget.current;
  let input: StepSeries[];
  if (call.args.length === 0) {
    if (impl.defaultsToTime !== true) throw new TypeError(`${impl.name}() needs an argument`);
    input = [timeSeries(ev)];
  } else {
    input = await ev.evalVector(call.args[0]!);
  }
  const scalars: Float64Array[] = [];
  for (let i = 1; i < call.args.length; i++) scalars.push(await ev.evalScalar(call.args[i]!));
  const params = new Float64Array(scalars.length);
  const out: StepSeries[] = [];
  for (const s of input) {
    if (ev.state.shouldYield()) await ev.state.pause();
    const o = new StepSeries(s.labels.without('__name__'), s.length);
    for (let k = 0; k < s.length; k++) {
      const step = s.steps[k]!;
      for (let j = 0; j < scalars.length; j++) params[j] = scalars[j]![step]!;
      const r = impl.fn(s.vals[k]!, params);
      if (r !== undefined) o.push(step, r);
    }
    out.push(o);
  }
  const merged = mergeSameLabels(out);
  budget.settle(original, totalPoints(merged));
  return { type: 'vector', series: merged };
}

/** `vector(time())`: the default argument of the date functions. */
function timeSeries(ev: Evaluator): StepSeries {
  const s = new StepSeries(Labels.EMPTY, ev.numSteps);
  for (let i = 0; i < ev.numSteps; i++) s.push(i, ev.time(i) / 1000);
  return s;
}
