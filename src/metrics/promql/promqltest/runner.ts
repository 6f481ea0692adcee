/**
 * @module
 * Runs PromQL test scripts against the engine and a real on-disk TSDB in a temporary
 * directory. Like Prometheus' runner, every instant query is checked three ways: as written;
 * as a range query of three steps around its time (the middle step must give the same
 * vector); and, when it uses no time-dependent function, with every selector pinned by `@` to
 * the evaluation time and evaluated at other times, which must not change the answer.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Tsdb } from '../../tsdb/db.js';
import { Engine, type EngineOptions } from '../engine.js';
import type { Expr } from '../parser/ast.js';
import { parseExpr } from '../parser/parse.js';
import { TIME_DEPENDENT_FUNCTIONS } from '../preprocess.js';
import { format } from '../parser/printer.js';
import { staleMarker } from '../sample-buffer.js';
import type { QueryResult, Sample } from '../value.js';
import {
  checkAnnotations,
  checkFailure,
  compareResult,
  expectsFailure,
  expectsOrder,
} from './compare.js';
import { parseScript, type EvalCommand, type LoadCommand } from './script.js';

/** Prometheus' test engine settings: small sample limit, experimental functions on. */
const TEST_ENGINE: EngineOptions = {
  maxSamples: 10_000,
  timeout: 100_000,
  experimentalFunctions: true,
};

export interface ScriptFailure {
  readonly line: number;
  readonly expr: string;
  readonly message: string;
}

export interface ScriptOutcome {
  /** Number of `eval` commands run. */
  readonly evals: number;
  readonly failures: ScriptFailure[];
}

/**
 * Runs a script; never throws for failed expectations, which are returned instead.
 *
 * @throws {ScriptError} when the script itself is malformed.
 * @example
 * const { failures } = await runScript(readFileSync('testdata/functions.test', 'utf8'));
 */
export async function runScript(text: string, options: EngineOptions = {}): Promise<ScriptOutcome> {
  const cmds = parseScript(text);
  const engine = new Engine({ ...TEST_ENGINE, ...options });
  const failures: ScriptFailure[] = [];
  let dir = mkdtempSync(join(tmpdir(), 'vigil-promqltest-'));
  let db = Tsdb.open(dir);
  let evals = 0;
  try {
    for (const cmd of cmds) {
      if (cmd.type === 'clear') {
        await db.close();
        rmSync(dir, { recursive: true, force: true });
        dir = mkdtempSync(join(tmpdir(), 'vigil-promqltest-'));
        db = Tsdb.open(dir);
      } else if (cmd.type === 'load') {
        await load(db, cmd);
      } else {
        evals++;
        const problem =
          cmd.step === 0 ? await evalInstant(engine, db, cmd) : await evalRange(engine, db, cmd);
        if (problem !== null) failures.push({ line: cmd.line, expr: cmd.expr, message: problem });
      }
    }
  } finally {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return { evals, failures };
}

async function load(db: Tsdb, cmd: LoadCommand): Promise<void> {
  const app = db.appender();
  for (const s of cmd.series) {
    s.values.forEach((v, i) => {
      if (v !== null) app.append(0, s.labels, i * cmd.interval, v === 'stale' ? staleMarker() : v);
    });
  }
  await app.commit();
}

async function run(q: () => Promise<QueryResult>): Promise<QueryResult | Error> {
  try {
    return await q();
  } catch (err) {
    return err as Error;
  }
}

async function evalRange(engine: Engine, db: Tsdb, cmd: EvalCommand): Promise<string | null> {
  const r = await run(() => engine.rangeQuery(db, cmd.expr, cmd.start, cmd.end, cmd.step));
  if (r instanceof Error) return checkFailure(cmd, r);
  if (expectsFailure(cmd)) return 'expected an error, got none';
  return (
    checkAnnotations(cmd, r) ??
    compareResult(cmd, r, false, { start: cmd.start, step: cmd.step, end: cmd.end })
  );
}

async function evalInstant(engine: Engine, db: Tsdb, cmd: EvalCommand): Promise<string | null> {
  for (const c of [{ expr: cmd.expr, t: cmd.start }, ...pinnedVariants(cmd.expr, cmd.start)]) {
    const problem = await checkInstant(engine, db, cmd, c.expr, c.t);
    if (problem !== null)
      return c.expr === cmd.expr ? problem : `as ${c.expr} at ${c.t}: ${problem}`;
  }
  return null;
}

async function checkInstant(
  engine: Engine,
  db: Tsdb,
  cmd: EvalCommand,
  expr: string,
  t: number,
): Promise<string | null> {
  const r = await run(() => engine.instantQuery(db, expr, t));
  if (r instanceof Error) return checkFailure(cmd, r);
  if (expectsFailure(cmd)) return 'expected an error, got none';
  const problem =
    checkAnnotations(cmd, r) ?? compareResult(cmd, r, expectsOrder(cmd), cmd.matrixGrid);
  if (
    problem !== null ||
    expectsOrder(cmd) ||
    r.resultType === 'matrix' ||
    r.resultType === 'string'
  ) {
    return problem;
  }
  // The same query as a range query must give the same answer at the middle step.
  const range = await run(() => engine.rangeQuery(db, expr, t - 60_000, t + 60_000, 60_000));
  if (range instanceof Error) return `in range mode: ${range.message}`;
  if (range.resultType !== 'matrix') return `in range mode: got a ${range.resultType}`;
  const vector: Sample[] = [];
  for (const s of range.result) {
    const i = s.ts.indexOf(t);
    if (i >= 0) vector.push({ labels: s.labels, t, v: s.vs[i]! });
  }
  const asInstant: QueryResult =
    r.resultType === 'scalar'
      ? { resultType: 'scalar', result: { t, v: vector[0]?.v ?? NaN }, warnings: [], infos: [] }
      : { resultType: 'vector', result: vector, warnings: [], infos: [] };
  const rangeProblem = compareResult(cmd, asInstant, false, null);
  return rangeProblem === null ? null : `in range mode: ${rangeProblem}`;
}

/**
 * The query with every selector and subquery (outside subqueries already pinned) given
 * `@ <t>`, to be evaluated at other times; none when the query depends on evaluation time.
 */
function pinnedVariants(text: string, t: number): { expr: string; t: number }[] {
  let expr: Expr;
  try {
    expr = parseExpr(text, { experimentalFunctions: true });
  } catch {
    return [];
  }
  let timeDependent = false;
  const pin = (e: Expr): void => {
    switch (e.type) {
      case 'VectorSelector':
        e.at ??= t;
        return;
      case 'MatrixSelector':
        return pin(e.vectorSelector);
      case 'SubqueryExpr':
        // Selectors inside a pinned subquery follow the subquery's time.
        e.at ??= t;
        return;
      case 'Call':
        timeDependent ||= TIME_DEPENDENT_FUNCTIONS.has(e.func.name);
        return e.args.forEach(pin);
      case 'AggregateExpr':
        if (e.param !== null) pin(e.param);
        return pin(e.expr);
      case 'BinaryExpr':
        pin(e.lhs);
        return pin(e.rhs);
      case 'UnaryExpr':
      case 'ParenExpr':
        return pin(e.expr);
      case 'NumberLiteral':
      case 'StringLiteral':
        return;
    }
  };
  pin(expr);
  if (timeDependent) return [];
  const pinned = format(expr);
  const times = t === 0 ? [-1_000_000, 0, 1_000_000] : [-10 * t, 0, Math.trunc(t / 5), t, 10 * t];
  return times.map((at) => ({ expr: pinned, t: at }));
}
