/**
 * @module
 * Reads one `file_sd_configs` file: a JSON or YAML list of `{targets, labels}` entries, each
 * becoming a group with source `<path>:<index>` and the `__meta_filepath` label. Problems are
 * ConfigErrors that point at the line, column and entry, like those of the configuration file.
 */

import { readFile } from 'node:fs/promises';
import { LineCounter, parseDocument, type Document } from 'yaml';
import { z } from 'zod';
import { ConfigError } from '../../../config/errors.js';
import { zodIssues } from '../../../config/parse.js';
import { parseYaml } from '../../../config/yaml.js';
import type { TargetGroup } from '../interface.js';
import { lenientStaticConfigSchema, staticConfigSchema } from '../static/config.js';
import { toTargetGroup } from '../static/static.js';
import { formatOf } from './config.js';

/** Set on every group to the path of the file it came from. */
export const FILEPATH_LABEL = '__meta_filepath';

const yamlList = z.array(staticConfigSchema);
const jsonList = z.array(lenientStaticConfigSchema);

/**
 * Reads and validates the file at `path`.
 *
 * @throws {ConfigError} when the file is not a valid list of target groups.
 * @throws the file system's error when it cannot be read (ENOENT when it is gone).
 * @example
 * const groups = await readTargetGroups('/etc/vigil/targets/web.yml');
 */
export async function readTargetGroups(path: string): Promise<TargetGroup[]> {
  return parseTargetGroups(await readFile(path, 'utf8'), path);
}

/**
 * Parses a file's text; the format follows `path`'s extension.
 *
 * @throws {ConfigError} when the text is not a valid list of target groups.
 * @example
 * parseTargetGroups('- targets: [a:80]\n', '/sd/x.yml')[0]!.source; // '/sd/x.yml:0'
 */
export function parseTargetGroups(text: string, path: string): TargetGroup[] {
  const format = formatOf(path);
  if (format === undefined) {
    throw new ConfigError(path, [
      { line: 1, col: 1, key: '', message: 'cannot tell the format: want .json, .yml or .yaml' },
    ]);
  }
  let lineCounter = new LineCounter();
  let doc: Document | undefined;
  let value: unknown;
  if (format === 'json') {
    value = parseJson(text, path);
  } else {
    ({ doc, lineCounter } = parseYaml(text, path));
    // An empty YAML file is an empty list to Go's YAML reader.
    value = doc.toJS() ?? [];
  }
  const schema = format === 'json' ? jsonList : yamlList;
  const result = schema.safeParse(value);
  if (!result.success) {
    if (doc === undefined) {
      // Located through the YAML parser, which reads JSON too; only positions are taken from it.
      doc = parseDocument(text, { lineCounter, prettyErrors: false });
    }
    throw new ConfigError(path, zodIssues(result.error, schema, doc, lineCounter, value));
  }
  return result.data.map((entry, i) => {
    const g = toTargetGroup(entry, `${path}:${i}`);
    return { ...g, labels: { ...g.labels, [FILEPATH_LABEL]: path } };
  });
}

function parseJson(text: string, path: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    const message = (err as Error).message;
    const at = /at position (\d+)/.exec(message);
    const offset = at !== null ? Number(at[1]) : /end of JSON/.test(message) ? text.length : 0;
    const lineCounter = new LineCounter();
    lineCounter.addNewLine(0);
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
      lineCounter.addNewLine(i + 1);
    }
    throw new ConfigError(
      path,
      [
        {
          ...lineCounter.linePos(offset),
          key: '',
          message: `cannot parse JSON: ${message.replace(/ in JSON at position \d+.*$/, '')}`,
        },
      ],
      { cause: err },
    );
  }
}
