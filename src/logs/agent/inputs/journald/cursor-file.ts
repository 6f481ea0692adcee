/**
 * @module
 * The journald input's checkpoint: the cursor of the last entry every buffer has taken, in one
 * JSON file replaced atomically (`{"version":1,"cursor":"s=…"}`). The input writes it only after
 * the buffers' fdatasync, so a saved cursor never points past an entry not on disk in a buffer.
 */

import { readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { writeFileAtomic } from '../../../../lib/fs/fsync.js';

const VERSION = 1;

export class CursorFile {
  /** null for a checkpoint kept only in memory (`--dry-run`). */
  readonly #file: string | null;
  #saved: string | null;

  /**
   * Opens the checkpoint at `file`; its cursor is null when the file does not exist.
   *
   * @throws {Error} when the file exists but cannot be read or parsed: starting over would
   *   re-send or skip the journal, so the operator has to decide.
   * @example
   * const cursor = CursorFile.open('/var/lib/vigil-agent/positions/journal.json').cursor;
   */
  static open(file: string): CursorFile {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new CursorFile(file, null);
      throw new Error(`cannot read journal cursor file ${file}`, { cause: err });
    }
    let parsed: { version?: unknown; cursor?: unknown };
    try {
      parsed = JSON.parse(text) as typeof parsed;
    } catch (err) {
      throw new Error(`cannot parse journal cursor file ${file}`, { cause: err });
    }
    if (parsed.version !== VERSION || typeof parsed.cursor !== 'string') {
      throw new Error(`cannot read journal cursor file ${file}: unknown version or no cursor`);
    }
    return new CursorFile(file, parsed.cursor);
  }

  /** A checkpoint never written, for runs that must not move positions. */
  static inMemory(): CursorFile {
    return new CursorFile(null, null);
  }

  private constructor(file: string | null, cursor: string | null) {
    this.#file = file;
    this.#saved = cursor;
  }

  /** The cursor last saved (or read at open); null before the first entry was ever taken. */
  get cursor(): string | null {
    return this.#saved;
  }

  /** Replaces the file's cursor: temp file, fsync, rename. */
  save(cursor: string): void {
    if (cursor === this.#saved) return;
    if (this.#file !== null) {
      try {
        writeFileAtomic(
          dirname(this.#file),
          basename(this.#file),
          JSON.stringify({ version: VERSION, cursor }),
        );
      } catch (err) {
        throw new Error(`cannot write journal cursor file ${this.#file}`, { cause: err });
      }
    }
    this.#saved = cursor;
  }
}
