/**
 * @module
 * `cgroup`: per-container CPU, memory, block I/O and network under cAdvisor's `container_*` names,
 * so the kubelet's dashboards and recording rules work on Vigil's data. Every cgroup is a
 * "container", identified by its path in the `id` label (`/` is the whole machine). Cgroups of
 * Kubernetes pods also get `pod_uid` and, for a container's own cgroup, `container_id` (without
 * the runtime prefix); cAdvisor's `namespace`, `pod` and `container` names need the API server and
 * come from the metadata join on those labels.
 *
 * Block devices are named `/dev/<name>` as cAdvisor names them, from sysfs; a device sysfs does
 * not know keeps its `major:minor`.
 */
import { join } from 'node:path';
import type { Label, LabelPairs, MetricFamily } from '../../../lib/instrument/index.js';
import type { ExporterCollector } from '../collector.js';
import { counter, gauge, readOptional, type Series } from '../families.js';
import { findHierarchy, listCgroups } from './hierarchy.js';
import { kubernetesIds } from './kubernetes.js';
import { readCgroupNetwork } from './network.js';
import { readCgroupStats, type CgroupStats, type DeviceIo } from './stats.js';

export interface CgroupOptions {
  /** cgroup file system root, `/sys/fs/cgroup` by default. */
  root?: string;
  /** procfs root, for network namespaces. */
  proc: string;
  /** sysfs root, for block device names. */
  sys: string;
}

type StatKey = Exclude<keyof CgroupStats, 'io'>;

const SCALARS: readonly { key: StatKey; name: string; help: string; kind: 'counter' | 'gauge' }[] =
  [
    {
      key: 'cpuUsageSeconds',
      name: 'container_cpu_usage_seconds_total',
      help: 'Cumulative cpu time consumed in seconds.',
      kind: 'counter',
    },
    {
      key: 'cpuUserSeconds',
      name: 'container_cpu_user_seconds_total',
      help: 'Cumulative user cpu time consumed in seconds.',
      kind: 'counter',
    },
    {
      key: 'cpuSystemSeconds',
      name: 'container_cpu_system_seconds_total',
      help: 'Cumulative system cpu time consumed in seconds.',
      kind: 'counter',
    },
    {
      key: 'memoryUsageBytes',
      name: 'container_memory_usage_bytes',
      help: 'Current memory usage in bytes, including all memory regardless of when it was accessed',
      kind: 'gauge',
    },
    {
      key: 'memoryWorkingSetBytes',
      name: 'container_memory_working_set_bytes',
      help: 'Current working set in bytes.',
      kind: 'gauge',
    },
    {
      key: 'memoryRssBytes',
      name: 'container_memory_rss',
      help: 'Size of RSS in bytes.',
      kind: 'gauge',
    },
    {
      key: 'memoryCacheBytes',
      name: 'container_memory_cache',
      help: 'Number of bytes of page cache memory.',
      kind: 'gauge',
    },
    {
      key: 'memorySwapBytes',
      name: 'container_memory_swap',
      help: 'Container swap usage in bytes.',
      kind: 'gauge',
    },
  ];

const IO: readonly { key: keyof DeviceIo; name: string; help: string }[] = [
  {
    key: 'readBytes',
    name: 'container_fs_reads_bytes_total',
    help: 'Cumulative count of bytes read',
  },
  {
    key: 'writeBytes',
    name: 'container_fs_writes_bytes_total',
    help: 'Cumulative count of bytes written',
  },
  { key: 'reads', name: 'container_fs_reads_total', help: 'Cumulative count of reads completed' },
  {
    key: 'writes',
    name: 'container_fs_writes_total',
    help: 'Cumulative count of writes completed',
  },
];

