/**
 * @module
 * Writer for OpenMetrics 1.0.0 text: per family `# TYPE`, `# UNIT` (when set), `# HELP`, then its
 * samples; the exposition ends with `# EOF`. Counters' families are named without `_total` and
 * their samples with it. `_created` samples are optional in the spec and not written.
 */
import { escapeLabelValue, renderLabels } from './escape.js';
import type { MetricFamily, MetricType } from './family.js';
import { formatLeOpenMetrics, formatValue } from './numbers.js';

/** Content-Type of {@link writeOpenMetrics}'s output. */
export const OPENMETRICS_CONTENT_TYPE =
  'application/openmetrics-text; version=1.0.0; charset=utf-8';

const TYPE_WORD: Readonly<Record<MetricType, string>> = {
  counter: 'counter',
  gauge: 'gauge',
  histogram: 'histogram',
  untyped: 'unknown',
};

/**
 * Renders families as a complete OpenMetrics exposition. Families must satisfy the naming rules
 * (see names.ts) and have distinct names; the output keeps their order.
 *
 * @example
 * writeOpenMetrics([{ name: 'up', help: 'Up.', type: 'gauge', samples: [{ suffix: '', labels: [], value: 1 }] }]);
 * // '# TYPE up gauge\n# HELP up Up.\nup 1\n# EOF\n'
 */
export function writeOpenMetrics(families: readonly MetricFamily[]): string {
  let out = '';
  for (const family of families) {
    const name = family.name;
    out += `# TYPE ${name} ${TYPE_WORD[family.type]}\n`;
    if (family.unit !== undefined && family.unit !== '') out += `# UNIT ${name} ${family.unit}\n`;
    // OpenMetrics help escapes the same three characters as label values.
    if (family.help !== '') out += `# HELP ${name} ${escapeLabelValue(family.help)}\n`;
    for (const s of family.samples) {
      const le = s.le === undefined ? undefined : formatLeOpenMetrics(s.le);
      out += `${name}${s.suffix}${renderLabels(s.labels, le)} ${formatValue(s.value)}\n`;
    }
  }
  return out + '# EOF\n';
}
