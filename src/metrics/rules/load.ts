/**
 * @module
 * Reading the rule files `rule_files` names: each entry is a path, relative to the configuration
 * file's directory, whose last element may be a pattern (`rules/*.yml`). A pattern that matches
 * nothing, or a missing file, contributes no groups, as with Prometheus' `filepath.Glob`.
 */

import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { ConfigError } from '../../config/errors.js';
import { compileNameGlob, hasGlobMeta } from '../../lib/fs/path-glob.js';
import { parseRuleFile, type RuleGroupConfig } from './file.js';

/**
 * The files `patterns` name, sorted within each pattern, without duplicates.
 *
 * @example
 * expandRuleFiles(['rules/*.yml'], '/etc/vigil'); // ['/etc/vigil/rules/a.yml', …]
 */
export function expandRuleFiles(patterns: readonly string[], baseDir: string): string[] {
  const out: string[] = [];
  for (const p of patterns) {
    const abs = resolve(baseDir, p);
    const name = basename(abs);
    if (!hasGlobMeta(name)) {
      out.push(abs);
      continue;
    }
    const re = compileNameGlob(name);
    if (typeof re === 'string')
      throw new Error(`cannot expand rule_files pattern ${JSON.stringify(p)}: ${re}`);
    let names: string[];
    try {
      names = readdirSync(dirname(abs));
    } catch {
      continue;
    }
    for (const n of names.sort()) if (re.test(n)) out.push(join(dirname(abs), n));
  }
  return [...new Set(out)];
}

/**
 * Reads and validates every rule file `patterns` name; group names must be unique per file.
 *
 * @throws {ConfigError} listing the problems of the first invalid file.
 * @example
 * const groups = loadRuleFiles(config.rule_files, dirname(configFile));
 */
export function loadRuleFiles(patterns: readonly string[], baseDir: string): RuleGroupConfig[] {
  const groups: RuleGroupConfig[] = [];
  for (const file of expandRuleFiles(patterns, baseDir)) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      // A literal path that is missing matches nothing, as Prometheus' glob expansion does.
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw new ConfigError(
        file,
        [{ line: 1, col: 1, key: '', message: `cannot read rule file: ${String(err)}` }],
        { cause: err },
      );
    }
    groups.push(...parseRuleFile(text, file));
  }
  return groups;
}
