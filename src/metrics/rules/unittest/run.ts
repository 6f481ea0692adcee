/**
 * @module
 * Runs rule unit tests as `promtool test rules` (Prometheus 2.42) does: each test group gets a
 * fresh TSDB in a temporary directory; the rule groups are evaluated one after another at
 * 0, evaluation_interval, 2·evaluation_interval … up to the largest `eval_time` of the group,
 * with the input samples up to each step appended before it; alerts expected at `eval_time`
 * are compared with the firing alerts after the step at or before it (`ts <= eval_time <
 * ts + interval`); `promql_expr_test` queries run once every step is done. The real rule
 * evaluator ({@link Group}) runs, so `for`, `keep_firing_for`, templates and `ALERTS` behave as
 * they do in the server.
 */

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { systemClock } from '../../../lib/clock/clock.js';
import { Logger } from '../../../lib/log/logger.js';
import { formatDuration } from '../../../lib/units/duration.js';
import { Engine } from '../../promql/engine.js';
import { parseSeriesDesc } from '../../promql/promqltest/series-desc.js';
import { staleMarker } from '../../promql/sample-buffer.js';
import { Tsdb } from '../../tsdb/db.js';
import { AlertingRule } from '../alerting.js';
import type { RuleGroupConfig } from '../file.js';
import { Group } from '../group.js';
import { expandRuleFiles, loadRuleFiles } from '../load.js';
import { ruleMetrics } from '../metrics.js';
import { DEFAULT_RESTORE } from '../restore.js';
import { engineQueryFn } from '../query.js';
import {
  compareAlerts,
  comparePairs,
  formatAlerts,
  formatGoDuration,
  formatSamples,
  indentLines,
  pairsOf,
  type AlertView,
  type SampleView,
} from './report.js';
import type { RuleTestFile, TestGroup } from './testfile.js';

interface InputSample {
  readonly labels: ReturnType<typeof parseSeriesDesc>['labels'];
  readonly t: number;
  readonly v: number;
}

/**
 * Runs every test group of a parsed test file; returns the failures in promtool's wording,
 * none when all pass. `warn` receives promtool's warning for a rule file pattern that matches
 * no file.
 *
 * @throws {ConfigError} when a rule file is invalid.
 * @example
 * const failures = await runRuleTests(parseRuleTestFile(text), 'tests.yml', console.error);
 */
export async function runRuleTests(
  file: RuleTestFile,
  path: string,
  warn: (line: string) => void = () => {},
): Promise<string[]> {
  const base = dirname(path);
  for (const p of file.ruleFiles) {
    if (!expandRuleFiles([p], base).some((f) => existsSync(f)))
      warn(`  WARNING: no file match pattern ${isAbsolute(p) ? p : join(base, p)}`);
  }
  const groups = loadRuleFiles(file.ruleFiles, base);
  const order = new Map<string, number>();
  for (const [i, n] of file.groupEvalOrder.entries()) {
    if (order.has(n)) return [`group name repeated in evaluation order: ${n}`];
    order.set(n, i);
  }
  const ordered = groups
    .map((g, i) => ({ g, i }))
    .sort(
      (a, b) =>
        (order.get(a.g.name) ?? order.size) - (order.get(b.g.name) ?? order.size) || a.i - b.i,
    )
    .map((x) => x.g);
  const errors: string[] = [];
  for (const tg of file.tests) errors.push(...(await runTestGroup(tg, file, ordered)));
  return errors;
}

function inputSamples(tg: TestGroup): InputSample[] | string {
  const out: InputSample[] = [];
  for (const s of tg.inputSeries) {
    let desc;
    try {
      desc = parseSeriesDesc(`${s.series} ${s.values}`);
    } catch (err) {
      return `    series ${JSON.stringify(s.series)}: ${(err as Error).message}`;
    }
    desc.values.forEach((v, i) => {
      if (v !== null)
        out.push({ labels: desc.labels, t: i * tg.interval, v: v === 'stale' ? staleMarker() : v });
    });
  }
  return out.sort((a, b) => a.t - b.t);
}

