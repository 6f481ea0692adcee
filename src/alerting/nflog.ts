/**
 * @module
 * The notification log: for each receiver integration and group, the alerts last notified as
 * firing and as resolved, and when. The dedup step reads it to send only what changed or what
 * the repeat interval asks to repeat. Kept in `<dir>/nflog.json`, rewritten atomically before
 * {@link NotificationLog.log} returns, so that after a restart — or a crash after a delivery
 * was acknowledged — a notification is neither sent again nor forgotten.
 */

import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../lib/clock/clock.js';
import { writeFileAtomic } from '../lib/fs/fsync.js';

export interface NflogEntry {
  /** Fingerprints of the alerts notified as firing. */
  firing: string[];
  resolved: string[];
  /** When the notification was sent, ms since the epoch. */
  timestamp: number;
  /** When the entry may be forgotten. */
  expiresAt: number;
}

const FILE = 'nflog.json';

/** Identifies one integration of one receiver: `team-x/webhook/0`. */
export function integrationKey(receiver: string, integration: string, index: number): string {
  return `${receiver}/${integration}/${index}`;
}

export class NotificationLog {
  readonly #dir: string;
  readonly #clock: Clock;
  readonly #retention: number;
  readonly #entries = new Map<string, NflogEntry>();

  private constructor(dir: string, clock: Clock, retention: number) {
    this.#dir = dir;
    this.#clock = clock;
    this.#retention = retention;
  }

  /**
   * Opens (or creates) the log in `dir`.
   *
   * @throws when the file exists but cannot be read or parsed, naming it.
   * @example
   * const nflog = NotificationLog.open({ dir, clock: systemClock, retention: 120 * 3600_000 });
   */
  static open(options: { dir: string; clock: Clock; retention: number }): NotificationLog {
    mkdirSync(options.dir, { recursive: true });
    const log = new NotificationLog(options.dir, options.clock, options.retention);
    const path = join(options.dir, FILE);
    let text: string | undefined;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw new Error(`cannot read notification log ${path}: ${(err as Error).message}`, {
          cause: err,
        });
      }
    }
    if (text !== undefined) {
      try {
        for (const [k, e] of Object.entries(JSON.parse(text) as Record<string, NflogEntry>)) {
          log.#entries.set(k, e);
        }
      } catch (err) {
        throw new Error(`cannot parse notification log ${path}: ${(err as Error).message}`, {
          cause: err,
        });
      }
    }
    return log;
  }

  /** The last entry for an integration (see {@link integrationKey}) and group key. */
  query(integration: string, groupKey: string): NflogEntry | undefined {
    return this.#entries.get(`${integration}\u0000${groupKey}`);
  }

  /** Records a delivered notification, durably, before returning. */
  log(integration: string, groupKey: string, firing: string[], resolved: string[]): void {
    const now = this.#clock.now();
    this.#entries.set(`${integration}\u0000${groupKey}`, {
      firing,
      resolved,
      timestamp: now,
      expiresAt: now + this.#retention,
    });
    this.#persist();
  }

  /** Forgets expired entries; returns how many. */
  gc(): number {
    const now = this.#clock.now();
    let n = 0;
    for (const [k, e] of this.#entries) {
      if (e.expiresAt <= now) {
        this.#entries.delete(k);
        n++;
      }
    }
    if (n > 0) this.#persist();
    return n;
  }

  get size(): number {
    return this.#entries.size;
  }

  #persist(): void {
    writeFileAtomic(this.#dir, FILE, JSON.stringify(Object.fromEntries(this.#entries)));
  }
}
