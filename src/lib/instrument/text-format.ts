/**
 * @module
 * Writer for the Prometheus text exposition format 0.0.4: per family `# HELP`, `# TYPE`, then one
 * line per sample. Counters appear under their `_total` name.
 */
import { escapeTextHelp, renderLabels } from './escape.js';
import { displayName, type MetricFamily } from './family.js';
import { formatLeText, formatValue } from './numbers.js';

/** Content-Type of {@link writeText}'s output. */
export const TEXT_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/**
 * Renders families in the text format. Families must satisfy the naming rules (see names.ts) and
 * have distinct names; the output keeps their order.
 *
 * @example
 * writeText([{ name: 'up', help: 'Up.', type: 'gauge', samples: [{ suffix: '', labels: [], value: 1 }] }]);
 * // '# HELP up Up.\n# TYPE up gauge\nup 1\n'
 */
export function writeText(families: readonly MetricFamily[]): string {
  let out = '';
  for (const family of families) {
    const metaName = displayName(family);
    if (family.help !== '') out += `# HELP ${metaName} ${escapeTextHelp(family.help)}\n`;
    out += `# TYPE ${metaName} ${family.type}\n`;
    for (const s of family.samples) {
      const le = s.le === undefined ? undefined : formatLeText(s.le);
      out += `${family.name}${s.suffix}${renderLabels(s.labels, le)} ${formatValue(s.value)}\n`;
    }
  }
  return out;
}
