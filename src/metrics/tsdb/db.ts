/**
 * @module
 * The TSDB as a whole: persisted blocks, the head, and the WAL under one directory laid out as
 * Prometheus' `--storage.tsdb.path` (`wal/`, `<ULID>/` blocks), so either program can open the
 * other's directory. Opening loads the blocks (skipping corrupt ones with an error each) and
 * replays the WAL into the head. {@link Tsdb.compact} — run every minute by {@link Tsdb.start} —
 * cuts the head into blocks, truncates and checkpoints the WAL, and applies retention.
 */

import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../lib/log/logger.js';
import { MergeQuerier } from '../storage/merge.js';
import type { Appendable, Appender, Querier, Queryable } from '../storage/interface.js';
import type { Block } from './block/read-block.js';
import { openBlock } from './block/read-block.js';
import { isUlid } from './block/ulid.js';
import { TMP_FOR_CREATION_SUFFIX } from './block/write-block.js';
import { persistHeadRange } from './compact/head-to-block.js';
import { applyRetention } from './compact/retention.js';
import { DEFAULT_BLOCK_RANGE, Head } from './head/head.js';
import { replayWal, WalHeadLog, type ReplayResult, type WalSyncPolicy } from './head/head-wal.js';
import { BlockQuerier } from './querier/block-querier.js';
import { checkpoint } from './wal/checkpoint.js';
import { WalStats } from './wal/stats.js';
import { Wal } from './wal/wal.js';

export interface TsdbOptions {
  /** Range of the blocks cut from the head, ms (default 2 h). */
  blockDuration?: number;
  /** Delete blocks whose data is older than this, ms; 0 keeps everything (default 15 d). */
  retention?: number;
  /** Delete the oldest blocks while all blocks take more bytes than this; 0 disables. */
  retentionSize?: number;
  walSync?: WalSyncPolicy;
  walSegmentSize?: number;
  logger?: Logger;
}

/** A block directory that could not be opened, and why; the rest are served. */
export interface CorruptBlock {
  dir: string;
  error: Error;
}

/** Figures for `/metrics` and the TSDB status page, besides the head's own. */
export interface TsdbStats {
  compactions: number;
  compactionFailures: number;
  blocksDeleted: number;
  walRepairs: number;
  checkpoints: number;
  replay: ReplayResult | null;
}

export class Tsdb implements Appendable, Queryable {
  readonly dir: string;
  readonly head: Head;
  readonly walStats = new WalStats();
  readonly stats: TsdbStats = {
    compactions: 0,
    compactionFailures: 0,
    blocksDeleted: 0,
    walRepairs: 0,
    checkpoints: 0,
    replay: null,
  };
  readonly corruptBlocks: CorruptBlock[] = [];
  readonly #options: Required<Omit<TsdbOptions, 'logger'>>;
  readonly #log: Logger | undefined;
  #blocks: Block[] = [];
  #wal: Wal;
  #timer: NodeJS.Timeout | undefined;
  #compacting: Promise<void> | undefined;
  #closing: Promise<void> | undefined;

