/**
 * @module
 * Reads `vigil.yml` against the server's schema ({@link parseWithSchema} does the work).
 */

import { parseWithSchema, readConfigText } from './parse.js';
import { configSchema, type Config } from './schema.js';

/** A configuration and where it came from. */
export interface LoadedConfig {
  config: Config;
  /** The file it was read from, or null for built-in defaults. */
  file: string | null;
}

/**
 * Validates configuration text; `file` names it in errors.
 *
 * @throws {ConfigError} listing every problem with its position.
 * @example
 * parseConfig('log:\n  level: debug\n', 'vigil.yml').log.level; // 'debug'
 */
export function parseConfig(text: string, file: string): Config {
  return parseWithSchema(text, file, configSchema);
}

/** The built-in defaults, used when no configuration file is given. */
export function defaultConfig(): Config {
  return configSchema.parse({});
}

/**
 * Reads and validates a configuration file, or returns the defaults when `file` is null.
 *
 * @throws {ConfigError} when the file cannot be read or is invalid.
 * @example
 * const { config } = loadConfig('vigil.yml');
 */
export function loadConfig(file: string | null): LoadedConfig {
  if (file === null) return { config: defaultConfig(), file: null };
  return { config: parseWithSchema(readConfigText(file), file, configSchema), file };
}
