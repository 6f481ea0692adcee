/**
 * @module
 * Silence matchers for the Alerts page: prefilling them from an alert, printing them, checking
 * which alerts they match, and validating a silence before it is sent. The rules follow the
 * Alertmanager's: regexes are anchored, a silence needs a matcher that does not match the empty
 * string, a creator and a comment. Pure, tested beside this file.
 */
import type { Matcher } from '../../api/responseTypes/alertmanager';

/** Operators as the form offers them. */
export const OPERATORS = ['=', '!=', '=~', '!~'] as const;
export type Operator = (typeof OPERATORS)[number];

/**
 * The operator of a matcher.
 *
 * @example
 * operatorOf({ name: 'job', value: 'a|b', isRegex: true, isEqual: false }); // "!~"
 */
export function operatorOf(m: Matcher): Operator {
  const equal = m.isEqual ?? true;
  if (m.isRegex) return equal ? '=~' : '!~';
  return equal ? '=' : '!=';
}

/**
 * A matcher from its parts.
 *
 * @example
 * matcherOf('job', '=~', 'vigil|node');
 */
export function matcherOf(name: string, op: Operator, value: string): Matcher {
  return { name, value, isRegex: op === '=~' || op === '!~', isEqual: op === '=' || op === '=~' };
}

/**
 * A matcher as amtool and the Alertmanager UI print it: `name="value"`.
 *
 * @example
 * formatMatcher({ name: 'severity', value: 'info', isRegex: false }); // 'severity="info"'
 */
export function formatMatcher(m: Matcher): string {
  return `${m.name}${operatorOf(m)}${JSON.stringify(m.value)}`;
}

/**
 * One equality matcher per label of an alert, sorted with `alertname` first: what "silence this
 * alert" starts from.
 *
 * @example
 * matchersFromLabels({ severity: 'info', alertname: 'Down' });
 * // [alertname="Down", severity="info"]
 */
export function matchersFromLabels(labels: Readonly<Record<string, string>>): Matcher[] {
  return Object.keys(labels)
    .sort((a, b) => (a === 'alertname' ? -1 : b === 'alertname' ? 1 : a < b ? -1 : a > b ? 1 : 0))
    .map((name) => ({ name, value: labels[name]!, isRegex: false, isEqual: true }));
}

function compile(m: Matcher): RegExp | undefined {
  try {
    return new RegExp(`^(?:${m.value})$`, 'u');
  } catch {
    return undefined;
  }
}

function matchesValue(m: Matcher, value: string): boolean {
  const hit = m.isRegex ? (compile(m)?.test(value) ?? false) : m.value === value;
  return (m.isEqual ?? true) ? hit : !hit;
}

/**
 * Whether a label set matches every matcher (a missing label reads as the empty string).
 *
 * @example
 * matchesAll([matcherOf('job', '=~', 'vi.*')], { job: 'vigil' }); // true
 */
export function matchesAll(
  matchers: readonly Matcher[],
  labels: Readonly<Record<string, string>>,
): boolean {
  return matchers.every((m) => matchesValue(m, labels[m.name] ?? ''));
}

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** The fields of the silence form. */
export interface SilenceDraft {
  matchers: Matcher[];
  startsAtMs: number;
  endsAtMs: number;
  createdBy: string;
  comment: string;
}

/**
 * What is wrong with a silence before it is sent; empty when it can be created.
 *
 * @example
 * validateSilence({ matchers: [], startsAtMs: 0, endsAtMs: 1, createdBy: 'me', comment: 'x' });
 * // ['add at least one matcher']
 */
export function validateSilence(draft: SilenceDraft): string[] {
  const problems: string[] = [];
  if (draft.matchers.length === 0) problems.push('add at least one matcher');
  for (const m of draft.matchers) {
    if (!LABEL_NAME.test(m.name)) problems.push(`invalid label name ${JSON.stringify(m.name)}`);
    else if (m.isRegex && compile(m) === undefined) {
      problems.push(`invalid regular expression in ${formatMatcher(m)}`);
    }
  }
  if (draft.matchers.length > 0 && draft.matchers.every((m) => matchesValue(m, ''))) {
    problems.push(
      'at least one matcher must not match the empty string, or it silences everything',
    );
  }
  if (!(draft.endsAtMs > draft.startsAtMs)) problems.push('the end must be after the start');
  if (draft.endsAtMs <= Date.now()) problems.push('the end must be in the future');
  if (draft.createdBy.trim() === '') problems.push('say who creates the silence');
  if (draft.comment.trim() === '') problems.push('add a comment saying why');
  return problems;
}
