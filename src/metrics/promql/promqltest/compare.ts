/**
 * @module
 * Checks a query's outcome against an `eval` command's expectations, as Prometheus' test
 * runner does: values equal within a relative 1e-6 (NaN equals NaN), series matched by label
 * set (in order only when `ordered` is expected), range results point by point on the step
 * grid, errors and annotations by exact text or pattern. Annotation texts are compared without
 * their trailing `(line:col)`, which Prometheus' runner does not see either.
 */

import { labelsString } from '../labels-util.js';
import { formatFloat } from '../parser/strconv.js';
import type { QueryResult } from '../value.js';
import type { EvalCommand, ExpectKind, Expectation } from './script.js';
import type { SequenceValue } from './series-desc.js';

const EPSILON = 1e-6;
const MIN_NORMAL = 2.2250738585072014e-308;

/**
 * Prometheus' `almost.Equal` with NaN equal to NaN.
 *
 * @example
 * almostEqual(1, 1 + 1e-9); // true
 */
export function almostEqual(a: number, b: number, epsilon = EPSILON): boolean {
  if (Number.isNaN(a) && Number.isNaN(b)) return true;
  if (a === b) return true;
  const absSum = Math.abs(a) + Math.abs(b);
  const diff = Math.abs(a - b);
  if (a === 0 || b === 0 || absSum < MIN_NORMAL) return diff < epsilon * MIN_NORMAL;
  return diff / Math.min(absSum, Number.MAX_VALUE) < epsilon;
}

const expectsOf = (cmd: EvalCommand, kind: ExpectKind): Expectation[] =>
  cmd.expects.filter((e) => e.kind === kind);

const matches = (e: Expectation, text: string): boolean =>
  e.regex !== undefined ? e.regex.test(text) : e.message === undefined || e.message === text;

/** Whether the command expects the query to fail. */
export const expectsFailure = (cmd: EvalCommand): boolean => expectsOf(cmd, 'fail').length > 0;

/** Whether the command expects an ordered vector. */
export const expectsOrder = (cmd: EvalCommand): boolean => expectsOf(cmd, 'ordered').length > 0;

/**
 * Checks an error against `expect fail` lines; returns a problem description or null.
 *
 * @example
 * checkFailure(cmd, new Error('boom')); // null when `expect fail msg: boom`
 */
export function checkFailure(cmd: EvalCommand, err: Error): string | null {
  const fails = expectsOf(cmd, 'fail');
  if (fails.length === 0) return `unexpected error: ${err.message}`;
  for (const f of fails) {
    if (!matches(f, err.message)) {
      return `expected error ${f.regex ? `matching ${f.regex}` : JSON.stringify(f.message)}, got ${JSON.stringify(err.message)}`;
    }
  }
  return null;
}

const stripPosition = (s: string): string => s.replace(/ \(\d+:\d+\)$/, '');

/**
 * Checks warnings and infos against `expect warn|info|no_warn|no_info` lines; returns a
 * problem description or null.
 *
 * @example
 * checkAnnotations(cmd, result); // 'expected warn annotations, got none'
 */
export function checkAnnotations(cmd: EvalCommand, r: QueryResult): string | null {
  for (const [kind, none, texts] of [
    ['warn', 'no_warn', r.warnings],
    ['info', 'no_info', r.infos],
  ] as const) {
    const got = texts.map(stripPosition);
    if (expectsOf(cmd, none).length > 0 && got.length > 0)
      return `unexpected ${kind} annotations: ${got.join('; ')}`;
    const wanted = expectsOf(cmd, kind);
    if (wanted.length === 0) continue;
    if (got.length === 0) return `expected ${kind} annotations, got none`;
    for (const w of wanted) {
      if (!got.some((g) => matches(w, g)))
        return `no ${kind} annotation matches ${w.regex ?? JSON.stringify(w.message)}`;
    }
    for (const g of got) {
      if (!wanted.some((w) => matches(w, g)))
        return `unexpected ${kind} annotation ${JSON.stringify(g)}`;
    }
  }
  return null;
}

const show = (v: number): string => formatFloat(v);

