/**
 * @module
 * Durable file system steps the block code needs and Node's fs has no single call for: fsync of
 * a directory (a new or renamed file is durable only once the directory entry naming it is), and
 * replacing a small file atomically. They belong with the other file helpers in src/lib/fs; they
 * live here until that move, next to their first user.
 */

import { closeSync, fsyncSync, openSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Flushes `path` (a file or a directory) to stable storage.
 *
 * @example
 * renameSync(tmp, dir);
 * fsyncPath(dirname(dir));
 */
export function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Replaces `<dir>/<name>` with `data`: written to `<name>.tmp`, fsynced, renamed over the old
 * file, and the directory fsynced — a crash leaves the old content or the new, never a mix.
 *
 * @example
 * writeFileAtomic(blockDir, 'meta.json', JSON.stringify(meta, null, '\t'));
 */
export function writeFileAtomic(dir: string, name: string, data: string | Uint8Array): void {
  const path = join(dir, name);
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, 'w');
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
