/**
 * @module
 * Reads a YAML configuration file against a schema: YAML parse (keeping positions), schema
 * validation, and the mapping of every problem back to its file, line, column and key path. All
 * problems of a file are reported at once, so a user fixes them in one pass. It knows no
 * particular schema, so that the agent loads its own without the server's.
 */

import { readFileSync } from 'node:fs';
import type { Document, LineCounter } from 'yaml';
import type { z } from 'zod';
import { ConfigError, type ConfigIssue } from './errors.js';
import { formatPath, valueAt } from './path.js';
import { parseYaml } from './yaml.js';
import { locate } from './locate.js';
import { issueMessage } from './messages.js';
import { knownKeys } from './schema-walk.js';

/**
 * Validates YAML text against any configuration schema (vigil.yml, the agent's file), with the
 * same positions and messages; `file` names it in errors.
 *
 * @throws {ConfigError} listing every problem with its position.
 * @example
 * parseWithSchema('node_name: a\n', 'agent.yml', agentConfigSchema).node_name; // 'a'
 */
export function parseWithSchema<S extends z.ZodType>(
  text: string,
  file: string,
  schema: S,
): z.output<S> {
  const { doc, lineCounter } = parseYaml(text, file);
  const value: unknown = doc.toJS() ?? {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError(file, [
      { line: 1, col: 1, key: '', message: 'the configuration must be a mapping of sections' },
    ]);
  }
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new ConfigError(file, zodIssues(result.error, schema, doc, lineCounter, value));
}

/**
 * The issues of a failed validation of `value` (read from `doc`) against `schema`, each at the
 * position of its key, sorted by position. Files with their own parser (alertmanager.yml) use it.
 *
 * @example
 * throw new ConfigError(file, zodIssues(result.error, schema, doc, lineCounter, value));
 */
export function zodIssues(
  error: z.ZodError,
  schema: z.ZodType,
  doc: Document,
  lineCounter: LineCounter,
  value: unknown,
): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const issue of error.issues) {
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeys(schema, path);
      for (const key of issue.keys) {
        const keyPath = [...path, key];
        issues.push({
          ...locate(doc, lineCounter, keyPath),
          key: formatPath(keyPath),
          message: issueMessage(issue, key, known),
        });
      }
      continue;
    }
    issues.push({
      ...locate(doc, lineCounter, path),
      key: formatPath(path),
      message: issueMessage(issue, valueAt(value, path)),
    });
  }
  return issues.sort((a, b) => a.line - b.line || a.col - b.col);
}

/**
 * Reads a configuration file's text.
 *
 * @throws {ConfigError} at line 1 of `file` when it cannot be read.
 */
export function readConfigText(file: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(err);
    throw new ConfigError(
      file,
      [{ line: 1, col: 1, key: '', message: `cannot read file: ${reason}` }],
      {
        cause: err,
      },
    );
  }
  return text;
}
