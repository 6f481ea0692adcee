/**
 * @module
 * The TSDB as a whole: persisted blocks, the head, and the WAL under one directory laid out as
 * Prometheus' `--storage.tsdb.path` (`wal/`, `<ULID>/` blocks), so either program can open the
 * other's directory. Opening loads the blocks (skipping corrupt ones with an error each) and
 * replays the WAL into the head. {@link Tsdb.compact} — run every minute by {@link Tsdb.start} —
 * cuts the head into blocks, truncates and checkpoints the WAL, merges blocks into longer ones
 * (leveled, as Prometheus does: `compact/plan.ts`), and applies retention. Writing and merging
 * blocks runs in a worker thread (`compact/compaction-worker.ts`), so appends and queries go on
 * meanwhile; the blocks a querier reads stay open until it is closed, even when a merge or
 * retention retires them (`compact/served-blocks.ts`).
 */

import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Logger } from '../../lib/log/logger.js';
import type { Matcher } from '../model/matcher.js';
import { MergeQuerier } from '../storage/merge.js';
import type {
  Appendable,
  Appender,
  Querier,
  Queryable,
  SelectHints,
  SeriesSet,
} from '../storage/interface.js';
import type { Block } from './block/read-block.js';
import { openBlock } from './block/read-block.js';
import { isUlid, newUlid } from './block/ulid.js';
import { TMP_FOR_CREATION_SUFFIX } from './block/write-block.js';
import { CompactionWorker } from './compact/compaction-worker.js';
import { snapshotHeadRange } from './compact/head-to-block.js';
import { blockRanges, planCompaction } from './compact/plan.js';
import { applyRetention } from './compact/retention.js';
import { type BlockLease, ServedBlocks, TMP_FOR_DELETION_SUFFIX } from './compact/served-blocks.js';
import { DEFAULT_BLOCK_RANGE, Head } from './head/head.js';
import { replayWal, WalHeadLog, type ReplayResult, type WalSyncPolicy } from './head/head-wal.js';
import { BlockQuerier } from './querier/block-querier.js';
import { WalFeed } from './feed.js';
import { checkpoint } from './wal/checkpoint.js';
import { listCheckpoints, listSegments } from './wal/layout.js';
import { WalStats } from './wal/stats.js';
import { Wal } from './wal/wal.js';

/** How long a head cut waits for transactions that appended into its range to end. */
const PENDING_APPEND_WAIT_MS = 10_000;
/**
 * How long truncating the head waits for queriers over the cut range to close: queriers
 * taken before the cut do not see the new block. The default PromQL timeout is 2 minutes.
 */
