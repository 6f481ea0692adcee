/**
 * @module
 * Reads alertmanager.yml: YAML with positions, the schema, and every problem reported at once as
 * a {@link ConfigError} naming file, line, column and key (`alertmanager.yml:7:5:
 * route.routes[0].receiver: undefined receiver "team-x" used in route`).
 */

import { ConfigError } from '../../config/errors.js';
import { readConfigText, zodIssues } from '../../config/parse.js';
import { parseYaml } from '../../config/yaml.js';
import { alertmanagerConfigSchema, type AlertmanagerConfig } from './schema.js';

export interface LoadedAlertmanagerConfig {
  config: AlertmanagerConfig;
  /** The file's text, served as `config.original` by `/api/v2/status`. */
  original: string;
  file: string;
}

/**
 * Validates alertmanager.yml text; `file` names it in errors.
 *
 * @throws {ConfigError} listing every problem with its position.
 * @example
 * parseAlertmanagerConfig('route:\n  receiver: x\nreceivers:\n- name: x\n', 'am.yml').route.receiver; // 'x'
 */
export function parseAlertmanagerConfig(text: string, file: string): AlertmanagerConfig {
  const { doc, lineCounter } = parseYaml(text, file);
  const value: unknown = doc.toJS() ?? {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError(file, [
      { line: 1, col: 1, key: '', message: 'the configuration must be a mapping of sections' },
    ]);
  }
  const result = alertmanagerConfigSchema.safeParse(value);
  if (!result.success) {
    throw new ConfigError(
      file,
      zodIssues(result.error, alertmanagerConfigSchema, doc, lineCounter, value),
    );
  }
  // The schema's refinement has refused a file without a route.
  return result.data as AlertmanagerConfig;
}

/**
 * Reads and validates an alertmanager.yml.
 *
 * @throws {ConfigError} when the file cannot be read or is invalid.
 * @example
 * const { config } = loadAlertmanagerConfig('alertmanager.yml');
 */
export function loadAlertmanagerConfig(file: string): LoadedAlertmanagerConfig {
  const text = readConfigText(file);
  return { config: parseAlertmanagerConfig(text, file), original: text, file };
}
