/**
 * @module
 * Rule files in Prometheus' format (`groups:` of `name`, `interval`, `limit`, `rules:` with
 * `record` or `alert`), validated as Prometheus 2.42's `rulefmt` and `promtool check rules`
 * validate them: unknown keys, a missing or unparsable `expr`, recording rules with alert-only
 * fields, invalid names, duplicate group names, and alert templates that do not parse. Every
 * problem of a file is reported at once, each at its line and key.
 */

import type { Document, LineCounter } from 'yaml';
import { ConfigError, type ConfigIssue } from '../../config/errors.js';
import { locate } from '../../config/locate.js';
import { formatPath } from '../../config/path.js';
import { parseYaml } from '../../config/yaml.js';
import { parseDuration } from '../../lib/units/duration.js';
import type { Template } from '../../lib/template/parse.js';
import { parseExpr } from '../promql/parser/parse.js';
import type { Expr } from '../promql/parser/ast.js';
import { parseAlertTemplate } from './template.js';

export interface RuleConfig {
  /** Recording rule: the metric name it writes. Exactly one of `record` and `alert` is set. */
  readonly record?: string;
  readonly alert?: string;
  readonly expr: string;
  readonly parsedExpr: Expr;
  /** ms; 0 for recording rules. */
  readonly for: number;
  readonly keepFiringFor: number;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  /** Parsed label and annotation templates of an alerting rule, by name. */
  readonly labelTemplates: ReadonlyMap<string, Template>;
  readonly annotationTemplates: ReadonlyMap<string, Template>;
}