async function runTestGroup(
  tg: TestGroup,
  file: RuleTestFile,
  configs: readonly RuleGroupConfig[],
): Promise<string[]> {
  const samples = inputSamples(tg);
  if (typeof samples === 'string') return [samples];
  const dir = mkdtempSync(join(tmpdir(), 'vigil-ruletest-'));
  const db = Tsdb.open(dir);
  try {
    return await evaluate(tg, file, configs, samples, db);
  } finally {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function evaluate(
  tg: TestGroup,
  file: RuleTestFile,
  configs: readonly RuleGroupConfig[],
  samples: readonly InputSample[],
  db: Tsdb,
): Promise<string[]> {
  const query = engineQueryFn(new Engine(), db);
  const metrics = ruleMetrics();
  const log = new Logger({ level: 'error', write: () => {} });
  const groups = configs.map(
    (cfg) =>
      new Group(
        cfg,
        cfg.interval || file.evaluationInterval,
        {
          query,
          queryable: db,
          appendable: db,
          clock: systemClock,
          log,
          notify: () => {},
          context: { externalLabels: tg.externalLabels, externalURL: tg.externalURL },
          restore: DEFAULT_RESTORE,
          resendDelay: 60_000,
          metrics,
        },
        // No restart to restore `for` state from: rules write ALERTS from the first step.
        false,
      ),
  );
  const errors: string[] = [];
  const evalTimes = [...new Set(tg.alertTests.map((a) => a.evalTime))].sort((a, b) => a - b);
  const maxT = Math.max(0, ...evalTimes, ...tg.promqlTests.map((p) => p.evalTime));
  const step = file.evaluationInterval;
  const testName = tg.name === '' ? '' : `    name: ${tg.name},\n`;
  let next = 0;
  let curr = 0;
  for (let ts = 0; ts <= maxT; ts += step) {
    const app = db.appender();
    for (; next < samples.length && samples[next]!.t <= ts; next++) {
      const s = samples[next]!;
      app.append(0, s.labels, s.t, s.v);
    }
    await app.commit();
    const evalErrors: string[] = [];
    for (const g of groups) {
      await g.evaluate(ts);
      for (const r of g.rules) {
        if (r.state.health === 'err')
          evalErrors.push(
            `    rule: ${r.name}, time: ${formatGoDuration(ts)}, err: ${r.state.lastError}`,
          );
      }
    }
    // As promtool, an evaluation error ends the test group; failures so far are kept.
    if (evalErrors.length > 0) return [...errors, ...evalErrors];
    for (
      ;
      curr < evalTimes.length && evalTimes[curr]! >= ts && evalTimes[curr]! < ts + step;
      curr++
    ) {
      const t = evalTimes[curr]!;
      for (const test of tg.alertTests.filter((a) => a.evalTime === t)) {
        const got = firingAlerts(groups, test.alertname).sort(compareAlerts);
        const exp = test.expAlerts
          .map((a): AlertView => ({
            labels: pairsOf({ ...a.labels, alertname: test.alertname }),
            annotations: pairsOf(a.annotations),
          }))
          .sort(compareAlerts);
        if (!sameAlerts(exp, got)) {
          errors.push(
            `${testName}    alertname: ${test.alertname}, time: ${formatDuration(t)}, \n` +
              `        exp:${indentLines(formatAlerts(exp), '            ')}, \n` +
              `        got:${indentLines(formatAlerts(got), '            ')}`,
          );
        }
      }
    }
  }
  for (const test of tg.promqlTests) {
    const where = `    expr: ${JSON.stringify(test.expr)}, time: ${formatDuration(test.evalTime)}`;
    let got: SampleView[];
    try {
      got = (await query(test.expr, test.evalTime)).map((s) => ({
        labels: s.labels.pairs(),
        value: s.v,
      }));
    } catch (err) {
      errors.push(`${where}, err: ${err instanceof Error ? err.message : String(err)}`);
      continue;
    }
    const exp: SampleView[] = [];
    let bad: string | null = null;
    for (const s of test.expSamples) {
      try {
        exp.push({ labels: parseSeriesDesc(s.labels).labels.pairs(), value: s.value });
      } catch (err) {
        bad = `labels ${JSON.stringify(s.labels)}: ${(err as Error).message}`;
        break;
      }
    }
    if (bad !== null) {
      errors.push(`${where}, err: ${bad}`);
      continue;
    }
    exp.sort((a, b) => comparePairs(a.labels, b.labels));
    got.sort((a, b) => comparePairs(a.labels, b.labels));
    if (!sameSamples(exp, got)) {
      errors.push(
        `${where},\n        exp: ${formatSamples(exp)}\n        got: ${formatSamples(got)}`,
      );
    }
  }
  return errors;
}

/** The firing alerts of every alerting rule named `name`, in any group. */
function firingAlerts(groups: readonly Group[], name: string): AlertView[] {
  const out: AlertView[] = [];
  for (const g of groups) {
    for (const r of g.rules) {
      if (!(r instanceof AlertingRule) || r.name !== name) continue;
      for (const a of r.active.values()) {
        if (a.state === 'firing')
          out.push({ labels: a.labels.pairs(), annotations: pairsOf(a.annotations) });
      }
    }
  }
  return out;
}

function sameAlerts(a: readonly AlertView[], b: readonly AlertView[]): boolean {
  return a.length === b.length && a.every((x, i) => compareAlerts(x, b[i]!) === 0);
}

/** Exact float equality, as promtool's `reflect.DeepEqual`: a NaN never matches. */
function sameSamples(a: readonly SampleView[], b: readonly SampleView[]): boolean {
  return (
    a.length === b.length &&
    a.every((x, i) => comparePairs(x.labels, b[i]!.labels) === 0 && x.value === b[i]!.value)
  );
}
