/**
 * @module
 * A `file_sd_configs` entry in Prometheus' shape: `files` (paths of JSON or YAML files, whose
 * last element may be a pattern) and `refresh_interval`. Relative paths are resolved against
 * the configuration file's directory by whoever builds the discoverer, as Prometheus does.
 */

import { basename, dirname } from 'node:path';
import { z } from 'zod';
import { duration } from '../../../config/types.js';
import { compileNameGlob, hasGlobMeta } from '../../../lib/fs/path-glob.js';

/** File name extensions Prometheus accepts, and the format each is read as. */
export const FILE_SD_FORMATS: Readonly<Record<string, 'json' | 'yaml'>> = {
  '.json': 'json',
  '.yml': 'yaml',
  '.yaml': 'yaml',
};

/** The format a path is read as, by its extension (case-insensitive, as Prometheus' check). */
export function formatOf(path: string): 'json' | 'yaml' | undefined {
  const dot = path.lastIndexOf('.');
  return dot < 0 ? undefined : FILE_SD_FORMATS[path.slice(dot).toLowerCase()];
}

/** Why `pattern` cannot be a `files` entry, or null. */
function checkPattern(pattern: string): string | null {
  const q = JSON.stringify(pattern);
  if (formatOf(pattern) === undefined) {
    return `path ${q} is not valid for file discovery: the name must end in .json, .yml or .yaml`;
  }
  if (hasGlobMeta(dirname(pattern))) {
    return `path ${q} is not valid for file discovery: only the file name may be a pattern`;
  }
  const re = compileNameGlob(basename(pattern));
  return typeof re === 'string' ? `path ${q} is not valid for file discovery: ${re}` : null;
}

const file = z.string().superRefine((s, ctx) => {
  const problem = checkPattern(s);
  if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
});

/** One `file_sd_configs` entry; unknown keys are errors. */
export const fileSDConfigSchema = z.strictObject({
  files: z.array(file).refine((f) => f.length > 0, 'file discovery needs at least one path'),
  /** Files are re-read this often besides on change notices, which can be missed. */
  refresh_interval: duration.prefault('5m').refine((ms) => ms > 0, 'must be greater than 0'),
});

/** `file_sd_configs:` — the list; empty (or given with no value) is none. */
export const fileSDConfigsSchema = z.preprocess(
  (v) => (v === null ? undefined : v),
  z.array(fileSDConfigSchema).default([]),
);

export type FileSDConfig = z.output<typeof fileSDConfigSchema>;
