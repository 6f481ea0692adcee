/**
 * @module
 * The parts of `agent.yml` that shape records between reading and sending: named message
 * parsers (`parsers`, logfmt and regex, which inputs name in `message_parsers`) and `filters`
 * (include, exclude, add, rename, remove, drop by KQL), run in the order listed. Kept apart
 * from `agent.ts` so the input and output schemas stay readable; docs/agent.md lists the keys.
 */

import { z } from 'zod';
import { parse as parseKql } from '../logs/query/kql/parse.js';
import { compileKql } from '../logs/query/kql/compile.js';
import { timeReader } from '../logs/agent/parsers/time-format.js';

const stageName = z.string().regex(/^[a-zA-Z0-9_-]+$/, 'must be letters, digits, _ and -');

/** Adds an issue with the thrown error's message when `check` throws. */
function throwsNot<T>(check: (v: T) => void) {
  return (v: T, ctx: z.core.$RefinementCtx<T>) => {
    try {
      check(v);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: (err as Error).message });
    }
  };
}

const timeFormat = z
  .string()
  .default('rfc3339')
  .superRefine(throwsNot((f: string) => timeReader(f)));

/** Keys logfmt and regex parsers share. */
const fieldParserShape = {
  /** How inputs name the parser in `message_parsers`. */
  name: stageName,
  /** The field holding the record's time; '' keeps the line's own. */
  time_field: z.string().default(''),
  time_format: timeFormat,
};

const logfmtParser = z.strictObject({
  ...fieldParserShape,
  type: z.literal('logfmt'),
  /** A string field of this name becomes the message. */
  message_field: z.string().min(1).default('msg'),
});

const regexParser = z.strictObject({
  ...fieldParserShape,
  type: z.literal('regex'),
  /** A JavaScript regular expression; its named groups `(?<name>…)` become fields. */
  pattern: z
    .string()
    .min(1, 'must not be empty')
    .superRefine(
      throwsNot((p: string) => {
        const re = new RegExp(p);
        // A group name is what a field is called: a pattern without one lifts nothing.
        if (!/\(\?<[A-Za-z_$][\w$]*>/.test(re.source)) {
          throw new Error('must have at least one named group, (?<name>…)');
        }
      }),
    ),
  message_field: z.string().min(1).default('message'),
});

export const messageParserSchema = z.discriminatedUnion('type', [logfmtParser, regexParser], {
  error: () => 'must be "logfmt" or "regex"',
});

/** The parser names an input may list without defining them. */
export const BUILTIN_MESSAGE_PARSERS = ['logfmt'] as const;

/** Keys every filter has. */
const filterShape = {
  /** Names the filter in metrics and logs. */
  name: stageName,
  /** The inputs whose records it sees; all when empty. */
  inputs: z.array(z.string().min(1)).default([]),
};

const fieldPath = z.string().min(1, 'must not be empty');

const matchFilter = (type: 'include' | 'exclude') =>
  z
    .strictObject({
      ...filterShape,
      type: z.literal(type),
      /** The field tested: a dotted path (`kubernetes.namespace`). */
      field: fieldPath,
      /** A JavaScript regular expression, found anywhere in the value (anchor with ^ and $). */
      regex: z
        .string()
        .optional()
        .superRefine(throwsNot((p: string | undefined) => p !== undefined && new RegExp(p))),
      /** A glob for the whole value: `*` any text, `?` one character. */
      glob: z.string().optional(),
    })
    .superRefine((v, ctx) => {
      if ((v.regex === undefined) === (v.glob === undefined)) {
        ctx.addIssue({ code: 'custom', message: 'needs exactly one of regex and glob' });
      }
    });

const scalar = z.union([z.string(), z.number(), z.boolean()]);

const addFilter = z.strictObject({
  ...filterShape,
  type: z.literal('add'),
  /** Field paths and their values. */
  fields: z
    .record(fieldPath, scalar)
    .refine((r) => Object.keys(r).length > 0, 'must name at least one field'),
  /** Replace a value the record already has; false keeps it. */
  overwrite: z.boolean().default(true),
});

const renameFilter = z.strictObject({
  ...filterShape,
  type: z.literal('rename'),
  /** Old path: new path. */
  fields: z
    .record(fieldPath, fieldPath)
    .refine((r) => Object.keys(r).length > 0, 'must name at least one field'),
});

const removeFilter = z.strictObject({
  ...filterShape,
  type: z.literal('remove'),
  fields: z.array(fieldPath).refine((l) => l.length > 0, 'must name at least one field'),
});

const dropFilter = z.strictObject({
  ...filterShape,
  type: z.literal('drop'),
  /** KQL, as in search: matching records are dropped. */
  query: z
    .string()
    .min(1, 'must not be empty')
    .superRefine(
      throwsNot((q: string) => {
        try {
          compileKql(parseKql(q), { now: Date.now(), query: q });
        } catch (err) {
          const e = err as Error & { shortMessage?: string; column?: number };
          const at = e.column === undefined ? '' : ` at column ${e.column}`;
          throw new Error(`invalid KQL${at}: ${e.shortMessage ?? e.message}`, { cause: err });
        }
      }),
    ),
});

export const filterSchema = z.discriminatedUnion(
  'type',
  [
    matchFilter('include'),
    matchFilter('exclude'),
    addFilter,
    renameFilter,
    removeFilter,
    dropFilter,
  ],
  { error: () => 'must be "include", "exclude", "add", "rename", "remove" or "drop"' },
);

export type MessageParserConfig = z.output<typeof messageParserSchema>;
export type FilterConfig = z.output<typeof filterSchema>;
