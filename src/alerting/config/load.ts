/**
 * @module
 * Reads alertmanager.yml: YAML with positions, the schema, and every problem reported at once as
 * a {@link ConfigError} naming file, line, column and key (`alertmanager.yml:7:5:
 * route.routes[0].receiver: undefined receiver "team-x" used in route`).
 */

import { parseWithSchema, readConfigText } from '../../config/parse.js';
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
  // The schema's refinement has refused a file without a route.
  return parseWithSchema(text, file, alertmanagerConfigSchema) as AlertmanagerConfig;
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