function compareValue(what: string, expected: SequenceValue, actual: number): string | null {
  if (typeof expected !== 'number') return `${what}: expected no value, got ${show(actual)}`;
  return almostEqual(expected, actual)
    ? null
    : `${what}: expected ${show(expected)}, got ${show(actual)}`;
}

/**
 * Compares a query result with the expected series, scalar or string; returns a problem
 * description or null. `grid` maps expected value positions to timestamps for matrices.
 *
 * @example
 * compareResult(cmd, await engine.instantQuery(db, cmd.expr, cmd.start), false, null);
 */
export function compareResult(
  cmd: EvalCommand,
  r: QueryResult,
  ordered: boolean,
  grid: { start: number; step: number; end: number } | null,
): string | null {
  switch (r.resultType) {
    case 'scalar':
      if (cmd.scalar === null) return `unexpected scalar result ${show(r.result.v)}`;
      return compareValue('scalar', cmd.scalar, r.result.v);
    case 'string':
      if (cmd.string === null) return `unexpected string result ${JSON.stringify(r.result.v)}`;
      return cmd.string === r.result.v
        ? null
        : `expected string ${JSON.stringify(cmd.string)}, got ${JSON.stringify(r.result.v)}`;
    case 'vector': {
      if (cmd.scalar !== null) return 'expected a scalar, got a vector';
      const expected = new Map(cmd.series.map((s, pos) => [s.labels.key, { s, pos }]));
      const seen = new Set<string>();
      for (const [pos, sample] of r.result.entries()) {
        const e = expected.get(sample.labels.key);
        const name = labelsString(sample.labels);
        if (e === undefined)
          return `unexpected metric ${name} in result, has value ${show(sample.v)}`;
        if (ordered && e.pos !== pos)
          return `expected metric ${name} at position ${e.pos}, found at ${pos}`;
        const problem = compareValue(name, e.s.values[0] ?? null, sample.v);
        if (problem !== null) return problem;
        seen.add(sample.labels.key);
      }
      for (const s of cmd.series) {
        if (!seen.has(s.labels.key)) return `expected metric ${labelsString(s.labels)} not found`;
      }
      return null;
    }
    case 'matrix': {
      if (grid === null)
        return 'unexpected matrix result (add "expect range vector from … to … step …")';
      if (ordered) return 'expected ordered result, but query returned a matrix';
      const expected = new Map(cmd.series.map((s) => [s.labels.key, s]));
      for (let i = 1; i < r.result.length; i++) {
        if (r.result[i - 1]!.labels.compare(r.result[i]!.labels) >= 0)
          return 'matrix result is not sorted by labels';
      }
      for (const series of r.result) {
        const name = labelsString(series.labels);
        const e = expected.get(series.labels.key);
        if (e === undefined) return `unexpected metric ${name} in result`;
        const points: [number, number][] = [];
        for (const [i, v] of e.values.entries()) {
          const t = grid.start + i * grid.step;
          if (t > grid.end)
            return `expected ${e.values.length} points for ${name}, more than the range has`;
          if (typeof v === 'number') points.push([t, v]);
        }
        if (points.length !== series.ts.length) {
          return `expected ${points.length} points for ${name}, got ${series.ts.length}: ${formatPoints(series.ts, series.vs)}`;
        }
        for (const [i, [t, v]] of points.entries()) {
          if (series.ts[i] !== t)
            return `${name}: expected a point at ${t}, got one at ${series.ts[i]}`;
          const problem = compareValue(`${name} at ${t}`, v, series.vs[i]!);
          if (problem !== null) return problem;
        }
      }
      for (const s of cmd.series) {
        if (!r.result.some((m) => m.labels.key === s.labels.key)) {
          return `expected metric ${labelsString(s.labels)} not found`;
        }
      }
      return null;
    }
  }
}

function formatPoints(ts: Float64Array, vs: Float64Array): string {
  const out: string[] = [];
  for (let i = 0; i < ts.length; i++) out.push(`${show(vs[i]!)}@${ts[i]}`);
  return out.join(' ');
}
