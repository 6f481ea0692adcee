/**
 * @module
 * `pressure`: pressure stall information from `/proc/pressure/{cpu,io,memory}` as cumulative
 * seconds (the kernel's `total=` is in microseconds). "waiting" is the `some` line (at least one
 * task stalled), "stalled" the `full` line (all non-idle tasks stalled). CPU has no "stalled"
 * counter, as in node_exporter: system-wide `full` CPU pressure is undefined and reads zero.
 * Kernels without PSI (or booted with `psi=0`) have no such files, and the collector reports
 * nothing rather than zeros.
 */
import type { MetricFamily } from '../../../lib/instrument/index.js';
import type { ExporterCollector, KernelPaths } from '../collector.js';
import { counter, readOptional } from '../families.js';

const US_PER_S = 1e6;

interface PressureCounter {
  resource: 'cpu' | 'io' | 'memory';
  line: 'some' | 'full';
  name: string;
  help: string;
}

const COUNTERS: readonly PressureCounter[] = [
  {
    resource: 'cpu',
    line: 'some',
    name: 'node_pressure_cpu_waiting_seconds_total',
    help: 'Total time in seconds that processes have waited for CPU time',
  },
  {
    resource: 'io',
    line: 'some',
    name: 'node_pressure_io_waiting_seconds_total',
    help: 'Total time in seconds that processes have waited due to IO congestion',
  },
  {
    resource: 'io',
    line: 'full',
    name: 'node_pressure_io_stalled_seconds_total',
    help: 'Total time in seconds no process could make progress due to IO congestion',
  },
  {
    resource: 'memory',
    line: 'some',
    name: 'node_pressure_memory_waiting_seconds_total',
    help: 'Total time in seconds that processes have waited for memory',
  },
  {
    resource: 'memory',
    line: 'full',
    name: 'node_pressure_memory_stalled_seconds_total',
    help: 'Total time in seconds no process could make progress due to memory congestion',
  },
];

/**
 * @example
 * pressureCollector({ proc: '/proc', sys: '/sys' }).collect();
 */
export function pressureCollector(paths: KernelPaths): ExporterCollector {
  return {
    name: 'pressure',
    collect: () => {
      const files = new Map<string, string | undefined>();
      const families: MetricFamily[] = [];
      for (const c of COUNTERS) {
        if (!files.has(c.resource))
          files.set(c.resource, readOptional(`${paths.proc}/pressure/${c.resource}`));
        const total = pressureTotal(files.get(c.resource), c.line);
        if (total !== undefined) families.push(counter(c.name, c.help, total / US_PER_S));
      }
      return families;
    },
  };
}

/** The `total=` microseconds of the `some` or `full` line of a PSI file. */
function pressureTotal(text: string | undefined, line: 'some' | 'full'): number | undefined {
  const m = text?.match(new RegExp(`^${line} .*\\btotal=(\\d+)`, 'm'));
  return m ? Number(m[1]) : undefined;
}
