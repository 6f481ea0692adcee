/**
 * @module
 * `cpu`: per-CPU time by mode from `/proc/stat`, as node_exporter's `node_cpu_seconds_total` and
 * `node_cpu_guest_seconds_total`. The kernel reports clock ticks of USER_HZ (100), so the
 * division gives exact hundredths.
 * Guest time is also included in user and nice, as the kernel counts it there; node_exporter does
 * not subtract it either.
 */
import type { MetricFamily } from '../../../lib/instrument/index.js';
import type { ExporterCollector, KernelPaths } from '../collector.js';
import { counter, fieldsOf, readRequired, USER_HZ, type Series } from '../families.js';

/** `/proc/stat` cpu line columns after the name, in order. */
const MODES = ['user', 'nice', 'system', 'idle', 'iowait', 'irq', 'softirq', 'steal'] as const;
const GUEST_MODES = ['user', 'nice'] as const;

/**
 * @example
 * cpuCollector({ proc: '/proc', sys: '/sys' }).collect();
 */
export function cpuCollector(paths: KernelPaths): ExporterCollector {
  return { name: 'cpu', collect: () => collectCpu(readRequired(`${paths.proc}/stat`)) };
}

function collectCpu(stat: string): MetricFamily[] {
  const seconds: Series[] = [];
  const guest: Series[] = [];
  for (const fields of fieldsOf(stat)) {
    const name = fields[0]!;
    // The aggregate line is plain "cpu"; per-CPU lines are "cpu0", "cpu1", …
    if (!name.startsWith('cpu') || name.length === 3) continue;
    const cpu = name.slice(3);
    MODES.forEach((mode, i) => {
      const ticks = fields[i + 1];
      if (ticks !== undefined)
        seconds.push({
          labels: [
            ['cpu', cpu],
            ['mode', mode],
          ],
          value: Number(ticks) / USER_HZ,
        });
    });
    GUEST_MODES.forEach((mode, i) => {
      const ticks = fields[MODES.length + i + 1];
      if (ticks !== undefined)
        guest.push({
          labels: [
            ['cpu', cpu],
            ['mode', mode],
          ],
          value: Number(ticks) / USER_HZ,
        });
    });
  }
  return [
    counter('node_cpu_seconds_total', 'Seconds the CPUs spent in each mode.', seconds),
    counter(
      'node_cpu_guest_seconds_total',
      'Seconds the CPUs spent in guests (VMs) for each mode.',
      guest,
    ),
  ];
}
