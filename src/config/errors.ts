/**
 * @module
 * The error every configuration problem becomes: one or more issues, each with the file, the
 * 1-based line and column, and the key path (`server.listen`, `scrape_configs[0].job_name`), printed
 * as `vigil.yml:12:5: server.listen: invalid address "x"` so editors can jump to them.
 */

/** One problem in a configuration file. `key` is empty for problems of the file as a whole. */
export interface ConfigIssue {
  line: number;
  col: number;
  key: string;
  message: string;
}

/** Formats one issue as `file:line:col: key: message`. */
export function formatIssue(file: string, issue: ConfigIssue): string {
  const key = issue.key === '' ? '' : `${issue.key}: `;
  return `${file}:${issue.line}:${issue.col}: ${key}${issue.message}`;
}

export class ConfigError extends Error {
  /**
   * @example
   * throw new ConfigError('vigil.yml', [{ line: 3, col: 3, key: 'log.level', message: 'invalid' }]);
   */
  constructor(
    readonly file: string,
    readonly issues: readonly ConfigIssue[],
    options?: ErrorOptions,
  ) {
    super(issues.map((i) => formatIssue(file, i)).join('\n'), options);
    this.name = 'ConfigError';
  }
}
