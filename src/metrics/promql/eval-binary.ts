/**
 * @module
 * Binary operators. Between scalars they apply per step. Between a vector and a scalar they
 * apply per sample: arithmetic (and `bool` comparisons) drop the metric name, comparisons
 * without `bool` filter and keep the vector's value whichever side it is on. Between two vectors
 * series are paired per step by their match signature (`on`/`ignoring` labels): set operators
 * keep input samples; the others pair one-to-one or, with `group_left`/`group_right`,
 * many-to-one, and fail like Prometheus on ambiguous matches.
 */

import { Labels } from '../model/labels.js';
import { arithmetic, compare, isArithmetic, isComparison } from './binary-ops.js';
import type { Evaluator, Value } from './evaluator.js';
import { QueryExecutionError } from './errors.js';
import { keepLabels, dropLabels, labelsString } from './labels-util.js';
import type { BinaryExpr, VectorMatching } from './parser/ast.js';
import {
  SeriesCollector,
  StepGather,
  StepSeries,
  mergeSameLabels,
  totalPoints,
} from './step-series.js';

/**
 * Evaluates a binary expression over all steps.
 *
 * @example
 * await evalBinary(ev, parseExpr('a / on(job) b') as BinaryExpr);
 */
export async function evalBinary(ev: Evaluator, e: BinaryExpr): Promise<Value> {
  const original = ev.state.budget.current;
  const l = await ev.eval(e.lhs);
  const r = await ev.eval(e.rhs);
  if (l.type === 'scalar' && r.type === 'scalar') {
    const vals = new Float64Array(ev.numSteps);
    for (let i = 0; i < vals.length; i++) vals[i] = scalarOp(e, l.vals[i]!, r.vals[i]!);
    ev.state.budget.settle(original, vals.length);
    return { type: 'scalar', vals };
  }
  let out: StepSeries[];
  if (l.type === 'vector' && r.type === 'vector') {
    out = await vectorVector(ev, e, l.series, r.series);
  } else if (l.type === 'vector' && r.type === 'scalar') {
    out = vectorScalar(e, l.series, r.vals, false);
  } else if (l.type === 'scalar' && r.type === 'vector') {
    out = vectorScalar(e, r.series, l.vals, true);
  } else {
    throw new TypeError(`binary operator on ${l.type} and ${r.type}`);
  }
  ev.state.budget.settle(original, totalPoints(out));
  return { type: 'vector', series: out };
}

function scalarOp(e: BinaryExpr, l: number, r: number): number {
  if (isArithmetic(e.op)) return arithmetic(e.op, l, r);
  if (isComparison(e.op)) return compare(e.op, l, r) ? 1 : 0;
  throw new TypeError(`operator ${e.op} not allowed between scalars`);
}

function vectorScalar(
  e: BinaryExpr,
  series: StepSeries[],
  scalar: Float64Array,
  swap: boolean,
): StepSeries[] {
  const op = e.op;
  const dropName = isArithmetic(op) || e.returnBool;
  const out: StepSeries[] = [];
  for (const s of series) {
    const o = new StepSeries(dropName ? s.labels.without('__name__') : s.labels, s.length);
    for (let k = 0; k < s.length; k++) {
      const step = s.steps[k]!;
      const v = s.vals[k]!;
      const c = scalar[step]!;
      const l = swap ? c : v;
      const r = swap ? v : c;
      if (isArithmetic(op)) o.push(step, arithmetic(op, l, r));
      else if (isComparison(op)) {
        const keep = compare(op, l, r);
        if (e.returnBool) o.push(step, keep ? 1 : 0);
        else if (keep) o.push(step, v);
      }
    }
    out.push(o);
  }
  return mergeSameLabels(out);
}

/** Match signatures of both sides as small integers (equal signature, equal ordinal). */
function signatures(
  m: VectorMatching,
  lhs: StepSeries[],
  rhs: StepSeries[],
): [Int32Array, Int32Array, number] {
  const names = new Set(m.matchingLabels);
  if (!m.on) names.add('__name__');
  const ordinals = new Map<string, number>();
  const sig = (series: StepSeries[]): Int32Array => {
    const out = new Int32Array(series.length);
    series.forEach((s, i) => {
      const key = (m.on ? keepLabels(s.labels, names) : dropLabels(s.labels, names)).key;
      let o = ordinals.get(key);
      if (o === undefined) {
        o = ordinals.size;
        ordinals.set(key, o);
      }
      out[i] = o;
    });
    return out;
  };
  const l = sig(lhs);
  const r = sig(rhs);
  return [l, r, ordinals.size];
}

