/**
 * CPU time per thread of this process, for the benchmarks that split a run's CPU between the
 * main thread, the store's worker and V8's helper threads (Linux `/proc`; elsewhere no figures).
 * `process.cpuUsage()` counts every thread together.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** utime + stime of a `/proc/…/stat` line, in seconds (clock ticks are 1/100 s on Linux). */
function statCpuS(stat: string): number {
  // Fields after the command name (which may hold spaces) start at field 3; utime and stime
  // are fields 14 and 15.
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
}

/** CPU seconds of the calling thread, or undefined where `/proc` cannot tell. */
export function threadCpuS(): number | undefined {
  try {
    return statCpuS(readFileSync('/proc/thread-self/stat', 'latin1'));
  } catch {
    return undefined;
  }
}

/** CPU seconds per thread of this process, by `tid name` (Node names its threads alike). */
export function threadSnapshot(): Map<string, number> {
  const out = new Map<string, number>();
  try {
    for (const t of readdirSync('/proc/self/task')) {
      const stat = readFileSync(`/proc/self/task/${t}/stat`, 'latin1');
      out.set(`${t} ${stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))}`, statCpuS(stat));
    }
  } catch {
    out.clear();
  }
  return out;
}

/** Adds each thread's CPU seconds between `before` and now to `into`. */
export function addThreadCpu(into: Map<string, number>, before: Map<string, number>): void {
  for (const [t, s] of threadSnapshot()) into.set(t, (into.get(t) ?? 0) + s - (before.get(t) ?? 0));
}

/** Where a run's CPU went, per thread, busiest first (threads under 0.05 s left out). */
export function threadTimes(cpu: Map<string, number>): string {
  if (cpu.size === 0) return 'unknown';
  return [...cpu]
    .filter(([, s]) => s >= 0.05)
    .sort((a, b) => b[1] - a[1])
    .map(([n, s]) => `${n} ${s.toFixed(2)} s`)
    .join(', ');
}
