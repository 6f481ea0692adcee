/**
 * @module
 * The position database: for each file identity (`identity.ts`), the byte offset reading resumes
 * at and the path it was last seen under. It lives in one JSON file, replaced atomically, so a
 * crash leaves the previous complete version.
 *
 * Callers move an offset only past records every buffer has accepted, and write a
 * {@link PositionDb.snapshot} only after the buffers' fdatasync; so a saved offset never points past a record that is not on
 * disk in a buffer.
 */

import { readFileSync } from 'node:fs';
import { dirname, basename } from 'node:path';
import { writeFileAtomic } from '../../../../lib/fs/fsync.js';

/** What the database keeps per file. */
export interface PositionEntry {
  /** Where the file was last seen; used to look for it after a rotation while the agent was down. */
  path: string;
  /** Byte offset the next read starts at. */
  offset: number;
}

const VERSION = 1;

export class PositionDb {
  /** null for a database kept only in memory (`--dry-run`). */
  readonly #file: string | null;
  readonly #entries = new Map<string, PositionEntry>();
  #dirty = false;

  /**
   * Opens the database at `file`, empty when the file does not exist.
   *
   * @throws {Error} when the file exists but cannot be read or parsed: starting over would
   *   re-send or skip every file, so the operator has to decide.
   * @example
   * const db = PositionDb.open('/var/lib/vigil-agent/positions.json');
   */
  static open(file: string): PositionDb {
    const db = new PositionDb(file);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return db;
      throw new Error(`cannot read position database ${file}`, { cause: err });
    }
    let parsed: { version?: number; files?: Record<string, PositionEntry> };
    try {
      parsed = JSON.parse(text) as typeof parsed;
    } catch (err) {
      throw new Error(`cannot parse position database ${file}`, { cause: err });
    }
    if (parsed.version !== VERSION || typeof parsed.files !== 'object' || parsed.files === null) {
      throw new Error(`cannot read position database ${file}: unknown version ${parsed.version}`);
    }
    for (const [key, e] of Object.entries(parsed.files)) {
      if (typeof e?.path === 'string' && Number.isSafeInteger(e.offset) && e.offset >= 0) {
        db.#entries.set(key, { path: e.path, offset: e.offset });
      }
    }
    return db;
  }

  /**
   * A database that is never written, for runs that must not move positions.
   *
   * @example
   * const db = PositionDb.inMemory();
   */
  static inMemory(): PositionDb {
    return new PositionDb(null);
  }

  private constructor(file: string | null) {
    this.#file = file;
  }

  get size(): number {
    return this.#entries.size;
  }

  get(key: string): PositionEntry | undefined {
    return this.#entries.get(key);
  }

  /** Every entry, for finding files that moved while the agent was down. */
  entries(): IterableIterator<[string, PositionEntry]> {
    return this.#entries.entries();
  }

  set(key: string, path: string, offset: number): void {
    const e = this.#entries.get(key);
    if (e !== undefined && e.path === path && e.offset === offset) return;
    this.#entries.set(key, { path, offset });
    this.#dirty = true;
  }

  delete(key: string): void {
    if (this.#entries.delete(key)) this.#dirty = true;
  }

  /**
   * The database as it is now, or null if it has not changed since the last snapshot. Taken
   * before the buffers' fsync, so what is written afterwards never points past synced records.
   */
  snapshot(): string | null {
    if (!this.#dirty) return null;
    this.#dirty = false;
    const files: Record<string, PositionEntry> = {};
    for (const [k, e] of this.#entries) files[k] = { path: e.path, offset: e.offset };
    return JSON.stringify({ version: VERSION, files });
  }

  /** Replaces the file with a snapshot: temp file, fsync, rename. */
  write(snapshot: string): void {
    if (this.#file === null) return;
    try {
      writeFileAtomic(dirname(this.#file), basename(this.#file), snapshot);
    } catch (err) {
      this.#dirty = true;
      throw new Error(`cannot write position database ${this.#file}`, { cause: err });
    }
  }
}
