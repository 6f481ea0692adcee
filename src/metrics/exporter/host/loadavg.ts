/**
 * @module
 * `loadavg`: the 1, 5 and 15 minute load averages from `/proc/loadavg`.
 */
import type { ExporterCollector, KernelPaths } from '../collector.js';
import { gauge, readRequired } from '../families.js';

/**
 * @example
 * loadavgCollector({ proc: '/proc', sys: '/sys' }).collect();
 */
export function loadavgCollector(paths: KernelPaths): ExporterCollector {
  return {
    name: 'loadavg',
    collect: () => {
      const [l1, l5, l15] = readRequired(`${paths.proc}/loadavg`).split(' ');
      if (l15 === undefined)
        throw new Error(`cannot parse ${paths.proc}/loadavg: fewer than 3 fields`);
      return [
        gauge('node_load1', '1m load average.', Number(l1)),
        gauge('node_load5', '5m load average.', Number(l5)),
        gauge('node_load15', '15m load average.', Number(l15)),
      ];
    },
  };
}
