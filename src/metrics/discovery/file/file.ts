/**
 * @module
 * The `file_sd_configs` discoverer. It scans its patterns' directories, reads every matching
 * file and reports each file's groups; it rescans when a watched directory changes and every
 * `refresh_interval`, because change notices can be missed (network file systems, a directory
 * created after start). A file that cannot be read or parsed keeps the groups it had, so a
 * half-written file never drops targets; a file that is gone loses its groups.
 */

import { watch, type FSWatcher } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Logger } from '../../../lib/log/logger.js';
import type { Discoverer, TargetGroup } from '../interface.js';
import { aborted } from '../static/static.js';
import { compileNameGlob } from '../../../lib/fs/path-glob.js';
import { fileSDMetrics, type FileSDMetrics } from './metrics.js';
import { readTargetGroups } from './read.js';

/**
 * A burst of change notices (an editor writes, truncates and renames) becomes one scan this
 * long after the first; short enough that a change shows within a blink, long enough that most
 * multi-step writes have finished.
 */
const SETTLE_MS = 50;

export interface FileDiscovererOptions {
  /** Absolute paths; the last element may be a pattern (`compileNameGlob`, lib/fs/path-glob.ts). */
  readonly files: readonly string[];
  /** Rescan period in ms. */
  readonly refreshInterval: number;
  readonly log: Logger;
  /** Shared by all file discoverers of a registry; see {@link fileSDMetrics}. */
  readonly metrics?: FileSDMetrics;
}

interface Pattern {
  readonly dir: string;
  readonly name: RegExp;
}

/** What was last reported for one file. */
interface Reported {
  /** Groups reported, so that sources past a shrunk file's end can be emptied. */
  readonly count: number;
  /** The groups as JSON, to skip reporting a file that did not change. */
  readonly json: string;
}

export class FileDiscoverer implements Discoverer {
  readonly #patterns: readonly Pattern[];
  readonly #refreshInterval: number;
  readonly #log: Logger;
  readonly #metrics: FileSDMetrics;

  /**
   * @throws {Error} when a pattern is invalid (the configuration schema rejects those first).
   * @example
   * const d = new FileDiscoverer({ files: ['/etc/vigil/sd/*.yml'], refreshInterval: 300_000, log });
   */
  constructor(opts: FileDiscovererOptions) {
    this.#patterns = opts.files.map((f) => {
      const name = compileNameGlob(basename(f));
      if (typeof name === 'string') throw new Error(`cannot use file pattern: ${name}`);
      return { dir: dirname(f), name };
    });
    this.#refreshInterval = opts.refreshInterval;
    this.#log = opts.log;
    this.#metrics = opts.metrics ?? fileSDMetrics();
  }

  /**
   * Reports after the first scan (every file's groups, possibly none), then only files whose
   * groups changed; a file's vanished groups are reported empty. Scans never overlap. Resolves
   * once `signal` has aborted and a scan in progress has finished.
   */
  async run(update: (groups: TargetGroup[]) => void, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return;
    const reported = new Map<string, Reported>();
    let first = true;
    const loop = new ScanLoop(
      this.#patterns,
      this.#refreshInterval,
      this.#log,
      signal,
      async () => {
        await scanFiles(this.#patterns, this.#log, this.#metrics, reported, first, update);
        first = false;
      },
    );
    loop.start();
    await aborted(signal);
    await loop.close();
  }
}

/**
 * Runs `scan` now, a settle time after each change notice, and `refreshInterval` after the
 * last scan; one at a time, a notice during a scan making another follow it.
 */
class ScanLoop {
  readonly #dirs: readonly string[];
  readonly #refreshInterval: number;
  readonly #log: Logger;
  readonly #signal: AbortSignal;
  readonly #scan: () => Promise<void>;
  readonly #watchers = new Map<string, FSWatcher>();
  #timer: NodeJS.Timeout | undefined;
  #due = Infinity;
  #running: Promise<void> | undefined;
  #again = false;

  constructor(
    patterns: readonly Pattern[],
    refreshInterval: number,
    log: Logger,
    signal: AbortSignal,
    scan: () => Promise<void>,
  ) {
    this.#dirs = [...new Set(patterns.map((p) => p.dir))];
    this.#refreshInterval = refreshInterval;
    this.#log = log;
    this.#signal = signal;
    this.#scan = scan;
  }

