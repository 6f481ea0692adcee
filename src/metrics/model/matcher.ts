/**
 * @module
 * Label matchers: `=`, `!=`, `=~`, `!~`, as in PromQL selectors and the storage boundary.
 * Regular expressions are fully anchored and `.` matches newlines, as in Prometheus 3. Common
 * shapes skip the regex engine: `.*` matches anything, `.+` anything non-empty, and a plain
 * alternation of literals (`a|b|c`) is a set lookup; for those, {@link Matcher.setMatches}
 * also lets the index fetch postings directly instead of testing every value.
 */

import { translateRe2 } from './re2.js';

export type MatchType = '=' | '!=' | '=~' | '!~';

/** Thrown for a regular expression that does not compile. */
export class InvalidRegexError extends Error {
  constructor(
    readonly pattern: string,
    options?: ErrorOptions,
  ) {
    super(
      `cannot compile regular expression ${JSON.stringify(pattern)}: ${(options?.cause as Error)?.message ?? 'invalid'}`,
      options,
    );
    this.name = 'InvalidRegexError';
  }
}

const META = /[\\.+*?()|[\]{}^$]/;

/** Compiles an RE2 pattern, fully anchored, into a RegExp with RE2's semantics (see re2.ts). */
function compile(pattern: string): RegExp {
  try {
    return new RegExp(`^(?:${translateRe2(pattern)})$`, 'su');
  } catch (err) {
    throw new InvalidRegexError(pattern, { cause: err });
  }
}

/** `a|b|c` of plain literals → the literals; anything else → null. */
function literalAlternation(pattern: string): string[] | null {
  const parts = pattern.split('|');
  return parts.every((p) => !META.test(p)) ? parts : null;
}

export class Matcher {
  readonly #test: (value: string) => boolean;
  readonly #set: readonly string[] | null;

  /**
   * @throws {InvalidRegexError} for a regex matcher whose pattern does not compile.
   * @example
   * new Matcher('=~', 'job', 'api|web').matches('web'); // true
   */
  constructor(
    readonly type: MatchType,
    readonly name: string,
    readonly value: string,
  ) {
    let set: string[] | null = null;
    let test: (v: string) => boolean;
    if (type === '=' || type === '!=') {
      test = (v) => v === value;
      set = [value];
    } else if (value === '.*') {
      test = () => true;
    } else if (value === '.+') {
      test = (v) => v !== '';
    } else if ((set = literalAlternation(value)) !== null) {
      const members = new Set(set);
      test = (v) => members.has(v);
    } else {
      const re = compile(value);
      test = (v) => re.test(v);
    }
    const negate = type === '!=' || type === '!~';
    this.#test = negate ? (v) => !test(v) : test;
    this.#set = negate ? null : set;
  }

  /** Whether a label value matches; an absent label has the value ''. */
  matches(value: string): boolean {
    return this.#test(value);
  }

  /** For `=` and literal-alternation `=~`, the exact values that match; otherwise null. */
  setMatches(): readonly string[] | null {
    return this.#set;
  }

  toString(): string {
    return `${this.name}${this.type}${JSON.stringify(this.value)}`;
  }
}

/** Whether `labels` (looked up by name) satisfy every matcher. */
export function matchesAll(matchers: readonly Matcher[], get: (name: string) => string): boolean {
  for (const m of matchers) if (!m.matches(get(m.name))) return false;
  return true;
}
