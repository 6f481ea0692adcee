/**
 * @module
 * `vigil check config FILE…` and `vigil check rules FILE…`: validate configuration and rule files
 * without starting anything, for CI pipelines and before a reload. Exit code 0 when every file is valid, 1 otherwise.
 */

import { loadAlertmanagerConfig } from '../alerting/config/load.js';
import { NotificationTemplates, TemplateLoadError } from '../alerting/template/template.js';
import { ConfigError } from '../config/errors.js';
import { localAgentConfigSchema } from '../config/agent.js';
import { loadConfig } from '../config/load.js';
import { parseWithSchema, readConfigText } from '../config/parse.js';
import { duplicateRules } from '../metrics/rules/duplicates.js';
import { parseRuleFile } from '../metrics/rules/file.js';
import { loadRuleFiles } from '../metrics/rules/load.js';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * Checks each file, printing `FILE: valid` or its problems; returns the exit code.
 *
 * @example
 * process.exitCode = checkConfigFiles(['vigil.yml']);
 */
export function checkConfigFiles(files: readonly string[]): number {
  let failed = 0;
  for (const file of files) {
    try {
      const { config } = loadConfig(file);
      const base = dirname(resolve(file));
      // As promtool check config does, the rule files the configuration names are checked too.
      loadRuleFiles(config.rule_files, base);
      // And the built-in Alertmanager's file with its templates, which would stop a start.
      const am = config.alertmanager;
      if (am.enabled && am.config_file !== '') {
        const amFile = resolve(base, am.config_file);
        const { config: amConfig } = loadAlertmanagerConfig(amFile);
        NotificationTemplates.load(amConfig.templates, dirname(amFile), () => Date.now());
      }
      // And the agent.yml of the agent inside the server.
      const agent = config.server.local_agent;
      if (agent.enabled && agent.config !== '') {
        const agentFile = resolve(base, agent.config);
        parseWithSchema(readConfigText(agentFile), agentFile, localAgentConfigSchema);
      }
      process.stdout.write(`${file}: valid\n`);
    } catch (err) {
      if (err instanceof TemplateLoadError) {
        process.stderr.write(`${err.message}\n`);
        failed++;
        continue;
      }
      if (!(err instanceof ConfigError)) throw err;
      process.stderr.write(`${err.message}\n`);
      failed++;
    }
  }
  if (failed > 0) process.stderr.write(`${failed} of ${files.length} files invalid\n`);
  return failed > 0 ? 1 : 0;
}

/**
 * `vigil check rules FILE…`, as `promtool check rules` reports: `SUCCESS: N rules found` or
 * the file's problems; duplicate rules are a warning only. Returns the exit code.
 *
 * @example
 * process.exitCode = checkRuleFiles(['rules.yml']);
 */
export function checkRuleFiles(files: readonly string[]): number {
  let failed = 0;
  for (const file of files) {
    process.stdout.write(`Checking ${file}\n`);
    try {
      const groups = parseRuleFile(readFileSync(file, 'utf8'), file);
      const rules = groups.flatMap((g) => g.rules);
      process.stdout.write(`  SUCCESS: ${rules.length} rules found\n`);
      for (const d of duplicateRules(groups)) {
        process.stderr.write(`  WARNING: duplicate rule ${d}\n`);
      }
    } catch (err) {
      const message =
        err instanceof ConfigError
          ? err.message
          : `${file}: cannot read file: ${(err as NodeJS.ErrnoException).code ?? String(err)}`;
      process.stderr.write(`  FAILED:\n${message}\n`);
      failed++;
    }
  }
  return failed > 0 ? 1 : 0;
}
