/**
 * @module
 * A `static_configs` entry in Prometheus' YAML shape, `{targets: [host:port…], labels: {…}}`,
 * which is also the shape of each entry of a `file_sd_configs` file. As with Go's YAML reader,
 * a key given with no value is empty (`targets:` is no targets, a label `a:` is absent) and
 * numbers or booleans given where a string is expected are read as their text, so files written
 * for Prometheus mean the same here.
 */

import { z } from 'zod';
import { isValidLabelName } from '../../model/relabel/config.js';

const quote = (v: unknown): string => JSON.stringify(v) ?? String(v);

function text(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

const targets = z
  .unknown()
  .optional()
  .transform((v, ctx): string[] => {
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) {
      ctx.addIssue({ code: 'custom', message: `expected a list of targets, got ${quote(v)}` });
      return z.NEVER;
    }
    const out: string[] = [];
    v.forEach((item: unknown, i) => {
      const t = text(item);
      if (t === undefined || t === '') {
        ctx.addIssue({
          code: 'custom',
          path: [i],
          message: `a target must be a non-empty string, got ${quote(item)}`,
        });
        return;
      }
      out.push(t);
    });
    return out;
  });

const labels = z
  .unknown()
  .optional()
  .transform((v, ctx): Record<string, string> => {
    if (v === undefined || v === null) return {};
    if (typeof v !== 'object' || Array.isArray(v)) {
      ctx.addIssue({ code: 'custom', message: `expected a mapping of labels, got ${quote(v)}` });
      return z.NEVER;
    }
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(v)) {
      if (!isValidLabelName(name)) {
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message: `${quote(name)} is not a valid label name`,
        });
        continue;
      }
      const s = value === null ? '' : text(value);
      if (s === undefined || /\p{Surrogate}/u.test(s)) {
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message: `label value must be a UTF-8 string, got ${quote(value)}`,
        });
        continue;
      }
      // An empty value means the label is not set, as everywhere in Prometheus.
      if (s !== '') out[name] = s;
    }
    return out;
  });

const shape = { targets, labels };

/** One `static_configs` entry; unknown keys are errors. */
export const staticConfigSchema = z.strictObject(shape);

/**
 * The same entry as read from a JSON `file_sd_configs` file, where Prometheus' JSON reader
 * ignores unknown keys; YAML files use {@link staticConfigSchema}, strict as Prometheus is.
 */
export const lenientStaticConfigSchema = z.object(shape);

/** `static_configs:` — the list; empty (or given with no value) is no targets. */
export const staticConfigsSchema = z.preprocess(
  (v) => (v === null ? undefined : v),
  z.array(staticConfigSchema).default([]),
);

export type StaticConfig = z.output<typeof staticConfigSchema>;
