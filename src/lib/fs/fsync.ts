/**
 * @module
 * Durability primitives: fsync of a file or directory by path, fdatasync of an open file, and an
 * atomic file write (temp file, fsync, rename, fsync of the directory), so that after a crash a
 * file is either the old one or the complete new one. A directory is fsynced after creating,
 * renaming or deleting entries in it, or those changes may not survive a power loss.
 */

import {
  closeSync,
  fdatasync,
  fsync,
  fsyncSync,
  openSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * fsyncs the file or directory at `path`.
 *
 * @example
 * fsyncPath('/data/metrics'); // after renaming a block into it
 */
export function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** fsyncs the file or directory at `path` off the event loop. */
export function fsyncPathAsync(path: string): Promise<void> {
  const fd = openSync(path, 'r');
  return new Promise<void>((resolve, reject) =>
    fsync(fd, (err) => (err ? reject(err) : resolve())),
  ).finally(() => closeSync(fd));
}

/** fdatasyncs an open file off the event loop: data and size, not timestamps. */
export function fdatasyncFd(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fdatasync(fd, (err) => (err ? reject(err) : resolve())));
}

/**
 * Replaces `dir/name` with `data` atomically and durably. `mode` (default 0o666 less the umask)
 * applies to the new file from its creation, so a secret is never readable by others even for a
 * moment.
 *
 * @example
 * writeFileAtomic(blockDir, 'meta.json', JSON.stringify(meta, null, '\t'));
 * writeFileAtomic(authDir, 'users.json', text, { mode: 0o600 });
 */
export function writeFileAtomic(
  dir: string,
  name: string,
  data: string | Uint8Array,
  options: { mode?: number } = {},
): void {
  const path = join(dir, name);
  const tmp = `${path}.tmp`;
  if (options.mode !== undefined) rmSync(tmp, { force: true });
  const fd = openSync(tmp, 'w', options.mode ?? 0o666);
  try {
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  fsyncPath(dir);
}

/**
 * {@link writeFileAtomic} off the event loop. Callers must not run two at once for one path:
 * both would write the same temp file.
 *
 * @example
 * await writeFileAtomicAsync(dir, 'nflog.json', JSON.stringify(entries));
 */
export async function writeFileAtomicAsync(
  dir: string,
  name: string,
  data: string | Uint8Array,
): Promise<void> {
  const path = join(dir, name);
  const tmp = `${path}.tmp`;
  const file = await open(tmp, 'w');
  try {
    await file.writeFile(data);
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(tmp, path);
  await fsyncPathAsync(dir);
}
