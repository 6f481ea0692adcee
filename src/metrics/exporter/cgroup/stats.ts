/**
 * @module
 * Reads one cgroup's CPU, memory and block I/O statistics from either cgroup version into one
 * shape. Every field is optional: the root cgroup has no `memory.current` on v2, controllers may
 * be disabled for a subtree, and a cgroup can vanish between listing and reading.
 *
 * Memory follows cAdvisor and the kubelet: the working set is usage minus inactive file pages
 * (floored at zero), the memory the kernel cannot simply drop under pressure, and what the
 * kubelet's eviction and `kubectl top` use. RSS is anonymous memory (`anon` on v2, `total_rss` on
 * v1) and cache is file-backed memory.
 */
import { join } from 'node:path';
import { fieldsOf, readOptional, USER_HZ } from '../families.js';
import type { Hierarchy } from './hierarchy.js';

const US_PER_S = 1e6;
const NS_PER_S = 1e9;

/** Block I/O of one device, hierarchical (the cgroup and its descendants). */
export interface DeviceIo {
  readBytes: number;
  writeBytes: number;
  reads: number;
  writes: number;
}

export interface CgroupStats {
  cpuUsageSeconds?: number;
  cpuUserSeconds?: number;
  cpuSystemSeconds?: number;
  memoryUsageBytes?: number;
  memoryWorkingSetBytes?: number;
  memoryRssBytes?: number;
  memoryCacheBytes?: number;
  memorySwapBytes?: number;
  /** Keyed by `major:minor`. */
  io: Map<string, DeviceIo>;
}

/**
 * @example
 * readCgroupStats(findHierarchy('/sys/fs/cgroup')!, '/system.slice').cpuUsageSeconds;
 */
export function readCgroupStats(h: Hierarchy, id: string): CgroupStats {
  return h.version === 2 ? readV2(h, id) : readV1(h, id);
}

function readV2(h: Hierarchy, id: string): CgroupStats {
  const dir = join(h.cpu!, id);
  const stats: CgroupStats = { io: new Map() };
  const cpu = keyValues(readOptional(join(dir, 'cpu.stat')));
  if (cpu.has('usage_usec')) stats.cpuUsageSeconds = cpu.get('usage_usec')! / US_PER_S;
  if (cpu.has('user_usec')) stats.cpuUserSeconds = cpu.get('user_usec')! / US_PER_S;
  if (cpu.has('system_usec')) stats.cpuSystemSeconds = cpu.get('system_usec')! / US_PER_S;
  const mem = keyValues(readOptional(join(dir, 'memory.stat')));
  setMemory(
    stats,
    numberIn(join(dir, 'memory.current')),
    mem.get('inactive_file'),
    mem.get('anon'),
    mem.get('file'),
  );
  stats.memorySwapBytes = numberIn(join(dir, 'memory.swap.current'));
  // "8:0 rbytes=1 wbytes=2 rios=3 wios=4 dbytes=0 dios=0"
  for (const [device, ...pairs] of fieldsOf(readOptional(join(dir, 'io.stat')) ?? '')) {
    const kv = new Map(pairs.map((p) => p.split('=') as [string, string]));
    stats.io.set(device!, {
      readBytes: Number(kv.get('rbytes') ?? 0),
      writeBytes: Number(kv.get('wbytes') ?? 0),
      reads: Number(kv.get('rios') ?? 0),
      writes: Number(kv.get('wios') ?? 0),
    });
  }
  return stats;
}

function readV1(h: Hierarchy, id: string): CgroupStats {
  const stats: CgroupStats = { io: new Map() };
  if (h.cpu !== undefined) {
    const dir = join(h.cpu, id);
    const usageNs = numberIn(join(dir, 'cpuacct.usage'));
    if (usageNs !== undefined) stats.cpuUsageSeconds = usageNs / NS_PER_S;
    const cpu = keyValues(readOptional(join(dir, 'cpuacct.stat')));
    if (cpu.has('user')) stats.cpuUserSeconds = cpu.get('user')! / USER_HZ;
    if (cpu.has('system')) stats.cpuSystemSeconds = cpu.get('system')! / USER_HZ;
  }
  if (h.memory !== undefined) {
    const dir = join(h.memory, id);
    const mem = keyValues(readOptional(join(dir, 'memory.stat')));
    setMemory(
      stats,
      numberIn(join(dir, 'memory.usage_in_bytes')),
      mem.get('total_inactive_file'),
      mem.get('total_rss'),
      mem.get('total_cache'),
    );
    if (mem.has('total_swap')) stats.memorySwapBytes = mem.get('total_swap');
  }
  if (h.io !== undefined) {
    const dir = join(h.io, id);
    // The recursive files match v2's hierarchical io.stat; CFQ/BFQ-only files would miss I/O
    // under other schedulers, the throttle files count all of it.
    const bytes = readOptional(join(dir, 'blkio.throttle.io_service_bytes_recursive'));
    const ops = readOptional(join(dir, 'blkio.throttle.io_serviced_recursive'));
    addBlkio(stats.io, bytes, 'readBytes', 'writeBytes');
    addBlkio(stats.io, ops, 'reads', 'writes');
  }
  return stats;
}

function setMemory(
  stats: CgroupStats,
  usage: number | undefined,
  inactiveFile: number | undefined,
  rss: number | undefined,
  cache: number | undefined,
): void {
  stats.memoryUsageBytes = usage;
  if (usage !== undefined) stats.memoryWorkingSetBytes = Math.max(0, usage - (inactiveFile ?? 0));
  stats.memoryRssBytes = rss;
  stats.memoryCacheBytes = cache;
}

/** blkio lines are "8:0 Read 4096", "8:0 Write 0", …, then a "Total 4096" line. */
function addBlkio(
  io: Map<string, DeviceIo>,
  text: string | undefined,
  readKey: 'readBytes' | 'reads',
  writeKey: 'writeBytes' | 'writes',
): void {
  for (const [device, op, value] of fieldsOf(text ?? '')) {
    if (value === undefined || (op !== 'Read' && op !== 'Write')) continue;
    let d = io.get(device!);
    if (d === undefined)
      io.set(device!, (d = { readBytes: 0, writeBytes: 0, reads: 0, writes: 0 }));
    d[op === 'Read' ? readKey : writeKey] = Number(value);
  }
}

function keyValues(text: string | undefined): Map<string, number> {
  const m = new Map<string, number>();
  for (const [key, value] of fieldsOf(text ?? '')) {
    if (value !== undefined) m.set(key!, Number(value));
  }
  return m;
}

function numberIn(path: string): number | undefined {
  const text = readOptional(path)?.trim();
  if (text === undefined || text === '' || text === 'max') return undefined;
  return Number(text);
}
