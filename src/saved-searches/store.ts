/**
 * @module
 * Where saved searches live: one JSON file, `<dir>/saved-searches.json`, holding all of them and
 * replaced atomically on each change (temp file, fsync, rename, fsync of the folder), so a crash
 * leaves the old or the new list, never half of one. A server holds a few hundred at most, a few
 * hundred bytes each: rewriting the whole file is cheaper than reasoning about partial updates.
 *
 * Methods are synchronous, as in the dashboard store: a change is durable before the API answers
 * and two changes cannot interleave.
 */

import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../lib/fs/fsync.js';
import { parseSavedSearch, type SavedSearch, type SavedSearchInput } from './model.js';

const FILE = 'saved-searches.json';
/** Saved searches kept at most, so a script in a loop cannot fill the disk. */
const MAX_SEARCHES = 10_000;

/** What a change cannot do; `kind` maps to an HTTP status in the API. */
export class SavedSearchStoreError extends Error {
  override name = 'SavedSearchStoreError';
  constructor(
    readonly kind: 'not_found' | 'exists' | 'full',
    message: string,
  ) {
    super(message);
  }
}

interface FileShape {
  version: 1;
  searches: SavedSearch[];
}

/** Names compare without case and surrounding space: "Errors" and "errors " are one name. */
const key = (name: string) => name.trim().toLowerCase();

export class SavedSearchStore {
  readonly #dir: string;
  readonly #byId = new Map<string, SavedSearch>();
  readonly #clock: () => number;

  private constructor(dir: string, clock: () => number) {
    this.#dir = dir;
    this.#clock = clock;
  }

  /**
   * Opens (creating) `dir` and loads the saved searches.
   *
   * @throws Error when the file exists and cannot be read: starting empty would lose every
   *   saved search at the next save.
   * @example
   * const store = SavedSearchStore.open(dataDir);
   */
  static open(dir: string, options: { clock?: () => number } = {}): SavedSearchStore {
    mkdirSync(dir, { recursive: true });
    const store = new SavedSearchStore(dir, options.clock ?? Date.now);
    const path = join(dir, FILE);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return store;
      throw new Error(`cannot read ${path}: ${(err as Error).message}`, { cause: err });
    }
    try {
      const file = JSON.parse(text) as FileShape;
      if (file.version !== 1 || !Array.isArray(file.searches)) throw new Error('not version 1');
      for (const s of file.searches) {
        store.#byId.set(s.id, { ...s, ...parseSavedSearch(s) });
      }
    } catch (err) {
      throw new Error(`cannot read ${path}: ${(err as Error).message}`, { cause: err });
    }
    return store;
  }

  /** Every saved search, sorted by name. */
  list(): SavedSearch[] {
    return [...this.#byId.values()].sort((a, b) => a.name.localeCompare(b.name, 'en'));
  }

  get(id: string): SavedSearch | undefined {
    return this.#byId.get(id);
  }

  /**
   * @throws SavedSearchStoreError `exists` when another saved search has the name, `full`
   */
  create(input: SavedSearchInput, owner: string | null): SavedSearch {
    this.#nameFree(input.name, undefined);
    if (this.#byId.size >= MAX_SEARCHES) {
      throw new SavedSearchStoreError('full', `cannot save more than ${MAX_SEARCHES} searches`);
    }
    const now = this.#clock();
    const saved: SavedSearch = {
      ...input,
      id: randomBytes(9).toString('base64url'),
      owner,
      created: now,
      updated: now,
    };
    this.#byId.set(saved.id, saved);
    this.#persist();
    return saved;
  }

  /** @throws SavedSearchStoreError `not_found`, or `exists` when another one has the name */
  update(id: string, input: SavedSearchInput, owner: string | null): SavedSearch {
    const old = this.#find(id);
    this.#nameFree(input.name, id);
    const saved: SavedSearch = {
      ...input,
      id,
      owner,
      created: old.created,
      updated: this.#clock(),
    };
    this.#byId.set(id, saved);
    this.#persist();
    return saved;
  }

  /** @throws SavedSearchStoreError `not_found` */
  delete(id: string): SavedSearch {
    const old = this.#find(id);
    this.#byId.delete(id);
    this.#persist();
    return old;
  }

  #find(id: string): SavedSearch {
    const found = this.#byId.get(id);
    if (found === undefined) {
      throw new SavedSearchStoreError('not_found', `saved search "${id}" not found`);
    }
    return found;
  }

  #nameFree(name: string, except: string | undefined): void {
    for (const s of this.#byId.values()) {
      if (s.id !== except && key(s.name) === key(name)) {
        throw new SavedSearchStoreError(
          'exists',
          `a saved search named "${s.name}" exists (id ${s.id})`,
        );
      }
    }
  }

  #persist(): void {
    const file: FileShape = { version: 1, searches: [...this.#byId.values()] };
    writeFileAtomic(this.#dir, FILE, `${JSON.stringify(file, null, 2)}\n`);
  }
}
