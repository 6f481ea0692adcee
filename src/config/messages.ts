/**
 * @module
 * Turns schema validation issues into the short messages users read (`unknown key "sever" (did
 * you mean "server"?)`, `expected a string, got a number`), instead of the validator's wording.
 */

import type { z } from 'zod';

function kindOf(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'number') return 'a number';
  if (typeof v === 'boolean') return 'a boolean';
  return `a ${typeof v}`;
}

const EXPECTED: Readonly<Record<string, string>> = {
  object: 'a mapping',
  array: 'a list',
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'a boolean',
};

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

/** The message for one issue; `value` is the offending input (or the unknown key's name). */
export function issueMessage(
  issue: z.core.$ZodIssue,
  value: unknown,
  known: readonly string[] = [],
): string {
  switch (issue.code) {
    case 'unrecognized_keys': {
      const key = String(value);
      // `known` may be the keys of every variant of a union, the offending key among them.
      const close = known
        .filter((k) => k !== key)
        .map((k) => [k, editDistance(key, k)] as const)
        .filter(([, d]) => d <= Math.max(2, Math.floor(key.length / 3)))
        .sort((a, b) => a[1] - b[1]);
      const hint = close.length > 0 ? ` (did you mean ${JSON.stringify(close[0]![0])}?)` : '';
      return `unknown key ${JSON.stringify(key)}${hint}`;
    }
    case 'invalid_type':
      return `expected ${EXPECTED[issue.expected] ?? issue.expected}, got ${kindOf(value)}`;
    case 'too_small':
      return issue.inclusive
        ? `must be at least ${String(issue.minimum)}, got ${JSON.stringify(value)}`
        : `must be greater than ${String(issue.minimum)}, got ${JSON.stringify(value)}`;
    case 'too_big':
      return issue.inclusive
        ? `must be at most ${String(issue.maximum)}, got ${JSON.stringify(value)}`
        : `must be less than ${String(issue.maximum)}, got ${JSON.stringify(value)}`;
    case 'invalid_value':
      return `invalid value ${JSON.stringify(value)}: want one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return issue.message;
  }
}