  start(): void {
    this.#schedule(0);
  }

  async close(): Promise<void> {
    clearTimeout(this.#timer);
    for (const w of this.#watchers.values()) w.close();
    this.#watchers.clear();
    await this.#running;
  }

  #schedule(delay: number): void {
    if (this.#signal.aborted) return;
    if (this.#running !== undefined) {
      this.#again = true;
      return;
    }
    const due = performance.now() + delay;
    if (this.#timer !== undefined && this.#due <= due) return;
    clearTimeout(this.#timer);
    this.#due = due;
    this.#timer = setTimeout(() => this.#tick(), delay);
  }

  #tick(): void {
    this.#timer = undefined;
    this.#due = Infinity;
    this.#running = (async () => {
      do {
        this.#again = false;
        this.#watchDirs();
        await this.#scan();
      } while (this.#again && !this.#signal.aborted);
    })()
      .catch((err: unknown) => this.#log.error('cannot scan files for target groups', { err }))
      .finally(() => {
        this.#running = undefined;
        this.#schedule(this.#refreshInterval);
      });
  }

  /** Watches directories not yet watched: at start, and again for those that were missing. */
  #watchDirs(): void {
    for (const dir of this.#dirs) {
      if (this.#watchers.has(dir)) continue;
      try {
        const w = watch(dir, { persistent: false }, () => this.#schedule(SETTLE_MS));
        // A watched directory that is removed ends its watch; the next scan tries again.
        w.on('error', () => {
          w.close();
          if (this.#watchers.get(dir) === w) this.#watchers.delete(dir);
          this.#schedule(SETTLE_MS);
        });
        this.#watchers.set(dir, w);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
          this.#log.warn('cannot watch directory; relying on refresh_interval', { dir, err });
        }
      }
    }
  }
}

/** Paths matching any pattern, sorted so that reports come in a stable order. */
async function listFiles(patterns: readonly Pattern[], log: Logger): Promise<string[]> {
  const found = new Set<string>();
  for (const { dir, name } of patterns) {
    let entries: string[];
    try {
      entries = await readdir(dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        log.error('cannot list directory', { dir, err });
      }
      continue;
    }
    for (const e of entries) if (name.test(e)) found.add(join(dir, e));
  }
  return [...found].sort();
}

/**
 * Reads every matching file and reports what changed since `reported`, which it updates. The
 * `first` scan reports even when it found nothing, as the Discoverer contract asks.
 */
async function scanFiles(
  patterns: readonly Pattern[],
  log: Logger,
  metrics: FileSDMetrics,
  reported: Map<string, Reported>,
  first: boolean,
  update: (groups: TargetGroup[]) => void,
): Promise<void> {
  const start = performance.now();
  const changed: TargetGroup[] = [];
  const seen = new Set<string>();
  for (const path of await listFiles(patterns, log)) {
    let groups: TargetGroup[];
    try {
      groups = await readTargetGroups(path);
    } catch (err) {
      // Removed between listing and reading: handled below like any other vanished file.
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      seen.add(path);
      metrics.readErrors.inc();
      log.error('cannot read target groups; keeping the previous ones', { file: path, err });
      continue;
    }
    seen.add(path);
    const json = JSON.stringify(groups);
    const before = reported.get(path);
    if (before?.json === json) continue;
    changed.push(...groups, ...emptied(path, groups.length, before?.count ?? 0));
    reported.set(path, { count: groups.length, json });
  }
  for (const [path, before] of reported) {
    if (seen.has(path)) continue;
    changed.push(...emptied(path, 0, before.count));
    reported.delete(path);
  }
  metrics.scanDuration.observe((performance.now() - start) / 1000);
  if (first || changed.length > 0) update(changed);
}

/** Empty groups for a file's sources from `from` up to `to`, which are no longer there. */
function emptied(path: string, from: number, to: number): TargetGroup[] {
  const out: TargetGroup[] = [];
  for (let i = from; i < to; i++) out.push({ source: `${path}:${i}`, targets: [], labels: {} });
  return out;
}
