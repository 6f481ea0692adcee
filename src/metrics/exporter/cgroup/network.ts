/**
 * @module
 * Network counters of a cgroup, read as `/proc/<pid>/net/dev` of one of its processes: interfaces
 * belong to network namespaces, not cgroups, so a process in the cgroup is the way in. Only
 * namespaces other than the host's (PID 1's) are reported; a cgroup in the host namespace would
 * repeat the host's interfaces, which `node_network_*` already has.
 *
 * In Kubernetes every container of a pod shares the pod's namespace, so network is reported once,
 * on the pod-level cgroup (using a process of any of its containers), as the kubelet does.
 */
import { readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { readOptional } from '../families.js';
import { parseNetDev, type InterfaceStats } from '../host/netdev.js';

/**
 * The namespace's interfaces (loopback excluded), or `undefined` when the cgroup has no process,
 * is in the host's namespace, or the files are unreadable.
 *
 * @example
 * readCgroupNetwork('/proc', '/sys/fs/cgroup/kubepods.slice/…pod….slice', true);
 */
export function readCgroupNetwork(
  proc: string,
  cgroupDir: string,
  includeChildren: boolean,
): Map<string, InterfaceStats> | undefined {
  const pid = firstPid(cgroupDir) ?? (includeChildren ? childPid(cgroupDir) : undefined);
  if (pid === undefined) return undefined;
  const ns = netns(join(proc, pid, 'ns/net'));
  if (ns === undefined || ns === netns(join(proc, '1/ns/net'))) return undefined;
  const text = readOptional(join(proc, pid, 'net/dev'));
  if (text === undefined) return undefined;
  const interfaces = parseNetDev(text);
  interfaces.delete('lo');
  return interfaces;
}

function firstPid(dir: string): string | undefined {
  const pid = readOptional(join(dir, 'cgroup.procs'))?.split('\n', 1)[0]?.trim();
  return pid === undefined || pid === '' ? undefined : pid;
}

function childPid(dir: string): string | undefined {
  try {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (!e.isDirectory()) continue;
      const pid = firstPid(join(dir, e.name));
      if (pid !== undefined) return pid;
    }
  } catch {
    return undefined;
  }
  return undefined;
}

function netns(link: string): string | undefined {
  try {
    return readlinkSync(link);
  } catch {
    return undefined;
  }
}
