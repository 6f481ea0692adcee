/**
 * @module
 * Alertmanager's label matchers: the `name="value"` / `{a=~"b", c!="d"}` strings of route
 * `matchers`, inhibit rules, silences and `amtool` filters, parsed by the rules of
 * Alertmanager's `labels.ParseMatchers` (quotes optional, `\"`, `\\` and `\n` escapes, a stray
 * backslash kept literally, commas inside quotes kept). Regular expressions are RE2, anchored
 * at both ends, and `.` does not match a newline, as in Alertmanager.
 */

import { goQuote } from '../../metrics/promql/parser/strconv.js';
import { translateRe2 } from '../../metrics/model/re2.js';
import type { LabelSet } from './labels.js';

export type MatchType = '=' | '!=' | '=~' | '!~';

/** Thrown for a matcher string that does not parse or a regex that does not compile. */
export class MatcherError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'MatcherError';
  }
}

/** Go's order of the match types, used to sort matchers as Alertmanager does. */
const TYPE_ORDER: Readonly<Record<MatchType, number>> = { '=': 0, '!=': 1, '=~': 2, '!~': 3 };

export class Matcher {
  readonly #test: (v: string) => boolean;

  /**
   * @throws {MatcherError} when a regex matcher's value does not compile.
   * @example
   * new Matcher('=~', 'severity', 'critical|page').matches({ severity: 'page' }); // true
   */
  constructor(
    readonly type: MatchType,
    readonly name: string,
    readonly value: string,
  ) {
    if (type === '=' || type === '!=') {
      this.#test = (v) => v === value;
    } else {
      let re: RegExp;
      try {
        // translateRe2 defaults to Prometheus 3's dot-all; Alertmanager's Go regexps are not.
        re = new RegExp(`^(?:${translateRe2(`(?-s)${value}`)})$`, 'su');
      } catch (err) {
        throw new MatcherError(`cannot compile regular expression ${goQuote(value)}`, {
          cause: err,
        });
      }
      this.#test = (v) => re.test(v);
    }
    if (type === '!=' || type === '!~') {
      const positive = this.#test;
      this.#test = (v) => !positive(v);
    }
  }

  get isRegex(): boolean {
    return this.type === '=~' || this.type === '!~';
  }

  get isEqual(): boolean {
    return this.type === '=' || this.type === '=~';
  }

  /** Whether `labels` match; a missing label has the value ''. */
  matches(labels: LabelSet): boolean {
    return this.#test(labels[this.name] ?? '');
  }

  /** Alertmanager's `Matcher.String()`: `name="value"` with Go quoting. */
  toString(): string {
    return `${this.name}${this.type}${goQuote(this.value)}`;
  }
}

/** Whether every matcher matches `labels`. */
export function matchesAll(matchers: readonly Matcher[], labels: LabelSet): boolean {
  for (const m of matchers) if (!m.matches(labels)) return false;
  return true;
}

/** Sorts in place by name, value, then type — the order route keys are printed in. */
export function sortMatchers(matchers: Matcher[]): Matcher[] {
  return matchers.sort((a, b) =>
    a.name !== b.name
      ? a.name < b.name
        ? -1
        : 1
      : a.value !== b.value
        ? a.value < b.value
          ? -1
          : 1
        : TYPE_ORDER[a.type] - TYPE_ORDER[b.type],
  );
}

/** Alertmanager's `Matchers.String()`: `{a="1",b=~"2"}`. */
export function matchersString(matchers: readonly Matcher[]): string {
  return `{${matchers.map(String).join(',')}}`;
}

const MATCHER_RE = /^\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(=~|=|!=|!~)\s*([\s\S]*?)\s*$/;

/**
 * Parses one matcher, `name<op>value`, the value optionally in double quotes.
 *
 * @throws {MatcherError} naming the input.
 * @example
 * parseMatcher('job=~"api|web"').toString(); // 'job=~"api|web"'
 */
export function parseMatcher(s: string): Matcher {
  const m = MATCHER_RE.exec(s);
  if (m === null) throw new MatcherError(`bad matcher format: ${s}`);
  let raw = m[3]!;
  let expectQuote = false;
  if (raw.startsWith('"')) {
    raw = raw.slice(1);
    expectQuote = true;
  }
  let value = '';
  let escaped = false;
  const unescapedQuote = () =>
    new MatcherError(`matcher value contains unescaped double quote: ${m[3]}`);
  const chars = [...raw];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (escaped) {
      escaped = false;
      // Only these escapes mean something; any other keeps its backslash, as upstream does.
      value += c === 'n' ? '\n' : c === '"' || c === '\\' ? c : `\\${c}`;
      continue;
    }
    if (c === '\\') {
      if (i < chars.length - 1) escaped = true;
      else value += '\\';
    } else if (c === '"') {
      if (!expectQuote || i < chars.length - 1) throw unescapedQuote();
      expectQuote = false;
    } else {
      value += c;
    }
  }
  if (expectQuote) throw unescapedQuote();
  return new Matcher(m[2] as MatchType, m[1]!, value);
}

/**
 * Parses a comma-separated list of matchers, optionally in braces: `{a="1", b=~"x,y"}`.
 *
 * @throws {MatcherError} for the first matcher that does not parse.
 * @example
 * parseMatchers('{severity="page",team=~"db|web"}').length; // 2
 */
export function parseMatchers(s: string): Matcher[] {
  let body = s.startsWith('{') ? s.slice(1) : s;
  if (body.endsWith('}')) body = body.slice(0, -1);
  const tokens: string[] = [];
  let token = '';
  let inQuotes = false;
  let escaped = false;
  for (const c of body) {
    if (c === ',' && !inQuotes) {
      tokens.push(token);
      token = '';
      continue;
    }
    if (c === '"') {
      if (!escaped) inQuotes = !inQuotes;
      else escaped = false;
    } else if (c === '\\') {
      escaped = !escaped;
    } else {
      escaped = false;
    }
    token += c;
  }
  if (token.trim() !== '') tokens.push(token.trim());
  return tokens.map(parseMatcher);
}