async function vectorVector(
  ev: Evaluator,
  e: BinaryExpr,
  lhs: StepSeries[],
  rhs: StepSeries[],
): Promise<StepSeries[]> {
  const m = e.vectorMatching!;
  const [sigL, sigR, numSigs] = signatures(m, lhs, rhs);
  if (e.op === 'and' || e.op === 'or' || e.op === 'unless') {
    return setOperation(ev, e.op, lhs, rhs, sigL, sigR, numSigs);
  }
  // The evaluation pairs each sample of the "many" side with one of the "one" side.
  const swap = m.card === 'one-to-many';
  const many = swap ? rhs : lhs;
  const one = swap ? lhs : rhs;
  const sigMany = swap ? sigR : sigL;
  const sigOne = swap ? sigL : sigR;
  const gMany = new StepGather(many);
  const gOne = new StepGather(one);
  const oneAt = new Int32Array(numSigs).fill(-1);
  const matchedAt = new Int32Array(numSigs).fill(-1);
  const collector = new SeriesCollector();
  const targets = new PairTargets(many.length, one.length, collector, (mi, oi) =>
    resultLabels(e, many[mi]!.labels, one[oi]!.labels),
  );
  const op = e.op;
  for (let step = 0; step < ev.numSteps; step++) {
    if (ev.state.shouldYield()) await ev.state.pause();
    gMany.gather(step);
    gOne.gather(step);
    if (gMany.count === 0 || gOne.count === 0) continue;
    for (let k = 0; k < gOne.count; k++) {
      const sig = sigOne[gOne.idx[k]!]!;
      const prev = oneAt[sig]!;
      if (prev >= 0) duplicateOnOneSide(m, one[gOne.idx[k]!]!, one[gOne.idx[prev]!]!);
      oneAt[sig] = k;
    }
    for (let k = 0; k < gMany.count; k++) {
      const mi = gMany.idx[k]!;
      const sig = sigMany[mi]!;
      const ko = oneAt[sig]!;
      if (ko < 0) continue;
      const oi = gOne.idx[ko]!;
      const l = swap ? gOne.vals[ko]! : gMany.vals[k]!;
      const r = swap ? gMany.vals[k]! : gOne.vals[ko]!;
      let value: number;
      let keep = true;
      if (isArithmetic(op)) value = arithmetic(op, l, r);
      else if (isComparison(op)) {
        keep = compare(op, l, r);
        value = e.returnBool ? (keep ? 1 : 0) : l;
      } else throw new TypeError(`operator ${op}`);
      const id = targets.id(mi, oi);
      const target = targets.series[id]!;
      if (m.card === 'one-to-one') {
        if (matchedAt[sig] === step) {
          throw new QueryExecutionError(
            'multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)',
          );
        }
        matchedAt[sig] = step;
      } else if (!targets.claim(id, step, sig)) {
        throw new QueryExecutionError(
          'multiple matches for labels: grouping labels must ensure unique matches',
        );
      }
      if (keep || e.returnBool) collector.add(target, step, value);
    }
    for (let k = 0; k < gOne.count; k++) oneAt[sigOne[gOne.idx[k]!]!] = -1;
  }
  return collector.result();
}

/**
 * The output series of each (many-side, one-side) pair of input series, found by a per-series
 * cache in the steady state (a series usually pairs with the same partner at every step), and
 * which step and signature last wrote to each, to detect ambiguous many-to-one matches.
 */
class PairTargets {
  readonly series: StepSeries[] = [];
  readonly #byPair = new Map<number, number>();
  readonly #lastOne: Int32Array;
  readonly #lastId: Int32Array;
  readonly #stepOf: number[] = [];
  readonly #sigOf: number[] = [];
  readonly #ids = new Map<StepSeries, number>();

  constructor(
    manyCount: number,
    readonly oneCount: number,
    readonly collector: SeriesCollector,
    readonly labelsOf: (mi: number, oi: number) => Labels,
  ) {
    this.#lastOne = new Int32Array(manyCount).fill(-1);
    this.#lastId = new Int32Array(manyCount);
  }

