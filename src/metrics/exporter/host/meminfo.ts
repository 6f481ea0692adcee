/**
 * @module
 * `meminfo`: every field of `/proc/meminfo` as its own gauge, named the way node_exporter names
 * them so that dashboards built on it work: `node_memory_<Field>_bytes` for fields in kB
 * (converted to bytes), `node_memory_<Field>` for counts such as `HugePages_Total`, and a
 * parenthesised qualifier becoming a suffix (`Active(anon)` → `Active_anon`). The field list is
 * whatever the running kernel prints, so new kernels' fields appear without a code change.
 */
import type { MetricFamily } from '../../../lib/instrument/index.js';
import type { ExporterCollector, KernelPaths } from '../collector.js';
import { fieldsOf, gauge, readRequired } from '../families.js';

const KIB = 1024;

/**
 * @example
 * meminfoCollector({ proc: '/proc', sys: '/sys' }).collect();
 */
export function meminfoCollector(paths: KernelPaths): ExporterCollector {
  return { name: 'meminfo', collect: () => collectMeminfo(readRequired(`${paths.proc}/meminfo`)) };
}

function collectMeminfo(text: string): MetricFamily[] {
  const families: MetricFamily[] = [];
  for (const [key, value, unit] of fieldsOf(text)) {
    if (key === undefined || !key.endsWith(':') || value === undefined) continue;
    let field = key.slice(0, -1).replace(/\((.*)\)/, '_$1');
    let v = Number(value);
    if (unit === 'kB') {
      field += '_bytes';
      v *= KIB;
    }
    families.push(gauge(`node_memory_${field}`, `Memory information field ${field}.`, v));
  }
  return families;
}
