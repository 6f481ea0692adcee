/**
 * @module
 * Conversions between scalars and vectors, and constants: `scalar(v)` (the single sample's
 * value, NaN unless there is exactly one), `vector(s)` (one series without labels), `pi()`.
 * The native-histogram functions (`histogram_count`, `histogram_sum`, …) act on native
 * histogram samples only; this storage holds floats, so they return an empty vector for any
 * input, as Prometheus does for float samples.
 */

import { Labels } from '../../model/labels.js';
import type { Evaluator, Value } from '../evaluator.js';
import type { Call } from '../parser/ast.js';
import { StepGather, StepSeries, totalPoints } from '../step-series.js';
import type { CustomFunction } from './registry.js';

async function scalar(ev: Evaluator, call: Call): Promise<Value> {
  const original = ev.state.budget.current;
  const input = await ev.evalVector(call.args[0]!);
  const g = new StepGather(input);
  const vals = new Float64Array(ev.numSteps);
  for (let i = 0; i < vals.length; i++) {
    g.gather(i);
    vals[i] = g.count === 1 ? g.vals[0]! : NaN;
  }
  ev.state.budget.settle(original, vals.length);
  return { type: 'scalar', vals };
}

async function vector(ev: Evaluator, call: Call): Promise<Value> {
  const original = ev.state.budget.current;
  const vals = await ev.evalScalar(call.args[0]!);
  const s = new StepSeries(Labels.EMPTY, vals.length);
  for (let i = 0; i < vals.length; i++) s.push(i, vals[i]!);
  const out = s.length > 0 ? [s] : [];
  ev.state.budget.settle(original, totalPoints(out));
  return { type: 'vector', series: out };
}

/** A native-histogram function: evaluates its arguments and finds no histogram samples. */
function nativeOnly(name: string): CustomFunction {
  return {
    kind: 'custom',
    name,
    eval: async (ev, call) => {
      const original = ev.state.budget.current;
      for (const a of call.args) await ev.eval(a);
      ev.state.budget.current = original;
      return { type: 'vector', series: [] };
    },
  };
}

export const MISC_FUNCTIONS: readonly CustomFunction[] = [
  { kind: 'custom', name: 'scalar', eval: scalar },
  { kind: 'custom', name: 'vector', eval: vector },
  {
    kind: 'custom',
    name: 'pi',
    eval: (ev) => Promise.resolve(ev.scalar(new Float64Array(ev.numSteps).fill(Math.PI))),
  },
  nativeOnly('histogram_count'),
  nativeOnly('histogram_sum'),
  nativeOnly('histogram_avg'),
  nativeOnly('histogram_stddev'),
  nativeOnly('histogram_stdvar'),
  nativeOnly('histogram_fraction'),
];