export interface RuleGroupConfig {
  readonly file: string;
  readonly name: string;
  /** ms; 0 means the global evaluation interval. */
  readonly interval: number;
  /** Most series a rule may produce per evaluation; 0 for no limit. */
  readonly limit: number;
  readonly rules: readonly RuleConfig[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const FILE_KEYS = ['groups'];
const GROUP_KEYS = ['name', 'interval', 'limit', 'rules'];
const RULE_KEYS = ['record', 'alert', 'expr', 'for', 'keep_firing_for', 'labels', 'annotations'];

type Path = (string | number)[];

/**
 * Parses and validates one rule file's text.
 *
 * @throws {ConfigError} listing every problem with its line and key.
 * @example
 * const groups = parseRuleFile('groups: [{name: g, rules: [{record: a, expr: up}]}]', 'r.yml');
 */
export function parseRuleFile(text: string, file: string): RuleGroupConfig[] {
  const { doc, lineCounter } = parseYaml(text, file);
  const v = new Validator(file, doc, lineCounter);
  const groups = v.file(doc.toJS() as unknown);
  if (v.issues.length > 0)
    throw new ConfigError(
      file,
      v.issues.sort((a, b) => a.line - b.line || a.col - b.col),
    );
  return groups;
}

class Validator {
  readonly issues: ConfigIssue[] = [];

  constructor(
    readonly fileName: string,
    readonly doc: Document,
    readonly lineCounter: LineCounter,
  ) {}

  issue(path: Path, message: string): void {
    this.issues.push({
      ...locate(this.doc, this.lineCounter, path),
      key: formatPath(path),
      message,
    });
  }

  keys(value: Record<string, unknown>, known: readonly string[], path: Path, type: string): void {
    for (const k of Object.keys(value)) {
      if (!known.includes(k)) this.issue([...path, k], `field ${k} not found in type ${type}`);
    }
  }

  mapping(value: unknown, path: Path, what: string): Record<string, unknown> | null {
    if (value === null || value === undefined) return {};
    if (typeof value !== 'object' || Array.isArray(value)) {
      this.issue(path, `${what} must be a mapping`);
      return null;
    }
    return value as Record<string, unknown>;
  }

  list(value: unknown, path: Path, what: string): unknown[] {
    if (value === null || value === undefined) return [];
    if (!Array.isArray(value)) {
      this.issue(path, `${what} must be a list`);
      return [];
    }
    return value;
  }

  duration(value: unknown, path: Path): number {
    if (value === undefined || value === null) return 0;
    const ms =
      typeof value === 'string' || typeof value === 'number'
        ? parseDuration(String(value))
        : undefined;
    if (ms === undefined) {
      this.issue(path, `not a valid duration string: ${JSON.stringify(String(value))}`);
      return 0;
    }
    return ms;
  }

  /** A map of strings; scalars are taken as written, as Go's YAML reader does for strings. */
  strings(value: unknown, path: Path, what: string): Record<string, string> {
    const m = this.mapping(value, path, what);
    if (m === null) return {};
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(m)) {
      if (v !== null && typeof v === 'object')
        this.issue([...path, k], `${what} values must be strings`);
      else out[k] = v === null || v === undefined ? '' : String(v);
    }
    return out;
  }

  file(value: unknown): RuleGroupConfig[] {
    const top = this.mapping(value, [], 'a rule file');
    if (top === null) return [];
    this.keys(top, FILE_KEYS, [], 'rulefmt.RuleGroups');
    const seen = new Set<string>();
    const groups: RuleGroupConfig[] = [];
    this.list(top['groups'], ['groups'], 'groups').forEach((g, i) => {
      const group = this.group(g, ['groups', i], seen);
      if (group !== null) groups.push(group);
    });
    return groups;
  }

  group(value: unknown, path: Path, seen: Set<string>): RuleGroupConfig | null {
    const g = this.mapping(value, path, 'a group');
    if (g === null) return null;
    this.keys(g, GROUP_KEYS, path, 'rulefmt.RuleGroup');
    const name = g['name'] === undefined || g['name'] === null ? '' : String(g['name']);
    if (name === '') this.issue(path, 'Groupname must not be empty');
    else if (seen.has(name))
      this.issue(
        [...path, 'name'],
        `groupname: ${JSON.stringify(name)} is repeated in the same file`,
      );
    seen.add(name);
    const interval = this.duration(g['interval'], [...path, 'interval']);
    let limit = 0;
    if (g['limit'] !== undefined && g['limit'] !== null) {
      if (!Number.isSafeInteger(g['limit']))
        this.issue(
          [...path, 'limit'],
          `limit must be an integer, got ${JSON.stringify(g['limit'])}`,
        );
      else limit = g['limit'] as number;
    }
    const rules: RuleConfig[] = [];
    this.list(g['rules'], [...path, 'rules'], 'rules').forEach((r, i) => {
      const rule = this.rule(
        r,
        [...path, 'rules', i],
        `group ${JSON.stringify(name)}, rule ${i + 1}`,
      );
      if (rule !== null) rules.push(rule);
    });
    return { file: this.fileName, name, interval, limit, rules };
  }

  rule(value: unknown, path: Path, where: string): RuleConfig | null {
    const r = this.mapping(value, path, 'a rule');
    if (r === null) return null;
    this.keys(r, RULE_KEYS, path, 'rulefmt.RuleNode');
    const str = (k: string) => (r[k] === undefined || r[k] === null ? '' : String(r[k]));
    const record = str('record');
    const alert = str('alert');
    const ruleName = record !== '' ? record : alert;
    const fail = (key: string | null, message: string) =>
      this.issue(
        key === null ? path : [...path, key],
        `${where}, ${JSON.stringify(ruleName)}: ${message}`,
      );
    let ok = true;
    if (record !== '' && alert !== '') {
      fail('alert', "only one of 'record' and 'alert' must be set");
      ok = false;
    } else if (record === '' && alert === '') {
      fail(null, "one of 'record' or 'alert' must be set");
      ok = false;
    }
    const expr = str('expr');
    let parsedExpr: Expr | null = null;
    if (expr === '') fail(null, "field 'expr' must be set in rule");
    else {
      try {
        parsedExpr = parseExpr(expr);
      } catch (err) {
        fail(
          'expr',
          `could not parse expression: ${err instanceof Error ? err.message : String(err)}`,
        );
      }
    }
    const forMs = this.duration(r['for'], [...path, 'for']);
    const keepFiringFor = this.duration(r['keep_firing_for'], [...path, 'keep_firing_for']);
    const labels = this.strings(r['labels'], [...path, 'labels'], 'labels');
    const annotations = this.strings(r['annotations'], [...path, 'annotations'], 'annotations');
    if (record !== '') {
      if (Object.keys(annotations).length > 0)
        fail('annotations', "invalid field 'annotations' in recording rule");
      if (forMs !== 0) fail('for', "invalid field 'for' in recording rule");
      if (keepFiringFor !== 0)
        fail('keep_firing_for', "invalid field 'keep_firing_for' in recording rule");
      if (!METRIC_NAME.test(record)) fail('record', `invalid recording rule name: ${record}`);
    }
    for (const k of Object.keys(labels)) {
      if (!LABEL_NAME.test(k) || k === '__name__') fail('labels', `invalid label name: ${k}`);
    }
    for (const k of Object.keys(annotations)) {
      if (!LABEL_NAME.test(k)) fail('annotations', `invalid annotation name: ${k}`);
    }
    const labelTemplates = new Map<string, Template>();
    const annotationTemplates = new Map<string, Template>();
    if (alert !== '' && record === '') {
      const parseAll = (
        src: Record<string, string>,
        into: Map<string, Template>,
        kind: string,
        key: string,
      ) => {
        for (const [k, text] of Object.entries(src)) {
          try {
            into.set(k, parseAlertTemplate(alert, text));
          } catch (err) {
            this.issue(
              [...path, key, k],
              `${where}, ${JSON.stringify(alert)}: ${kind} ${JSON.stringify(k)}: ${(err as Error).message}`,
            );
          }
        }
      };
      parseAll(labels, labelTemplates, 'label', 'labels');
      parseAll(annotations, annotationTemplates, 'annotation', 'annotations');
    }
    if (!ok || parsedExpr === null) return null;
    return {
      ...(record !== '' ? { record } : { alert }),
      expr,
      parsedExpr,
      for: forMs,
      keepFiringFor,
      labels,
      annotations,
      labelTemplates,
      annotationTemplates,
    };
  }
}
