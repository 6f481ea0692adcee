/**
 * @module
 * The store's file, `<data-dir>/pushgateway/metrics.json`: every group with its families, values
 * as strings (so NaN and ±Inf survive JSON). Each write replaces the whole file atomically (temp
 * file, fsync, rename, fsync of the directory), so after a crash the file is the old state or the
 * new one. Writes are group commits: changes made while a write is in flight go into the next
 * one, and every change's promise resolves once a write that includes it is on disk — which is
 * when the HTTP layer acknowledges the request.
 */

import { mkdirSync, readFileSync } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { fsyncPathAsync } from '../../lib/fs/fsync.js';
import { formatGoFloat } from '../../lib/instrument/numbers.js';
import { parseGoFloat } from '../model/textparse/number.js';
import type { FamilyType, Group, PushedMetric, StoredFamily } from './family.js';
import { groupKey } from './family.js';

export const STORE_FILE = 'metrics.json';
const FORMAT_VERSION = 1;

interface FileMetric {
  labels: [string, string][];
  value: string;
  points: [string, string][];
  sum: string;
  count: string;
}

interface FileFamily {
  name: string;
  help: string | null;
  type: FamilyType;
  pushedAt: number;
  metrics: FileMetric[];
}

interface FileGroup {
  labels: Record<string, string>;
  families: FileFamily[];
}

interface StoreFile {
  version: number;
  groups: FileGroup[];
}

/** Serializes groups for {@link readStoreFile}. */
export function encodeGroups(groups: Iterable<Group>): string {
  const file: StoreFile = { version: FORMAT_VERSION, groups: [] };
  for (const g of groups) {
    file.groups.push({
      labels: { ...g.labels },
      families: [...g.families.values()].map((s) => ({
        name: s.name,
        help: s.family.help,
        type: s.family.type,
        pushedAt: s.pushedAt,
        metrics: s.family.metrics.map((m) => ({
          labels: m.labels.map(([n, v]) => [n, v]),
          value: formatGoFloat(m.value),
          points: m.points.map(([a, b]) => [formatGoFloat(a), formatGoFloat(b)]),
          sum: formatGoFloat(m.sum),
          count: formatGoFloat(m.count),
        })),
      })),
    });
  }
  return JSON.stringify(file);
}

function num(s: string, where: string): number {
  const v = parseGoFloat(s);
  if (v === undefined) throw new Error(`cannot read ${where}: invalid number ${JSON.stringify(s)}`);
  return v;
}

/**
 * The groups stored in `dir`'s file, or none when there is no file yet. Throws on a file it
 * cannot read rather than starting empty and overwriting it on the next push.
 */
export function readStoreFile(dir: string): Group[] {
  const path = join(dir, STORE_FILE);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const file = JSON.parse(text) as StoreFile;
  if (file.version !== FORMAT_VERSION) {
    throw new Error(`cannot read ${path}: unknown format version ${String(file.version)}`);
  }
  return file.groups.map((fg) => {
    const families = new Map<string, StoredFamily>();
    for (const ff of fg.families) {
      const metrics: PushedMetric[] = ff.metrics.map((fm) => ({
        labels: fm.labels,
        value: num(fm.value, path),
        points: fm.points.map(([a, b]) => [num(a, path), num(b, path)]),
        sum: num(fm.sum, path),
        count: num(fm.count, path),
        timestamp: null,
      }));
      families.set(ff.name, {
        name: ff.name,
        pushedAt: ff.pushedAt,
        family: { name: ff.name, help: ff.help, type: ff.type, metrics },
      });
    }
    return { key: groupKey(fg.labels), labels: fg.labels, families };
  });
}

/**
 * Writes a snapshot of the store to `dir` whenever asked, one write at a time, coalescing the
 * requests that arrive during a write into the next.
 */
export class StoreWriter {
  readonly #dir: string;
  readonly #snapshot: () => string;
  /** Resolvers of the requests the next write will satisfy. */
  #waiting: { resolve: () => void; reject: (err: unknown) => void }[] = [];
  #running: Promise<void> | null = null;

  /** `snapshot` is called when a write starts and must return the file's whole text. */
  constructor(dir: string, snapshot: () => string) {
    mkdirSync(dir, { recursive: true });
    this.#dir = dir;
    this.#snapshot = snapshot;
  }

  /** Resolves when a write that started after this call is durable; rejects if it failed. */
  flush(): Promise<void> {
    const done = new Promise<void>((resolve, reject) => this.#waiting.push({ resolve, reject }));
    this.#running ??= this.#loop();
    return done;
  }

  /** Resolves when no write is running or queued. */
  async idle(): Promise<void> {
    while (this.#running !== null) await this.#running;
  }

  async #loop(): Promise<void> {
    // Let the requests of the current turn of the event loop join the first write.
    await new Promise<void>((r) => setImmediate(r));
    while (this.#waiting.length > 0) {
      const batch = this.#waiting;
      this.#waiting = [];
      try {
        await this.#write(this.#snapshot());
        for (const w of batch) w.resolve();
      } catch (err) {
        for (const w of batch) w.reject(err);
      }
    }
    this.#running = null;
  }

  async #write(text: string): Promise<void> {
    const path = join(this.#dir, STORE_FILE);
    const tmp = `${path}.tmp`;
    const fh = await open(tmp, 'w');
    try {
      await fh.writeFile(text);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
    await fsyncPathAsync(this.#dir);
  }
}
