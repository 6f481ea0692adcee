/**
 * @module
 * The schema of one relabel rule in Prometheus' YAML shape (`relabel_configs`,
 * `metric_relabel_configs`, `write_relabel_configs`, `alert_relabel_configs`), validated as
 * Prometheus 3 validates it, with its regex compiled once at load time.
 *
 * Where Go's YAML decoder and Prometheus differ from our usual conventions, Prometheus wins so
 * that its files mean the same here: an explicit null (`replacement:` with nothing after it) is
 * the empty string, not the default; `regex:` null is the empty regex; actions are
 * case-insensitive; numbers and booleans given where a string is expected are read as their
 * text. Label names are Prometheus 3's UTF-8 names: any non-empty, well-formed string.
 * `keepequal`/`dropequal` reject a `regex` key even when it spells the default, as Prometheus
 * does (it compares the compiled regex by identity).
 */

import { z } from 'zod';
import { PRINTERS } from '../../../config/types.js';
import { goRegexError } from '../regex-error.js';
import { translateRe2 } from '../re2.js';

export const RELABEL_ACTIONS = [
  'replace',
  'keep',
  'drop',
  'keepequal',
  'dropequal',
  'hashmod',
  'labelmap',
  'labeldrop',
  'labelkeep',
  'lowercase',
  'uppercase',
] as const;

export type RelabelAction = (typeof RELABEL_ACTIONS)[number];

/** Literal alternations (`a|b|c`, common in keep/drop and labeldrop) skip the regex engine. */
const META = /[\\.+*?()|[\]{}^$]/;

/**
 * A relabel regex: RE2 syntax, fully anchored, `.` matching newlines (Prometheus 3 compiles
 * `^(?s:<re>)$`). Immutable; safe to share between rules and calls.
 */
export class RelabelRegex {
  readonly pattern: string;
  readonly #re: RegExp;
  readonly #literals: ReadonlySet<string> | null;
  readonly #any: boolean;

  /**
   * @throws {Error} naming Go's complaint when the pattern is not valid RE2.
   * @example
   * new RelabelRegex('api|web').test('web'); // true
   */
  constructor(pattern: string) {
    const goError = goRegexError(pattern);
    if (goError !== null) throw new Error(goError);
    this.pattern = pattern;
    this.#re = new RegExp(`^(?:${translateRe2(pattern)})$`, 'su');
    const parts = pattern.split('|');
    this.#literals = parts.every((p) => !META.test(p)) ? new Set(parts) : null;
    this.#any = pattern === '.*' || pattern === '(.*)';
  }

