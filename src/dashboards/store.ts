/**
 * @module
 * Where dashboards live. Saved dashboards are one JSON file each, `<dir>/<uid>.json`, replaced
 * atomically (temp file, fsync, rename, fsync of the folder), so a crash leaves the old or the
 * new version, never half of one. Provisioned dashboards (Vigil's built-in ones and those read
 * from the provisioning folder at start) are held in memory and are read-only: their source is
 * the file, and a save through the API would be lost at the next start.
 *
 * Methods are synchronous: a document is a few kilobytes and a save must be durable before the
 * API answers, so there is nothing to overlap and no interleaving of two saves to reason about.
 */

import { mkdirSync, readdirSync, readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fsyncPath, writeFileAtomic } from '../lib/fs/fsync.js';
import { type Dashboard, isValidUid, parseDashboard } from './model.js';

/** Where a dashboard comes from. */
export interface DashboardMeta {
  /** Set for read-only dashboards: `builtin` or the provisioning file's path. */
  provisioned: string | null;
  /** ms since the epoch. */
  created: number;
  updated: number;
}

export interface StoredDashboard {
  dashboard: Dashboard;
  meta: DashboardMeta;
}

/** What a save or delete cannot do; `kind` maps to an HTTP status in the API. */
export class DashboardStoreError extends Error {
  override name = 'DashboardStoreError';
  constructor(
    readonly kind: 'not_found' | 'exists' | 'read_only' | 'version_mismatch',
    message: string,
  ) {
    super(message);
  }
}

interface FileShape {
  dashboard: unknown;
  created: number;
  updated: number;
}

export class DashboardStore {
  readonly #dir: string;
  readonly #saved = new Map<string, StoredDashboard>();
  readonly #provisioned = new Map<string, StoredDashboard>();
  readonly #clock: () => number;

  private constructor(dir: string, clock: () => number) {
    this.#dir = dir;
    this.#clock = clock;
  }

  /**
   * Opens (creating) `dir` and loads every saved dashboard. A file that does not parse is
   * reported through `onBadFile` and skipped, so one damaged file does not hide the others.
   *
   * @example
   * const store = DashboardStore.open(join(dataDir, 'dashboards'));
   */
  static open(
    dir: string,
    options: { clock?: () => number; onBadFile?: (file: string, err: Error) => void } = {},
  ): DashboardStore {
    mkdirSync(dir, { recursive: true });
    const store = new DashboardStore(dir, options.clock ?? Date.now);
    for (const name of readdirSync(dir)) {
      if (!name.endsWith('.json')) continue;
      const file = join(dir, name);
      try {
        const raw = JSON.parse(readFileSync(file, 'utf8')) as FileShape;
        const dashboard = parseDashboard(raw.dashboard);
        store.#saved.set(dashboard.uid, {
          dashboard,
          meta: { provisioned: null, created: raw.created, updated: raw.updated },
        });
      } catch (err) {
        options.onBadFile?.(file, err as Error);
      }
    }
    return store;
  }

  /**
   * Adds a read-only dashboard. A later one with the same uid replaces an earlier one, so a
   * provisioning file can override a built-in dashboard; a saved one with its uid stays hidden.
   */
  provision(dashboard: Dashboard, source: string): void {
    const now = this.#clock();
    this.#provisioned.set(dashboard.uid, {
      dashboard,
      meta: { provisioned: source, created: now, updated: now },
    });
  }

  /** Every dashboard, provisioned ones first where a uid is both, sorted by title. */
  list(): StoredDashboard[] {
    const all = new Map(this.#saved);
    for (const [uid, d] of this.#provisioned) all.set(uid, d);
    return [...all.values()].sort((a, b) =>
      a.dashboard.title.localeCompare(b.dashboard.title, 'en'),
    );
  }

  get(uid: string): StoredDashboard | undefined {
    return this.#provisioned.get(uid) ?? this.#saved.get(uid);
  }

  /**
   * Saves a new dashboard (version 1).
   *
   * @throws DashboardStoreError `exists` when the uid is taken
   */
  create(dashboard: Dashboard): StoredDashboard {
    if (this.get(dashboard.uid) !== undefined) {
      throw new DashboardStoreError('exists', `a dashboard with uid "${dashboard.uid}" exists`);
    }
    const now = this.#clock();
    return this.#write({ ...dashboard, version: 1 }, now, now);
  }

  /**
   * Replaces a saved dashboard. When `dashboard.version` is not 0 it must equal the stored
   * version (someone else saved in between otherwise); the stored version then goes up by one.
   *
   * @throws DashboardStoreError `not_found`, `read_only` or `version_mismatch`
   */
  update(uid: string, dashboard: Dashboard): StoredDashboard {
    const old = this.#writable(uid);
    if (dashboard.uid !== uid) {
      throw new DashboardStoreError('exists', `uid "${dashboard.uid}" in the body is not "${uid}"`);
    }
    const stored = old.dashboard.version;
    if (dashboard.version !== 0 && dashboard.version !== stored) {
      throw new DashboardStoreError(
        'version_mismatch',
        `dashboard "${uid}" was changed by someone else: version ${dashboard.version} was sent, ` +
          `${stored} is stored`,
      );
    }
    return this.#write({ ...dashboard, version: stored + 1 }, old.meta.created, this.#clock());
  }

  /** @throws DashboardStoreError `not_found` or `read_only` */
  delete(uid: string): void {
    this.#writable(uid);
    unlinkSync(this.#file(uid));
    fsyncPath(this.#dir);
    this.#saved.delete(uid);
  }

  #writable(uid: string): StoredDashboard {
    const found = this.get(uid);
    if (found === undefined) {
      throw new DashboardStoreError('not_found', `dashboard "${uid}" not found`);
    }
    if (found.meta.provisioned !== null) {
      throw new DashboardStoreError(
        'read_only',
        `dashboard "${uid}" is provisioned from ${found.meta.provisioned} and cannot be changed ` +
          'through the API; save a copy under another uid',
      );
    }
    return found;
  }

  #file(uid: string): string {
    // Validated uids only: they are file names.
    if (!isValidUid(uid)) throw new Error(`cannot use "${uid}" as a file name`);
    return join(this.#dir, `${uid}.json`);
  }

  #write(dashboard: Dashboard, created: number, updated: number): StoredDashboard {
    this.#file(dashboard.uid);
    const file: FileShape = { dashboard, created, updated };
    writeFileAtomic(this.#dir, `${dashboard.uid}.json`, `${JSON.stringify(file, null, 2)}\n`);
    const stored = { dashboard, meta: { provisioned: null, created, updated } };
    this.#saved.set(dashboard.uid, stored);
    return stored;
  }
}
