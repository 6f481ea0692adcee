/**
 * @module
 * Which file a path holds. Device and inode alone are not enough: when a file is deleted its
 * inode is soon reused by a new one, and an agent that trusted the inode would resume the new
 * file at the old file's offset and skip its first lines. So a file's identity also includes a
 * fingerprint of its first line (at most {@link FINGERPRINT_BYTES} bytes), which never changes
 * while the file is appended to — and which differs between two log files because their first
 * lines carry timestamps.
 *
 * Record ids derive from the identity and a byte offset, so the same line read twice gets the
 * same id on any run of the agent on the same node.
 */

import { createHash } from 'node:crypto';
import { read } from 'node:fs';
import { promisify } from 'node:util';

const readAsync = promisify(read);

/**
 * Bytes of the first line that make the fingerprint. Long enough to hold a CRI or docker
 * timestamp and the start of the message; short so a fresh file gets its identity early.
 */
export const FINGERPRINT_BYTES = 256;

/** A file's identity; `key` is its position-database key and the seed of its record ids. */
export interface FileIdentity {
  readonly dev: bigint;
  readonly ino: bigint;
  /** Hex hash of the first line, or of the first {@link FINGERPRINT_BYTES} bytes. */
  readonly fingerprint: string;
  readonly key: string;
}

/**
 * Reads the fingerprint of an open file, or null while it has neither a complete first line nor
 * {@link FINGERPRINT_BYTES} bytes — unless `finished` (the file will not grow: it was rotated
 * away), when whatever it holds is the fingerprint.
 *
 * @example
 * const fp = await readFingerprint(fd, false); // '3f5c…' or null for an empty file
 */
export async function readFingerprint(fd: number, finished: boolean): Promise<string | null> {
  const buf = Buffer.allocUnsafe(FINGERPRINT_BYTES);
  const { bytesRead } = await readAsync(fd, buf, 0, FINGERPRINT_BYTES, 0);
  const nl = buf.subarray(0, bytesRead).indexOf(10);
  let end = nl === -1 ? bytesRead : nl + 1;
  if (nl === -1 && bytesRead < FINGERPRINT_BYTES) {
    if (!finished || bytesRead === 0) return null;
    end = bytesRead;
  }
  return createHash('sha256').update(buf.subarray(0, end)).digest('hex').slice(0, 32);
}

/**
 * @example
 * identityOf(66306n, 1234n, '3f5c…').key; // '66306:1234:3f5c…'
 */
export function identityOf(dev: bigint, ino: bigint, fingerprint: string): FileIdentity {
  return { dev, ino, fingerprint, key: `${dev}:${ino}:${fingerprint}` };
}

/**
 * The prefix of every record id of one file on one node: 16 base64url characters of a hash of
 * both, so ids stay short (the offset follows) and never repeat between nodes or files.
 *
 * @example
 * recordIdPrefix('node-a', identity.key) + '-' + offset.toString(36); // 'q3Jt…-1a2b'
 */
export function recordIdPrefix(node: string, key: string): string {
  return createHash('sha256')
    .update(node)
    .update('\0')
    .update(key)
    .digest('base64url')
    .slice(0, 16);
}