  /** Whether the whole of `s` matches. */
  test(s: string): boolean {
    if (this.#any) return true;
    if (this.#literals !== null) return this.#literals.has(s);
    return this.#re.test(s);
  }

  /** The match of the whole of `s` with its groups, or null. */
  exec(s: string): RegExpExecArray | null {
    return this.#re.exec(s);
  }
}

/** The regex of a rule without a `regex` key; compared by identity to tell it was not given. */
export const DEFAULT_REGEX = new RelabelRegex('(.*)');

/** The source labels of a rule without a `source_labels` key, told apart by identity. */
export const NO_SOURCE_LABELS: readonly string[] = Object.freeze([]);

/** A Prometheus 3 label name: non-empty UTF-8 (a string with a lone surrogate is not). */
export function isValidLabelName(name: string): boolean {
  return name !== '' && !/\p{Surrogate}/u.test(name);
}

const quote = (v: unknown): string => JSON.stringify(v) ?? String(v);

type Ctx = z.core.$RefinementCtx<unknown>;

/** A YAML scalar as Go reads it into a string: null is '', numbers and booleans their text. */
function scalar(v: unknown, ctx: Ctx): string | undefined {
  if (v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  ctx.addIssue({ code: 'custom', message: `expected a string, got ${quote(v)}` });
  return undefined;
}

function text(fallback: string) {
  return z
    .unknown()
    .optional()
    .transform((v, ctx) => (v === undefined ? fallback : (scalar(v, ctx) ?? z.NEVER)));
}

const sourceLabelsTransform = (v: unknown, ctx: Ctx): readonly string[] => {
  if (v === undefined || v === null) return NO_SOURCE_LABELS;
  if (!Array.isArray(v)) {
    ctx.addIssue({ code: 'custom', message: `expected a list of label names, got ${quote(v)}` });
    return z.NEVER;
  }
  const names: string[] = [];
  v.forEach((item: unknown, i) => {
    const name = scalar(item, ctx);
    if (name === undefined) return;
    if (!isValidLabelName(name)) {
      ctx.addIssue({
        code: 'custom',
        path: [i],
        message: `${quote(name)} is not a valid label name`,
      });
    }
    names.push(name);
  });
  return names;
};
PRINTERS.set(sourceLabelsTransform, (v: readonly string[]) =>
  v === NO_SOURCE_LABELS ? undefined : v,
);

const regexTransform = (v: unknown, ctx: Ctx): RelabelRegex => {
  if (v === undefined) return DEFAULT_REGEX;
  const pattern = scalar(v, ctx);
  if (pattern === undefined) return z.NEVER;
  try {
    return new RelabelRegex(pattern);
  } catch (err) {
    ctx.addIssue({
      code: 'custom',
      message: `invalid regex ${quote(pattern)}: ${(err as Error).message}`,
    });
    return z.NEVER;
  }
};
PRINTERS.set(regexTransform, (r: RelabelRegex) => (r === DEFAULT_REGEX ? undefined : r.pattern));

const modulusTransform = (v: unknown, ctx: Ctx): number => {
  if (v === undefined || v === null) return 0;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
    ctx.addIssue({
      code: 'custom',
      message: `invalid modulus ${quote(v)}: want a non-negative integer`,
    });
    return z.NEVER;
  }
  return v;
};

const actionTransform = (v: unknown, ctx: Ctx): RelabelAction => {
  if (v === undefined) return 'replace';
  const name = typeof v === 'string' ? v.toLowerCase() : undefined;
  if (name === '' || v === null) {
    ctx.addIssue({ code: 'custom', message: 'relabel action cannot be empty' });
    return z.NEVER;
  }
  if (name === undefined || !(RELABEL_ACTIONS as readonly string[]).includes(name)) {
    ctx.addIssue({
      code: 'custom',
      message: `unknown relabel action ${quote(v)}: want one of ${RELABEL_ACTIONS.join(', ')}`,
    });
    return z.NEVER;
  }
  return name as RelabelAction;
};

const DEFAULT_SEPARATOR = ';';
const DEFAULT_REPLACEMENT = '$1';

const shape = {
  source_labels: z.unknown().optional().transform(sourceLabelsTransform),
  separator: text(DEFAULT_SEPARATOR),
  regex: z.unknown().optional().transform(regexTransform),
  modulus: z.unknown().optional().transform(modulusTransform),
  target_label: text(''),
  replacement: text(DEFAULT_REPLACEMENT),
  action: z.unknown().optional().transform(actionTransform),
};

type Parsed = { [K in keyof typeof shape]: z.output<(typeof shape)[K]> };

interface Problem {
  key: keyof Parsed;
  message: string;
}

const NEEDS_TARGET: ReadonlySet<RelabelAction> = new Set([
  'replace',
  'hashmod',
  'lowercase',
  'uppercase',
  'keepequal',
  'dropequal',
]);
const NO_REPLACEMENT: ReadonlySet<RelabelAction> = new Set([
  'lowercase',
  'uppercase',
  'keepequal',
  'dropequal',
]);

/** The first problem Prometheus would report for a rule, in Prometheus' order, or null. */
function problemOf(c: Parsed): Problem | null {
  const { action } = c;
  if (action === 'hashmod' && c.modulus === 0) {
    return {
      key: 'modulus',
      message: 'relabel configuration for hashmod requires non-zero modulus',
    };
  }
  if (NEEDS_TARGET.has(action)) {
    if (c.target_label === '') {
      return {
        key: 'target_label',
        message: `relabel configuration for ${action} action requires 'target_label' value`,
      };
    }
    if (!isValidLabelName(c.target_label)) {
      return {
        key: 'target_label',
        message: `${quote(c.target_label)} is invalid 'target_label' for ${action} action`,
      };
    }
  }
  if (NO_REPLACEMENT.has(action) && c.replacement !== DEFAULT_REPLACEMENT) {
    return { key: 'replacement', message: `'replacement' can not be set for ${action} action` };
  }
  if (action === 'labelmap' && !isValidLabelName(c.replacement)) {
    return {
      key: 'replacement',
      message: `${quote(c.replacement)} is invalid 'replacement' for ${action} action`,
    };
  }
  if (action === 'keepequal' || action === 'dropequal') {
    const extra =
      c.regex !== DEFAULT_REGEX
        ? 'regex'
        : c.modulus !== 0
          ? 'modulus'
          : c.separator !== DEFAULT_SEPARATOR
            ? 'separator'
            : null;
    if (extra !== null) {
      return {
        key: extra,
        message: `${action} action requires only 'source_labels' and 'target_label', and no other fields`,
      };
    }
  }
  if (action === 'labeldrop' || action === 'labelkeep') {
    const extra =
      c.source_labels !== NO_SOURCE_LABELS
        ? 'source_labels'
        : c.target_label !== ''
          ? 'target_label'
          : c.modulus !== 0
            ? 'modulus'
            : c.separator !== DEFAULT_SEPARATOR
              ? 'separator'
              : c.replacement !== DEFAULT_REPLACEMENT
                ? 'replacement'
                : null;
    if (extra !== null) {
      return { key: extra, message: `${action} action requires only 'regex', and no other fields` };
    }
  }
  return null;
}

/**
 * One relabel rule. Keys and defaults are Prometheus': `source_labels` (none), `separator`
 * (`;`), `regex` (`(.*)`), `modulus`, `target_label`, `replacement` (`$1`), `action`
 * (`replace`). The output keeps the YAML keys, with `regex` compiled.
 *
 * @example
 * const rule = relabelConfigSchema.parse({ source_labels: ['job'], target_label: 'j' });
 * rule.regex.test('anything'); // true
 */
export const relabelConfigSchema = z.strictObject(shape).superRefine(
  (c, ctx) => {
    const problem = problemOf(c);
    if (problem !== null) {
      ctx.addIssue({ code: 'custom', path: [problem.key], message: problem.message });
    }
  },
  // An unknown key is often a misspelt one (`target_labels`); the rules below would only add a
  // second, misleading complaint about the key it was meant to be.
  { when: (payload) => payload.issues.length === 0 },
);

export type RelabelConfig = z.output<typeof relabelConfigSchema>;

/** A list of rules, applied in order; absent or null means none. */
export const relabelConfigsSchema = z.preprocess(
  (v) => (v === null ? undefined : v),
  z.array(relabelConfigSchema).default([]),
);
