/**
 * @module
 * An exclusive lock on a data directory, so that two servers never write the same files.
 * Node has no flock(2), so the lock is a file created with O_EXCL that records the owner's pid
 * and process start time. A lock whose owner is gone (after `kill -9` or a crash) is stale and
 * taken over; comparing the start time as well as the pid means a reused pid — routine in
 * containers, where the server is often pid 1 on every start — is not mistaken for the owner.
 */

import { closeSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** Thrown when another live process holds the lock. */
export class LockHeldError extends Error {
  constructor(
    readonly path: string,
    readonly pid: number,
  ) {
    super(
      `cannot lock data directory: ${path} is held by process ${pid}; ` +
        'another Vigil server is using this data directory (stop it or choose another --data-dir)',
    );
    this.name = 'LockHeldError';
  }
}

interface Owner {
  pid: number;
  /** Process start time in clock ticks since boot (Linux), or null where unknown. */
  startTicks: number | null;
}

function startTicksOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces and parentheses; fields after it are plain.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[19]);
  } catch {
    return null;
  }
}

function isAlive(owner: Owner): boolean {
  if (owner.pid === process.pid) return false;
  try {
    process.kill(owner.pid, 0);
  } catch (err) {
    // EPERM means the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  if (owner.startTicks === null) return true;
  return startTicksOf(owner.pid) === owner.startTicks;
}

function readOwner(path: string): Owner | null {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<Owner>;
    if (typeof parsed.pid !== 'number') return null;
    return { pid: parsed.pid, startTicks: parsed.startTicks ?? null };
  } catch {
    return null;
  }
}

/** A held lock; `release()` removes the file and is safe to call twice. */
export interface DirLock {
  readonly path: string;
  release(): void;
}

/**
 * Takes the lock file `lock` in `dir`, taking over a stale one.
 *
 * @throws {LockHeldError} when a live process holds it.
 * @example
 * const lock = lockDirectory('./data');
 * try { serve(); } finally { lock.release(); }
 */
export function lockDirectory(dir: string): DirLock {
  const path = join(dir, 'lock');
  const me: Owner = { pid: process.pid, startTicks: startTicksOf(process.pid) };
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o644);
      try {
        writeSync(fd, JSON.stringify(me) + '\n');
      } finally {
        closeSync(fd);
      }
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new Error(`cannot create lock file ${path}`, { cause: err });
      }
      if (attempt > 0) throw new LockHeldError(path, readOwner(path)?.pid ?? -1);
    }
    const owner = readOwner(path);
    if (owner !== null && isAlive(owner)) throw new LockHeldError(path, owner.pid);
    // Rename, not unlink: of two processes taking over the same stale lock, only one rename
    // succeeds, and the loser's O_EXCL create then fails against the winner's new file.
    try {
      renameSync(path, `${path}.stale`);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  let held = true;
  return {
    path,
    release() {
      if (!held) return;
      held = false;
      try {
        unlinkSync(path);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    },
  };
}
