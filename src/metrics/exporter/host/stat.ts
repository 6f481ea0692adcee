/**
 * @module
 * `stat`: system-wide counters from `/proc/stat` under node_exporter's names. `intr` lists the
 * total first and then one count per interrupt line; only the total is exported, as
 * node_exporter does, because the per-line counts multiply series by hundreds.
 */
import type { MetricFamily } from '../../../lib/instrument/index.js';
import type { ExporterCollector, KernelPaths } from '../collector.js';
import { counter, fieldsOf, gauge, readRequired } from '../families.js';

/**
 * @example
 * statCollector({ proc: '/proc', sys: '/sys' }).collect();
 */
export function statCollector(paths: KernelPaths): ExporterCollector {
  return { name: 'stat', collect: () => collectStat(readRequired(`${paths.proc}/stat`)) };
}

function collectStat(stat: string): MetricFamily[] {
  const values = new Map<string, number>();
  for (const fields of fieldsOf(stat)) {
    if (fields[1] !== undefined) values.set(fields[0]!, Number(fields[1]));
  }
  const families: MetricFamily[] = [];
  const add = (key: string, build: (v: number) => MetricFamily) => {
    const v = values.get(key);
    if (v !== undefined) families.push(build(v));
  };
  add('btime', (v) => gauge('node_boot_time_seconds', 'Node boot time, in unixtime.', v));
  add('ctxt', (v) =>
    counter('node_context_switches_total', 'Total number of context switches.', v),
  );
  add('processes', (v) => counter('node_forks_total', 'Total number of forks.', v));
  add('intr', (v) => counter('node_intr_total', 'Total number of interrupts serviced.', v));
  add('procs_running', (v) =>
    gauge('node_procs_running', 'Number of processes in runnable state.', v),
  );
  add('procs_blocked', (v) =>
    gauge('node_procs_blocked', 'Number of processes blocked waiting for I/O to complete.', v),
  );
  return families;
}