const OPEN_QUERIER_WAIT_MS = 120_000;

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
  /** Blocks cut from the head. */
  compactions: number;
  /** Blocks written by merging blocks. */
  merges: number;
  /** Head cuts and merges that failed. */
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
    merges: 0,
    compactionFailures: 0,
    blocksDeleted: 0,
    walRepairs: 0,
    checkpoints: 0,
    replay: null,
  };
  readonly corruptBlocks: CorruptBlock[] = [];
  /** Every committed sample in order, from the WAL: what remote write sends. */
  readonly feed: WalFeed;
  readonly #options: Required<Omit<TsdbOptions, 'logger'>>;
  readonly #log: Logger | undefined;
  readonly #served: ServedBlocks;
  /** Level ranges for merging blocks, from the block duration and the retention. */
  readonly #ranges: number[];
  /**
   * Parents of merges that failed, left out of later plans so that a merge that cannot work
   * (a corrupt chunk) is not retried every minute. Not persisted, unlike Prometheus' `failed`
   * flag in meta.json: a restart retries them, so a passing problem (a full disk) does not
   * keep blocks unmerged forever.
   */
  readonly #failedMerges = new Set<string>();
  readonly #worker = new CompactionWorker();
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
    this.#ranges = blockRanges(this.#options.blockDuration, this.#options.retention);
    mkdirSync(dir, { recursive: true });
    this.#served = new ServedBlocks(this.#openBlocks(), (b, err) =>
      this.#log?.error('cannot delete block', { dir: b.dir, err }),
    );
    this.#dropMergedParents();
    const walDir = join(dir, 'wal');
    mkdirSync(walDir, { recursive: true });
    this.head = new Head({ chunkRange: this.#options.blockDuration });
    for (const b of this.#served.blocks) {
      this.head.minValidTime = Math.max(this.head.minValidTime, b.meta.maxTime);
    }
    this.head.sealedTime = this.head.minValidTime;
    const started = performance.now();
    const replay = replayWal(walDir, this.head, this.walStats);
    this.stats.replay = replay;
    this.#log?.info('WAL replayed', {
      blocks: this.#served.blocks.length,
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
    this.feed = new WalFeed(walDir);
    const walLog = new WalHeadLog(this.#wal, this.#options.walSync);
    this.head.log = {
      log: (newSeries, samples) => {
        walLog.log(newSeries, samples);
        this.feed.notify();
      },
      sync: () => walLog.sync(),
    };
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

  /** Persisted blocks being served, sorted by minTime; valid until the next compaction. */
  get blocks(): readonly Block[] {
    return this.#served.blocks;
  }

  appender(): Appender {
    return this.head.appender();
  }

  /**
   * A querier over the blocks and the head for `[mint, maxt]` (ms, inclusive). The blocks it
   * reads stay open, even if compaction retires them meanwhile, until it is closed: close every
   * querier, or retired blocks are never deleted.
   */
  querier(mint: number, maxt: number): Querier {
    // Block maxTime is exclusive.
    const lease = this.#served.lease((b) => b.meta.minTime <= maxt && b.meta.maxTime > mint);
    const queriers: Querier[] = lease.blocks.map((b) => new BlockQuerier(b, mint, maxt));
    queriers.push(this.head.querier(mint, maxt));
    const warnings = this.corruptBlocks.map((c) => `block ${c.dir} skipped: ${c.error.message}`);
    return new LeasedQuerier(new MergeQuerier(queriers, warnings), lease);
  }

  /** Runs {@link compact} every `intervalMs` until {@link close}. */
  start(intervalMs = 60_000): void {
    this.#timer = setInterval(() => void this.compact(), intervalMs);
    this.#timer.unref();
  }

  /**
   * Cuts every full block range out of the head (while the head spans more than 1.5 ranges, as
   * Prometheus does, so recent data stays in memory for late samples), checkpoints the WAL,
   * merges blocks as {@link planCompaction} plans, and applies retention. Blocks are written in
   * a worker thread; a failed job is counted in `stats.compactionFailures` and logged, and
   * leaves the data where it was. Concurrent calls share one run; after {@link close} began,
   * calls do nothing.
   */
  compact(): Promise<void> {
    if (this.#closing !== undefined) return this.#compacting ?? Promise.resolve();
    this.#compacting ??= this.#compact().finally(() => (this.#compacting = undefined));
    return this.#compacting;
  }

  async #compact(): Promise<void> {
    if (await this.#compactHead()) await this.#truncateWal();
    await this.#mergeBlocks();
    const doomed = applyRetention(
      this.#served.blocks,
      this.#options.retention,
      this.#options.retentionSize,
    );
    if (doomed.length === 0) return;
    this.#served.swap([], doomed);
    this.stats.blocksDeleted += doomed.length;
    for (const b of doomed) this.#log?.info('block deleted by retention', { ulid: b.meta.ulid });
  }

  /** Whether the head spans enough to cut a block out of it. */
  #headCompactable(): boolean {
    return this.head.maxTime - this.head.minTime > (this.#options.blockDuration / 2) * 3;
  }

  /** Cuts blocks out of the head; returns whether any range was cut. */
  async #compactHead(): Promise<boolean> {
    const range = this.#options.blockDuration;
    let cut = false;
    while (this.#closing === undefined && this.#headCompactable()) {
      const mint = Math.floor(this.head.minTime / range) * range;
      const maxt = mint + range;
      // The range takes no more samples from here on, so the snapshot stays what the head holds
      // while the worker writes it; truncate() would close it right after anyway.
      this.head.minValidTime = Math.max(this.head.minValidTime, maxt);
      const started = performance.now();
      // Transactions that appended into the range before it closed commit into the head
      // before the snapshot, or their acknowledged samples would be truncated away.
      if (!(await this.head.waitForPending(PENDING_APPEND_WAIT_MS))) {
        this.#log?.warn(
          'transactions still open after waiting; their samples in the range will be dropped',
          {
            mint,
            maxt,
          },
        );
      }
      this.head.sealedTime = Math.max(this.head.sealedTime, maxt);
      try {
        const snapshot = await snapshotHeadRange(this.head, mint, maxt);
        if (snapshot.numSeries > 0) {
          const ulid = newUlid();
          await this.#worker.run({ kind: 'persist-head', dir: this.dir, ulid, snapshot });
          this.#served.swap([this.#openNew(ulid)], []);
        }
        this.stats.compactions++;
        this.#log?.info('head compacted into a block', {
          mint,
          maxt,
          series: snapshot.numSeries,
          ms: Math.round(performance.now() - started),
        });
      } catch (err) {
        this.stats.compactionFailures++;
        this.#log?.error('cannot compact head', { mint, maxt, err });
        return cut;
      }
      // Opening the block, truncating the head and checkpointing the WAL each hold the main
      // thread for a while; a turn of the event loop between them keeps the stalls apart.
      await nextTurn();
      if (!(await this.head.waitForReaders(mint, maxt, OPEN_QUERIER_WAIT_MS))) {
        this.#log?.warn('queriers still open after waiting; truncating the head under them', {
          mint,
          maxt,
        });
      }
      this.head.truncate(maxt);
      cut = true;
      await nextTurn();
    }
    return cut;
  }

  /** Merges blocks until the plan is empty, the head needs cutting again, or close() begins. */
  async #mergeBlocks(): Promise<void> {
    // Cutting the head frees memory; when it is due again, merges wait for the next run.
    while (this.#closing === undefined && !this.#headCompactable()) {
      const plan = planCompaction(
        this.#served.blocks.map((b) => b.meta),
        this.#ranges,
        this.#failedMerges,
      );
      if (plan.length === 0) return;
      const parents = plan.map((m) => this.#served.blocks.find((b) => b.meta === m)!);
      const ulid = newUlid();
      const started = performance.now();
      try {
        const dirs = parents.map((b) => b.dir);
        const meta = await this.#worker.run({
          kind: 'merge-blocks',
          dir: this.dir,
          ulid,
          parents: dirs,
        });
        this.#served.swap(meta === null ? [] : [this.#openNew(ulid)], parents);
        this.stats.merges++;
        this.#log?.info('blocks merged', {
          ulid: meta === null ? null : ulid,
          compaction_level: meta?.compaction.level,
          mint: meta?.minTime,
          maxt: meta?.maxTime,
          parents: plan.map((m) => m.ulid).join(','),
          ms: Math.round(performance.now() - started),
        });
      } catch (err) {
        this.stats.compactionFailures++;
        for (const m of plan) this.#failedMerges.add(m.ulid);
        this.#log?.error('cannot merge blocks; leaving them unmerged until restart', { err });
      }
    }
  }

  /** Opens a block the worker just wrote; one that does not open is removed again. */
  #openNew(ulid: string): Block {
    const dir = join(this.dir, ulid);
    try {
      return openBlock(dir);
    } catch (err) {
      rmSync(dir, { recursive: true, force: true });
      throw err;
    }
  }

  /**
   * Checkpoints the WAL's complete segments, except those a {@link feed} reader holds: their
   * samples have not been sent yet. While a reader holds segments, every Series record is kept,
   * since the held samples may belong to series the head has since dropped.
   */
  async #truncateWal(): Promise<void> {
    const current = this.#wal.nextSegment();
    const held = this.feed.heldSegment();
    const to = Math.min(current, held) - 1;
    const dir = this.#wal.dir;
    if (!listSegments(dir).includes(to) || (listCheckpoints(dir).at(-1)?.index ?? -1) >= to) {
      return;
    }
    try {
      await checkpoint(dir, {
        toSegment: to,
        keepSeries: (ref) => held < current || this.head.series(ref) !== undefined,
        minTime: this.head.minValidTime,
      });
      this.stats.checkpoints++;
    } catch (err) {
      this.#log?.error('cannot checkpoint WAL', { err });
    }
  }

  /**
   * Opens the blocks in the directory, skipping corrupt ones, and removes what crashes left
   * half-written or half-deleted.
   */
  #openBlocks(): Block[] {
    const blocks: Block[] = [];
    for (const name of readdirSync(this.dir)) {
      const path = join(this.dir, name);
      if (name.endsWith(TMP_FOR_CREATION_SUFFIX) || name.endsWith(TMP_FOR_DELETION_SUFFIX)) {
        // A block write interrupted by a crash (its source data is still in the WAL or its
        // parents), or a deletion.
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
    return blocks;
  }

  /**
   * Deletes blocks that a served block lists as its parents: a crash came between writing a
   * merged block and deleting what it was merged from. Serving both would count their samples
   * twice in every later merge and make every query deduplicate them.
   */
  #dropMergedParents(): void {
    const blocks = this.#served.blocks;
    const merged = new Set(
      blocks.flatMap((b) => (b.meta.compaction.parents ?? []).map((p) => p.ulid)),
    );
    const doomed = blocks.filter((b) => merged.has(b.meta.ulid));
    if (doomed.length === 0) return;
    this.#served.swap([], doomed);
    for (const b of doomed) {
      this.#log?.info('deleted block already merged into another', { ulid: b.meta.ulid });
    }
  }

  /** Stops compaction, flushes and closes the WAL and the blocks; later calls do nothing more. */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    clearInterval(this.#timer);
    await this.#compacting;
    await this.#worker.close();
    await this.#wal.close();
    this.#served.closeAll();
  }
}

/** A querier that gives its blocks back when closed. */
class LeasedQuerier implements Querier {
  readonly #inner: Querier;
  readonly #lease: BlockLease;

  constructor(inner: Querier, lease: BlockLease) {
    this.#inner = inner;
    this.#lease = lease;
  }

  select(matchers: readonly Matcher[], hints?: SelectHints): SeriesSet {
    return this.#inner.select(matchers, hints);
  }

  labelNames(matchers?: readonly Matcher[]): string[] {
    return this.#inner.labelNames(matchers);
  }

  labelValues(name: string, matchers?: readonly Matcher[]): string[] {
    return this.#inner.labelValues(name, matchers);
  }

  close(): void {
    this.#inner.close();
    this.#lease.release();
  }
}