/** cAdvisor's network names, keyed by the `/proc/net/dev` column they come from. */
const NETWORK: readonly { stat: string; name: string; help: string }[] = [
  {
    stat: 'receive_bytes',
    name: 'container_network_receive_bytes_total',
    help: 'Cumulative count of bytes received',
  },
  {
    stat: 'receive_packets',
    name: 'container_network_receive_packets_total',
    help: 'Cumulative count of packets received',
  },
  {
    stat: 'receive_errs',
    name: 'container_network_receive_errors_total',
    help: 'Cumulative count of errors encountered while receiving',
  },
  {
    stat: 'receive_drop',
    name: 'container_network_receive_packets_dropped_total',
    help: 'Cumulative count of packets dropped while receiving',
  },
  {
    stat: 'transmit_bytes',
    name: 'container_network_transmit_bytes_total',
    help: 'Cumulative count of bytes transmitted',
  },
  {
    stat: 'transmit_packets',
    name: 'container_network_transmit_packets_total',
    help: 'Cumulative count of packets transmitted',
  },
  {
    stat: 'transmit_errs',
    name: 'container_network_transmit_errors_total',
    help: 'Cumulative count of errors encountered while transmitting',
  },
  {
    stat: 'transmit_drop',
    name: 'container_network_transmit_packets_dropped_total',
    help: 'Cumulative count of packets dropped while transmitting',
  },
];

/**
 * @example
 * cgroupCollector({ proc: '/proc', sys: '/sys' }).collect();
 */
export function cgroupCollector(options: CgroupOptions): ExporterCollector {
  const root = options.root ?? '/sys/fs/cgroup';
  return {
    name: 'cgroup',
    collect: () => {
      const h = findHierarchy(root);
      if (h === undefined) return [];
      const scalars: Series[][] = SCALARS.map(() => []);
      const io: Series[][] = IO.map(() => []);
      const network: Series[][] = NETWORK.map(() => []);
      const deviceNames = new Map<string, string>();
      for (const id of listCgroups(h)) {
        const k8s = kubernetesIds(id);
        const identity: Label[] = [['id', id]];
        if (k8s !== undefined) {
          identity.push(['pod_uid', k8s.podUid]);
          if (k8s.containerId !== '') identity.push(['container_id', k8s.containerId]);
        }
        const stats = readCgroupStats(h, id);
        SCALARS.forEach((s, i) => {
          const value = stats[s.key];
          if (value === undefined) return;
          const labels: LabelPairs =
            s.key === 'cpuUsageSeconds' ? [...identity, ['cpu', 'total']] : identity;
          scalars[i]!.push({ labels, value });
        });
        for (const [majmin, d] of stats.io) {
          let device = deviceNames.get(majmin);
          if (device === undefined)
            deviceNames.set(majmin, (device = deviceName(options.sys, majmin)));
          const labels: LabelPairs = [...identity, ['device', device]];
          IO.forEach((s, i) => io[i]!.push({ labels, value: d[s.key] }));
        }
        // Containers of a pod share its namespace; the pod-level cgroup reports it once.
        if (k8s !== undefined && k8s.containerId !== '') continue;
        const procDir = join(h.memory ?? h.cpu ?? h.walkRoots[0]!, id);
        const interfaces = readCgroupNetwork(options.proc, procDir, k8s !== undefined);
        for (const [iface, counters] of interfaces ?? []) {
          const labels: LabelPairs = [...identity, ['interface', iface]];
          NETWORK.forEach((s, i) => {
            const value = counters.get(s.stat);
            if (value !== undefined) network[i]!.push({ labels, value });
          });
        }
      }
      const families: MetricFamily[] = [];
      SCALARS.forEach((s, i) =>
        families.push(
          s.kind === 'counter'
            ? counter(s.name, s.help, scalars[i]!)
            : gauge(s.name, s.help, scalars[i]!),
        ),
      );
      IO.forEach((s, i) => families.push(counter(s.name, s.help, io[i]!)));
      NETWORK.forEach((s, i) => families.push(counter(s.name, s.help, network[i]!)));
      return families.filter((f) => f.samples.length > 0);
    },
  };
}

function deviceName(sys: string, majmin: string): string {
  const name = readOptional(join(sys, 'dev/block', majmin, 'uevent'))?.match(
    /^DEVNAME=(.+)$/m,
  )?.[1];
  return name === undefined ? majmin : `/dev/${name}`;
}