  /** The id of the output series for a pair, created on first use. */
  id(mi: number, oi: number): number {
    if (this.#lastOne[mi] === oi) return this.#lastId[mi]!;
    const key = mi * this.oneCount + oi;
    let id = this.#byPair.get(key);
    if (id === undefined) {
      const s = this.collector.series(this.labelsOf(mi, oi));
      id = this.#ids.get(s);
      if (id === undefined) {
        id = this.series.length;
        this.series.push(s);
        this.#ids.set(s, id);
        this.#stepOf.push(-1);
        this.#sigOf.push(-1);
      }
      this.#byPair.set(key, id);
    }
    this.#lastOne[mi] = oi;
    this.#lastId[mi] = id;
    return id;
  }

  /** Records a write to output `id`; false if the same signature already wrote it this step. */
  claim(id: number, step: number, sig: number): boolean {
    if (this.#stepOf[id] === step && this.#sigOf[id] === sig) return false;
    this.#stepOf[id] = step;
    this.#sigOf[id] = sig;
    return true;
  }
}

function duplicateOnOneSide(m: VectorMatching, cur: StepSeries, prev: StepSeries): never {
  const names = new Set(m.matchingLabels);
  if (!m.on) names.add('__name__');
  const group = m.on ? keepLabels(cur.labels, names) : dropLabels(cur.labels, names);
  const side = m.card === 'one-to-many' ? 'left' : 'right';
  throw new QueryExecutionError(
    `found duplicate series for the match group ${labelsString(group)} on the ${side} hand-side of the operation: ` +
      `[${labelsString(cur.labels)}, ${labelsString(prev.labels)}];` +
      'many-to-many matching not allowed: matching labels must be unique on one side',
  );
}

/** The labels of a result sample, from the "many" side's labels and the "one" side's. */
function resultLabels(e: BinaryExpr, many: Labels, one: Labels): Labels {
  const m = e.vectorMatching!;
  const map = new Map(many.pairs());
  if (isArithmetic(e.op)) map.delete('__name__');
  if (m.card === 'one-to-one') {
    const names = new Set(m.matchingLabels);
    for (const n of [...map.keys()]) if (names.has(n) !== m.on) map.delete(n);
  }
  for (const n of m.include) {
    const v = one.get(n);
    if (v === '') map.delete(n);
    else map.set(n, v);
  }
  if (e.returnBool) map.delete('__name__');
  return Labels.from(map);
}

async function setOperation(
  ev: Evaluator,
  op: 'and' | 'or' | 'unless',
  lhs: StepSeries[],
  rhs: StepSeries[],
  sigL: Int32Array,
  sigR: Int32Array,
  numSigs: number,
): Promise<StepSeries[]> {
  const gl = new StepGather(lhs);
  const gr = new StepGather(rhs);
  const present = new Uint8Array(numSigs);
  const collector = new SeriesCollector();
  const outL: (StepSeries | undefined)[] = new Array(lhs.length);
  const outR: (StepSeries | undefined)[] = new Array(rhs.length);
  const emit = (
    side: StepSeries[],
    out: (StepSeries | undefined)[],
    i: number,
    step: number,
    v: number,
  ): void => {
    const target = (out[i] ??= collector.series(side[i]!.labels));
    collector.add(target, step, v);
  };
  for (let step = 0; step < ev.numSteps; step++) {
    if (ev.state.shouldYield()) await ev.state.pause();
    gl.gather(step);
    gr.gather(step);
    // Signatures of one side present at this step, used by the other side.
    const mark = op === 'or' ? gl : gr;
    const markSig = op === 'or' ? sigL : sigR;
    for (let k = 0; k < mark.count; k++) present[markSig[mark.idx[k]!]!] = 1;
    if (op === 'or') {
      for (let k = 0; k < gl.count; k++) emit(lhs, outL, gl.idx[k]!, step, gl.vals[k]!);
      for (let k = 0; k < gr.count; k++) {
        if (present[sigR[gr.idx[k]!]!] === 0) emit(rhs, outR, gr.idx[k]!, step, gr.vals[k]!);
      }
    } else {
      const wanted = op === 'and' ? 1 : 0;
      for (let k = 0; k < gl.count; k++) {
        if (present[sigL[gl.idx[k]!]!] === wanted) emit(lhs, outL, gl.idx[k]!, step, gl.vals[k]!);
      }
    }
    for (let k = 0; k < mark.count; k++) present[markSig[mark.idx[k]!]!] = 0;
  }
  return collector.result();
}
