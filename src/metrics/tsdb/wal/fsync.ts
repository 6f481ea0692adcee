/**
 * @module
 * fdatasync and directory fsync as promises over raw file descriptors. The WAL writes with
 * `writeSync` on raw fds (no FileHandle, whose writes are asynchronous), and syncs through the
 * libuv thread pool so that the event loop keeps running while the disk flushes.
 */

import { closeSync, fdatasync, fsync, fsyncSync, openSync } from 'node:fs';

/**
 * Flushes the data of `fd` (and the metadata needed to read it back, such as its size) to
 * stable storage.
 *
 * @example
 * await fdatasyncFd(fd);
 */
export function fdatasyncFd(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fdatasync(fd, (err) => (err ? reject(err) : resolve())));
}

/**
 * Makes the entries of directory `path` (files created, renamed, removed) durable; without it a
 * new segment's data may survive a power cut while its name does not.
 *
 * @example
 * await fsyncDir('/data/wal');
 */
export function fsyncDir(path: string): Promise<void> {
  const fd = openSync(path, 'r');
  return new Promise<void>((resolve, reject) =>
    fsync(fd, (err) => (err ? reject(err) : resolve())),
  ).finally(() => closeSync(fd));
}

/**
 * Synchronous {@link fsyncDir}, for the rare structural changes (repair, checkpoint rename)
 * that must be durable before the function returns.
 *
 * @example
 * fsyncDirSync('/data/wal');
 */
export function fsyncDirSync(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
