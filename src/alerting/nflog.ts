/**
 * @module
 * The notification log: for each receiver integration and group, the alerts last notified as
 * firing and as resolved, and when. The dedup step reads it to send only what changed or what
 * the repeat interval asks to repeat. Kept in `<dir>/nflog.json`, rewritten atomically before
 * {@link NotificationLog.log} resolves, so that after a restart — or a crash after a delivery
 * was acknowledged — a notification is neither sent again nor forgotten. Entries logged while a
 * rewrite is under way share the next one (group commit): a thousand groups flushing together
 * cost a few rewrites, not a thousand fsyncs.
 */

import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../lib/clock/clock.js';
import { writeFileAtomicAsync } from '../lib/fs/fsync.js';

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
  /** The rewrite on disk now, if any. */
  #writing: Promise<void> = Promise.resolve();
  /** The rewrite that will start once {@link #writing} ends; entries logged now join it. */
  #next: Promise<void> | null = null;

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

  /**
   * Records a delivered notification; resolves once it is on disk.
   *
   * @throws (rejects) when the file cannot be written; the entry stays in memory.
   */
  log(integration: string, groupKey: string, firing: string[], resolved: string[]): Promise<void> {
    const now = this.#clock.now();
    this.#entries.set(`${integration}\u0000${groupKey}`, {
      firing,
      resolved,
      timestamp: now,
      expiresAt: now + this.#retention,
    });
    return this.#persist();
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
    // A failed rewrite here loses nothing: the next log() writes the file again, and expired
    // entries are only ever dropped.
    if (n > 0) this.#persist().catch(() => {});
    return n;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Resolves once a rewrite that started after this call has finished. */
  #persist(): Promise<void> {
    this.#next ??= this.#writing
      .catch(() => {})
      .then(() => {
        this.#next = null;
        const data = JSON.stringify(Object.fromEntries(this.#entries));
        this.#writing = writeFileAtomicAsync(this.#dir, FILE, data);
        return this.#writing;
      });
    return this.#next;
  }

  /** Resolves once every rewrite asked for so far has finished (for shutdown). */
  async flushed(): Promise<void> {
    await (this.#next ?? this.#writing).catch(() => {});
  }
}
