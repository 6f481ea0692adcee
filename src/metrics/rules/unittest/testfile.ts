/**
 * @module
 * Rule unit test files in promtool's format (`promtool test rules`): `rule_files` (relative to
 * the test file, last element may be a pattern), `evaluation_interval` (default 1m),
 * `group_eval_order`, and `tests:` groups of `input_series` (series notation such as
 * `0+10x100`, `_`, `stale`), `alert_rule_test` and `promql_expr_test`. Unknown keys are errors,
 * as promtool reads the file strictly.
 */

import type { Document, LineCounter } from 'yaml';
import { ConfigError } from '../../../config/errors.js';
import { locate } from '../../../config/locate.js';
import { formatPath } from '../../../config/path.js';
import { parseYaml } from '../../../config/yaml.js';
import { parseDuration } from '../../../lib/units/duration.js';

export interface ExpAlert {
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

export interface AlertTest {
  /** ms after time 0. */
  readonly evalTime: number;
  readonly alertname: string;
  readonly expAlerts: readonly ExpAlert[];
}

export interface ExpSample {
  /** Series notation: `metric{label="value"}`, or `{…}` without a name. */
  readonly labels: string;
  readonly value: number;
}

export interface PromqlTest {
  readonly expr: string;
  /** ms after time 0. */
  readonly evalTime: number;
  readonly expSamples: readonly ExpSample[];
}

export interface InputSeries {
  readonly series: string;
  readonly values: string;
}

export interface TestGroup {
  readonly name: string;
  /** ms between the samples of input series; the evaluation interval when unset. */
  readonly interval: number;
  readonly inputSeries: readonly InputSeries[];
  readonly alertTests: readonly AlertTest[];
  readonly promqlTests: readonly PromqlTest[];
  readonly externalLabels: Readonly<Record<string, string>>;
  readonly externalURL: string;
}

export interface RuleTestFile {
  readonly ruleFiles: readonly string[];
  /** ms */
  readonly evaluationInterval: number;
  readonly groupEvalOrder: readonly string[];
  readonly tests: readonly TestGroup[];
}

/** A problem at a key path of the test file; becomes a {@link ConfigError} with its position. */
class TestFileError extends Error {
  constructor(
    readonly path: Path,
    message: string,
  ) {
    super(message);
  }
}

type Obj = Record<string, unknown>;
type Path = readonly (string | number)[];

function object(v: unknown, where: Path, keys: readonly string[]): Obj {
  if (v === null || v === undefined) return {};
  if (typeof v !== 'object' || Array.isArray(v))
    throw new TestFileError(where, 'expected a mapping');
  for (const k of Object.keys(v)) {
    if (!keys.includes(k)) throw new TestFileError([...where, k], `field ${k} not found in type`);
  }
  return v as Obj;
}

function list(v: unknown, where: Path): unknown[] {
  if (v === null || v === undefined) return [];
  if (!Array.isArray(v)) throw new TestFileError(where, 'expected a list');
  return v;
}

function str(v: unknown, where: Path): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw new TestFileError(where, 'expected a string');
}

function duration(v: unknown, where: Path, dflt: number): number {
  if (v === null || v === undefined) return dflt;
  const ms = parseDuration(str(v, where));
  if (ms === undefined)
    throw new TestFileError(where, `not a valid duration string: ${JSON.stringify(v)}`);
  return ms;
}

function stringMap(v: unknown, where: Path): Record<string, string> {
  const o = object(v, where, Object.keys((v as Obj | null) ?? {}));
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(o)) out[k] = str(val, [...where, k]);
  return out;
}

function number(v: unknown, where: Path): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    const s = v.trim().replace(/^\+/, '');
    if (/^-?inf(inity)?$/i.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
    if (/^nan$/i.test(s)) return NaN;
    if (s !== '' && !Number.isNaN(Number(s))) return Number(s);
  }
  throw new TestFileError(where, `expected a number, got ${JSON.stringify(v)}`);
}

