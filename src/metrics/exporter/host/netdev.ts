/**
 * @module
 * `netdev`: per-interface counters from `/proc/net/dev` as `node_network_<direction>_<stat>_total`.
 * Column names are taken from the file's own header rather than hard-coded, so the metric names
 * are exactly node_exporter's (`receive_errs`, `transmit_colls`, …). `receive_nohandler` is not in
 * that file; node_exporter gets it over netlink, and we read it from sysfs where the kernel has it.
 */
import type { MetricFamily } from '../../../lib/instrument/index.js';
import type { ExporterCollector, KernelPaths } from '../collector.js';
import { counter, readOptional, readRequired, type Series } from '../families.js';

/** node_exporter's default: the loopback interface. */
export const DEFAULT_NETDEV_DEVICE_EXCLUDE = /^lo$/;

/** Counters of one interface, keyed `receive_bytes`, `transmit_packets`, … */
export type InterfaceStats = Map<string, number>;

/**
 * Parses `/proc/net/dev` (or `/proc/<pid>/net/dev`) into counters per interface.
 *
 * @example
 * parseNetDev(text).get('eth0')?.get('receive_bytes'); // 2200495110
 */
export function parseNetDev(text: string): Map<string, InterfaceStats> {
  const lines = text.split('\n');
  // Line 2 is " face |bytes packets …|bytes packets …": receive columns, then transmit columns.
  const [, receive = '', transmit = ''] = (lines[1] ?? '').split('|');
  const names = [
    ...receive
      .trim()
      .split(/\s+/)
      .map((n) => `receive_${n}`),
    ...transmit
      .trim()
      .split(/\s+/)
      .map((n) => `transmit_${n}`),
  ];
  const result = new Map<string, InterfaceStats>();
  for (const line of lines.slice(2)) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const values = line
      .slice(colon + 1)
      .trim()
      .split(/\s+/);
    const stats: InterfaceStats = new Map();
    names.forEach((name, i) => {
      if (values[i] !== undefined) stats.set(name, Number(values[i]));
    });
    result.set(line.slice(0, colon).trim(), stats);
  }
  return result;
}

export interface NetdevOptions {
  deviceExclude?: RegExp;
}

/**
 * @example
 * netdevCollector({ proc: '/proc', sys: '/sys' }).collect();
 */
export function netdevCollector(
  paths: KernelPaths,
  options: NetdevOptions = {},
): ExporterCollector {
  const exclude = options.deviceExclude ?? DEFAULT_NETDEV_DEVICE_EXCLUDE;
  return {
    name: 'netdev',
    collect: () => {
      const byStat = new Map<string, Series[]>();
      const add = (stat: string, device: string, value: number) => {
        let list = byStat.get(stat);
        if (list === undefined) byStat.set(stat, (list = []));
        list.push({ labels: [['device', device]], value });
      };
      for (const [device, stats] of parseNetDev(readRequired(`${paths.proc}/net/dev`))) {
        if (exclude.test(device)) continue;
        for (const [stat, value] of stats) add(stat, device, value);
        const nohandler = readOptional(`${paths.sys}/class/net/${device}/statistics/rx_nohandler`);
        if (nohandler !== undefined) add('receive_nohandler', device, Number(nohandler));
      }
      const families: MetricFamily[] = [];
      for (const [stat, series] of byStat) {
        families.push(
          counter(`node_network_${stat}_total`, `Network device statistic ${stat}.`, series),
        );
      }
      return families;
    },
  };
}
