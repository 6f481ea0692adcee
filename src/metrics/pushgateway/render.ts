/**
 * @module
 * The merged families in the text format 0.0.4, spelled as the Pushgateway (Go's `expfmt`)
 * spells them: HELP only when the push had one, values in Go's shortest `%g`, summaries and
 * histograms as their quantile or bucket lines (the `quantile`/`le` label last, after the sorted
 * labels) then `_sum` and `_count`, and a `+Inf` bucket added when the push had none.
 */

import { escapeLabelValue, escapeTextHelp } from '../../lib/instrument/escape.js';
import { formatGoFloat } from '../../lib/instrument/numbers.js';
import type { LabelPair, PushedFamily } from './family.js';

/**
 * Renders `families`, which must already be sorted and checked (see `gather`).
 *
 * @example
 * renderText(gather(groups).families); // '# TYPE x untyped\nx{instance="",job="j"} 1\n'
 */
export function renderText(families: readonly PushedFamily[]): string {
  const out: string[] = [];
  for (const f of families) {
    if (f.help !== null) out.push(`# HELP ${f.name} ${escapeTextHelp(f.help)}\n`);
    out.push(`# TYPE ${f.name} ${f.type}\n`);
    for (const m of f.metrics) {
      if (f.type === 'summary' || f.type === 'histogram') {
        const special = f.type === 'summary' ? 'quantile' : 'le';
        const name = f.type === 'summary' ? f.name : `${f.name}_bucket`;
        for (const [at, v] of m.points) {
          out.push(line(name, m.labels, [special, formatGoFloat(at)], v));
        }
        const last = m.points[m.points.length - 1];
        if (f.type === 'histogram' && (last === undefined || last[0] !== Infinity)) {
          out.push(line(name, m.labels, ['le', '+Inf'], m.count));
        }
        out.push(line(`${f.name}_sum`, m.labels, null, m.sum));
        out.push(line(`${f.name}_count`, m.labels, null, m.count));
      } else {
        out.push(line(f.name, m.labels, null, m.value));
      }
    }
  }
  return out.join('');
}

function line(
  name: string,
  labels: readonly LabelPair[],
  extra: LabelPair | null,
  v: number,
): string {
  const all = extra === null ? labels : [...labels, extra];
  const body = all.map(([n, value]) => `${n}="${escapeLabelValue(value)}"`).join(',');
  return `${name}${body === '' ? '' : `{${body}}`} ${formatGoFloat(v)}\n`;
}
