/**
 * @module
 * Small synchronous reads of Linux `/proc/self`, for the process collector. Each returns
 * `undefined` when the file is missing or unreadable (other systems, restricted containers), and
 * the collector then omits the metric rather than report a made-up value. Reads are a few hundred
 * bytes from a kernel-generated file, which takes microseconds, so they run on every scrape.
 */
import { readdirSync, readFileSync } from 'node:fs';

/**
 * Number of open file descriptors, counted as entries of `/proc/self/fd`. The count includes the
 * descriptor the read itself uses, as the Go client's does.
 *
 * @example
 * readOpenFds(); // 23
 */
export function readOpenFds(): number | undefined {
  try {
    return readdirSync('/proc/self/fd').length;
  } catch {
    return undefined;
  }
}

/**
 * Soft limit on open file descriptors from `/proc/self/limits`; `Infinity` when unlimited.
 *
 * @example
 * readMaxFds(); // 1048576
 */
export function readMaxFds(): number | undefined {
  const limits = readText('/proc/self/limits');
  const soft = limits?.match(/^Max open files\s+(\S+)/m)?.[1];
  if (soft === undefined) return undefined;
  return soft === 'unlimited' ? Infinity : Number(soft);
}

/**
 * Virtual memory size in bytes: field 23 (`vsize`) of `/proc/self/stat`. Fields are counted after
 * the last `)`, because field 2 is the command name in parentheses and may contain spaces.
 *
 * @example
 * readVirtualMemoryBytes(); // 1205411840
 */
export function readVirtualMemoryBytes(): number | undefined {
  const stat = readText('/proc/self/stat');
  if (stat === undefined) return undefined;
  // After ")" come fields 3 (state) onwards, so field 23 is at index 20.
  const vsize = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[20];
  return vsize === undefined ? undefined : Number(vsize);
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'latin1');
  } catch {
    return undefined;
  }
}