  private constructor(dir: string, options: TsdbOptions) {
    this.dir = dir;
    this.#log = options.logger;
    this.#options = {
      blockDuration: options.blockDuration ?? DEFAULT_BLOCK_RANGE,
      retention: options.retention ?? 15 * 24 * 3600 * 1000,
      retentionSize: options.retentionSize ?? 0,
      walSync: options.walSync ?? 'write',
      walSegmentSize: options.walSegmentSize ?? 128 * 1024 * 1024,
    };
    mkdirSync(dir, { recursive: true });
    this.#blocks = this.#openBlocks();
    const walDir = join(dir, 'wal');
    mkdirSync(walDir, { recursive: true });
    this.head = new Head({ chunkRange: this.#options.blockDuration });
    this.head.minValidTime = this.#blocks.at(-1)?.meta.maxTime ?? -Infinity;
    const started = performance.now();
    const replay = replayWal(walDir, this.head, this.walStats);
    this.stats.replay = replay;
    this.#log?.info('WAL replayed', {
      blocks: this.#blocks.length,
      series: this.head.numSeries,
      samples: replay.samples,
      skipped_samples: replay.skippedSamples,
      ms: Math.round(performance.now() - started),
    });
    if (replay.repaired !== null) {
      this.stats.walRepairs++;
      this.#log?.warn('WAL had a damaged record; cut at the last good one', { ...replay.repaired });
    }
    // The WAL is opened for writing only after replay: opening starts a new segment.
    this.#wal = Wal.open(walDir, {
      segmentSize: this.#options.walSegmentSize,
      stats: this.walStats,
    });
    this.head.log = new WalHeadLog(this.#wal, this.#options.walSync);
  }

  /**
   * Opens (creating if needed) the TSDB in `dir` and replays its WAL.
   *
   * @example
   * const db = Tsdb.open('/data/metrics', { retention: 15 * 86_400_000 });
   * db.start();
   */
  static open(dir: string, options: TsdbOptions = {}): Tsdb {
    return new Tsdb(dir, options);
  }

  /** Persisted blocks, oldest first. */
  get blocks(): readonly Block[] {
    return this.#blocks;
  }

  appender(): Appender {
    return this.head.appender();
  }

  querier(mint: number, maxt: number): Querier {
    const queriers: Querier[] = [];
    for (const b of this.#blocks) {
      // Block maxTime is exclusive.
      if (b.meta.minTime <= maxt && b.meta.maxTime > mint)
        queriers.push(new BlockQuerier(b, mint, maxt));
    }
    queriers.push(this.head.querier(mint, maxt));
    const warnings = this.corruptBlocks.map((c) => `block ${c.dir} skipped: ${c.error.message}`);
    return new MergeQuerier(queriers, warnings);
  }

  /** Runs {@link compact} every `intervalMs` until {@link close}. */
  start(intervalMs = 60_000): void {
    this.#timer = setInterval(() => void this.compact(), intervalMs);
    this.#timer.unref();
  }

  /**
   * Cuts every full block range out of the head (while the head spans more than 1.5 ranges, as
   * Prometheus does, so recent data stays in memory for late samples), then checkpoints the WAL
   * and applies retention. Concurrent calls share one run.
   */
  compact(): Promise<void> {
    this.#compacting ??= this.#compact().finally(() => (this.#compacting = undefined));
    return this.#compacting;
  }

  async #compact(): Promise<void> {
    const range = this.#options.blockDuration;
    let cut = false;
    while (this.head.maxTime - this.head.minTime > (range / 2) * 3) {
      const mint = Math.floor(this.head.minTime / range) * range;
      const maxt = mint + range;
      try {
        const ulid = persistHeadRange(this.head, this.dir, mint, maxt);
        if (ulid !== null) this.#addBlock(openBlock(join(this.dir, ulid)));
        this.stats.compactions++;
        this.#log?.info('head compacted into a block', { ulid, mint, maxt });
      } catch (err) {
        this.stats.compactionFailures++;
        this.#log?.error('cannot compact head', { mint, maxt, err });
        return;
      }
      this.head.truncate(maxt);
      cut = true;
    }
    if (cut) await this.#truncateWal();
    this.#deleteBlocks(
      applyRetention(this.#blocks, this.#options.retention, this.#options.retentionSize),
    );
  }

  async #truncateWal(): Promise<void> {
    const current = this.#wal.nextSegment();
    try {
      await checkpoint(this.#wal.dir, {
        toSegment: current - 1,
        keepSeries: (ref) => this.head.series(ref) !== undefined,
        minTime: this.head.minValidTime,
      });
      this.stats.checkpoints++;
    } catch (err) {
      this.#log?.error('cannot checkpoint WAL', { err });
    }
  }

  #addBlock(block: Block): void {
    this.#blocks.push(block);
    this.#blocks.sort((a, b) => a.meta.minTime - b.meta.minTime);
  }

  #deleteBlocks(doomed: readonly Block[]): void {
    if (doomed.length === 0) return;
    const set = new Set(doomed);
    this.#blocks = this.#blocks.filter((b) => !set.has(b));
    for (const b of doomed) {
      b.close();
      rmSync(b.dir, { recursive: true, force: true });
      this.stats.blocksDeleted++;
      this.#log?.info('block deleted by retention', { ulid: b.meta.ulid });
    }
  }

  #openBlocks(): Block[] {
    const blocks: Block[] = [];
    for (const name of readdirSync(this.dir)) {
      const path = join(this.dir, name);
      if (name.endsWith(TMP_FOR_CREATION_SUFFIX)) {
        // A block write interrupted by a crash; its source data is still in the WAL.
        rmSync(path, { recursive: true, force: true });
        continue;
      }
      if (!isUlid(name) || !statSync(path).isDirectory()) continue;
      try {
        blocks.push(openBlock(path));
      } catch (err) {
        this.corruptBlocks.push({ dir: path, error: err as Error });
        this.#log?.error('cannot open block; skipping it', { dir: path, err });
      }
    }
    return blocks.sort((a, b) => a.meta.minTime - b.meta.minTime);
  }

  /** Stops compaction, flushes and closes the WAL and the blocks; later calls do nothing more. */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    clearInterval(this.#timer);
    await this.#compacting;
    await this.#wal.close();
    for (const b of this.#blocks) b.close();
  }
}