/**
 * Parses a test file's text.
 *
 * @throws {ConfigError} for YAML errors, unknown keys and wrong types, at their line and key.
 * @example
 * const t = parseRuleTestFile(readFileSync('tests.yml', 'utf8'), 'tests.yml');
 */
export function parseRuleTestFile(text: string, file: string): RuleTestFile {
  const { doc, lineCounter } = parseYaml(text, file);
  try {
    return read(doc.toJS() as unknown);
  } catch (err) {
    if (!(err instanceof TestFileError)) throw err;
    throw new ConfigError(file, [issue(doc, lineCounter, err)]);
  }
}

function issue(doc: Document, lineCounter: LineCounter, err: TestFileError) {
  return { ...locate(doc, lineCounter, err.path), key: formatPath(err.path), message: err.message };
}

function read(doc: unknown): RuleTestFile {
  const top = object(doc, [], ['rule_files', 'evaluation_interval', 'group_eval_order', 'tests']);
  // A zero interval means unset, as in promtool (and would never advance the evaluation).
  const evaluationInterval =
    duration(top['evaluation_interval'], ['evaluation_interval'], 60_000) || 60_000;
  const tests = list(top['tests'], ['tests']).map((raw, i): TestGroup => {
    const at = ['tests', i];
    const g = object(raw, at, [
      'name',
      'interval',
      'input_series',
      'alert_rule_test',
      'promql_expr_test',
      'external_labels',
      'external_url',
    ]);
    return {
      name: str(g['name'], [...at, 'name']),
      interval:
        duration(g['interval'], [...at, 'interval'], evaluationInterval) || evaluationInterval,
      inputSeries: list(g['input_series'], [...at, 'input_series']).map((s, j) => {
        const w = [...at, 'input_series', j];
        const o = object(s, w, ['series', 'values']);
        return {
          series: str(o['series'], [...w, 'series']),
          values: str(o['values'], [...w, 'values']),
        };
      }),
      alertTests: list(g['alert_rule_test'], [...at, 'alert_rule_test']).map((a, j) => {
        const w = [...at, 'alert_rule_test', j];
        const o = object(a, w, ['eval_time', 'alertname', 'exp_alerts']);
        return {
          evalTime: duration(o['eval_time'], [...w, 'eval_time'], 0),
          alertname: str(o['alertname'], [...w, 'alertname']),
          expAlerts: list(o['exp_alerts'], [...w, 'exp_alerts']).map((e, k) => {
            const ew = [...w, 'exp_alerts', k];
            const eo = object(e, ew, ['exp_labels', 'exp_annotations']);
            return {
              labels: stringMap(eo['exp_labels'], [...ew, 'exp_labels']),
              annotations: stringMap(eo['exp_annotations'], [...ew, 'exp_annotations']),
            };
          }),
        };
      }),
      promqlTests: list(g['promql_expr_test'], [...at, 'promql_expr_test']).map((p, j) => {
        const w = [...at, 'promql_expr_test', j];
        const o = object(p, w, ['expr', 'eval_time', 'exp_samples']);
        return {
          expr: str(o['expr'], [...w, 'expr']),
          evalTime: duration(o['eval_time'], [...w, 'eval_time'], 0),
          expSamples: list(o['exp_samples'], [...w, 'exp_samples']).map((s, k) => {
            const sw = [...w, 'exp_samples', k];
            const so = object(s, sw, ['labels', 'value']);
            return {
              labels: str(so['labels'], [...sw, 'labels']),
              value: number(so['value'], [...sw, 'value']),
            };
          }),
        };
      }),
      externalLabels: stringMap(g['external_labels'], [...at, 'external_labels']),
      externalURL: str(g['external_url'], [...at, 'external_url']),
    };
  });
  return {
    ruleFiles: list(top['rule_files'], ['rule_files']).map((f, i) => str(f, ['rule_files', i])),
    evaluationInterval,
    groupEvalOrder: list(top['group_eval_order'], ['group_eval_order']).map((n, i) =>
      str(n, ['group_eval_order', i]),
    ),
    tests,
  };
}
