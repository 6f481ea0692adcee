/**
 * @module
 * Builders for the families the exporters report, and the small file reads they share. Units come
 * from the name's last word, as in node_exporter and cAdvisor, so the OpenMetrics `# UNIT` line
 * always agrees with the name.
 */
import { readFileSync } from 'node:fs';
import type { LabelPairs, MetricFamily, Sample } from '../../lib/instrument/index.js';

/**
 * Clock ticks per second in `/proc/stat` and cgroup v1's `cpuacct.stat`. It is USER_HZ, part of
 * the kernel ABI and independent of CONFIG_HZ: 100 on every architecture Node runs on.
 */
export const USER_HZ = 100;

/** One series before it becomes a {@link Sample}: the family's type decides the suffix. */
export interface Series {
  readonly labels: LabelPairs;
  readonly value: number;
}

function unitOf(name: string): string | undefined {
  if (name.endsWith('_bytes')) return 'bytes';
  if (name.endsWith('_seconds')) return 'seconds';
  return undefined;
}

/**
 * A gauge family; `series` may be a bare number for an unlabelled gauge.
 *
 * @example
 * gauge('node_load1', '1m load average.', 0.42);
 */
export function gauge(
  name: string,
  help: string,
  series: number | readonly Series[],
): MetricFamily {
  const list = typeof series === 'number' ? [{ labels: [], value: series }] : series;
  return {
    name,
    help,
    type: 'gauge',
    unit: unitOf(name),
    samples: list.map((s): Sample => ({ suffix: '', labels: s.labels, value: s.value })),
  };
}

/**
 * A counter family. `name` is the wire name, ending in `_total`.
 *
 * @example
 * counter('node_forks_total', 'Total number of forks.', 1234);
 */
export function counter(
  name: string,
  help: string,
  series: number | readonly Series[],
): MetricFamily {
  if (!name.endsWith('_total')) throw new Error(`cannot build counter ${name}: no _total suffix`);
  const base = name.slice(0, -'_total'.length);
  const list = typeof series === 'number' ? [{ labels: [], value: series }] : series;
  return {
    name: base,
    help,
    type: 'counter',
    unit: unitOf(base),
    samples: list.map((s): Sample => ({ suffix: '_total', labels: s.labels, value: s.value })),
  };
}

/**
 * The file's text, or `undefined` if it does not exist or cannot be read: kernel files come and go
 * with kernel versions, configuration and permissions, and a missing one means "no such metric".
 *
 * @example
 * readOptional('/proc/pressure/cpu'); // undefined on kernels without PSI
 */
export function readOptional(path: string): string | undefined {
  try {
    return readFileSync(path, 'latin1');
  } catch {
    return undefined;
  }
}

/**
 * The file's text; throws (failing the collector for this scrape) when it cannot be read.
 *
 * @example
 * readRequired('/proc/stat');
 */
export function readRequired(path: string): string {
  return readFileSync(path, 'latin1');
}

/**
 * Lines of a kernel file with their whitespace-separated fields, empty lines skipped.
 *
 * @example
 * fieldsOf('a 1\nb 2\n'); // [['a', '1'], ['b', '2']]
 */
export function fieldsOf(text: string): string[][] {
  const rows: string[][] = [];
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/);
    if (fields[0] !== '') rows.push(fields);
  }
  return rows;
}
