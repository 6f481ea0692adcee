/**
 * @module
 * Where a remote write queue has got to: the feed position up to which the remote has taken
 * every sample, saved in `<dir>/<id>.json` so that a restart resumes there instead of skipping
 * to the newest samples (which is what Prometheus does, losing what was not yet sent). Written
 * to a temporary file and renamed, so a crash leaves the old position or the new one; a lost
 * last save only means a few samples are sent twice.
 */

import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

interface ProgressFile {
  name: string;
  position: string;
  saved: string;
}

export class Progress {
  readonly path: string;
  readonly #name: string;

  /** `name` is the queue's name; the file is named by its hash, so any name is a safe path. */
  constructor(dir: string, name: string) {
    mkdirSync(dir, { recursive: true });
    this.#name = name;
    const id = createHash('sha256').update(name).digest('hex').slice(0, 16);
    this.path = join(dir, `${id}.json`);
  }

  /**
   * The saved position; null when none was saved.
   *
   * @throws {Error} naming the file when it exists but cannot be read or parsed.
   */
  load(): string | null {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new Error(`cannot read ${this.path}: ${(err as Error).message}`, { cause: err });
    }
    let parsed: Partial<ProgressFile>;
    try {
      parsed = JSON.parse(text) as Partial<ProgressFile>;
    } catch (err) {
      throw new Error(`cannot parse ${this.path}: ${(err as Error).message}`, { cause: err });
    }
    if (typeof parsed.position !== 'string') throw new Error(`${this.path}: no position`);
    return parsed.position;
  }

  save(position: string): void {
    const body: ProgressFile = { name: this.#name, position, saved: new Date().toISOString() };
    const tmp = `${this.path}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(body)}\n`);
    renameSync(tmp, this.path);
  }
}
