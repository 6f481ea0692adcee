/**
 * @module
 * The audit log: one JSON line per security-relevant action (users and tokens created, changed
 * or deleted; logins, failed logins, logouts; data deleted) in `<data-dir>/auth/audit.log`,
 * mode 0600, appended and fsynced line by line so that a record survives a crash that follows
 * the action. Records never contain passwords or token secrets.
 */

import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export interface AuditRecord {
  /** What happened: `user.add`, `token.revoke`, `login.fail`. */
  action: string;
  /** Who did it: a user name, `token:<name>`, or `cli:<os user>`. */
  actor: string;
  /** What it was done to: a user name, a token id, an index pattern. */
  target?: string;
  /** The client address, for actions over HTTP. */
  address?: string;
  /** `ok`, or why it was refused. */
  result?: string;
  [detail: string]: unknown;
}

export class AuditLog {
  readonly path: string;

  /** @param dir the auth directory (`<data-dir>/auth`). */
  constructor(dir: string) {
    this.path = join(dir, 'audit.log');
  }

  /**
   * Appends one record with the current time.
   *
   * @example
   * audit.record({ action: 'user.delete', actor: 'admin', target: 'bob', address: '10.0.0.7' });
   */
  record(r: AuditRecord): void {
    const line = `${JSON.stringify({ time: new Date().toISOString(), result: 'ok', ...r })}\n`;
    const fd = openSync(this.path, 'a', 0o600);
    try {
      writeSync(fd, line);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
}
