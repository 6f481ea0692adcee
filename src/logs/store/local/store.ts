/**
 * @module
 * The local log store: one directory, one process (`lock`), implementing {@link LogWriter} and
 * {@link LogSearcher}.
 *
 * ```
 * <dir>/lock, catalog.json, wal/<seq>.wal, indices/<index>/mapping.json,
 * indices/<index>/<YYYY-MM-DD>/<name>.seg
 * ```
 *
 * Write path: validate, dedupe ids, append the batch to the WAL (group commit: concurrent batches
 * share one `fdatasync`), then add it to the memory part, where search sees it at once. The
 * memory part is frozen by size or age; the WAL rotates with it, and a job (in a worker thread)
 * turns the frozen part into one segment per index and day. Each document is walked once, when
 * it enters the memory part: that walk updates the mapping and fills the part's columns, which
 * the flush job takes (copied to the worker) instead of reading the WAL back and parsing and
 * walking every document again. The catalog then lists the segments and the WAL files are
 * dropped. Small segments of a partition are merged in the same worker; retention drops whole
 * partitions.
 *
 * Concurrency: `write`, `search`, `mapping` and `indices` may be called concurrently. The
 * commit loop is the only writer of the WAL and the memory part; freezing happens only between
 * two commits, so a WAL file's documents are exactly one frozen part's.
 */

import { mkdirSync, rmSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { parseTime } from '../../model/timestamp.js';
import { type DirLock, lockDirectory } from '../../../lib/fs/lockfile.js';
import { StoreBusyError } from '../errors.js';
import type {
  FieldMapping,
  IndexInfo,
  LogSearcher,
  LogWriter,
  ResultBlock,
  SearchRequest,
  SearchStats,
  WriteRequest,
  WriteResult,
} from '../interface.js';
import {
  type Catalog,
  indexDir,
  readCatalog,
  readMappings,
  removeOrphans,
  type SegmentEntry,
  segmentPath,
  writeCatalog,
  writeMapping,
} from './catalog.js';
import { IdGenerator } from './ids.js';
import { JobRunner } from './job-runner.js';
import { DEFAULT_FIELD_LIMIT, IndexMapping } from './mapping.js';
import { MemoryPart } from './memory-part.js';
import { planMerge } from './merge-plan.js';
import { invalidIndexName, indexMatcher } from './names.js';
import { planRetention, type RetentionRule } from './retention.js';
import { type Codec, DEFAULT_CODEC } from './segment-format.js';
import { SegmentReader } from './segment-reader.js';
import { indexInfos, mergeMappings } from './store-info.js';
import { searchStore } from './store-search.js';
import { checkDocument } from './write-checks.js';
import { encodeWalRecord, replayWal, type WalDoc, type WalSpans, WalWriter } from './wal.js';

export interface LocalStoreOptions {
  /** Paths indexed per index (default 1000, as Elasticsearch's `total_fields.limit`). */
  readonly fieldLimit?: number;
  /** Freeze the memory part at this many documents (default 200 000). */
  readonly flushDocs?: number;
  /** … or this many bytes of source JSON (default 64 MiB). */
  readonly flushBytes?: number;
  /** … or when its oldest document is this old, ms (default 60 s). */
  readonly flushAgeMs?: number;
  /** Largest source JSON of one document, bytes (default 10 MiB). */
  readonly maxDocBytes?: number;
  /** Frozen parts waiting for their flush before writes get {@link StoreBusyError} (default 4). */
  readonly maxFrozenParts?: number;
  /** `max_docs_scanned` per search (default 100 M). */
  readonly maxDocsScanned?: number;
  /** `query_timeout` in ms (default 30 s). */
  readonly queryTimeoutMs?: number;
  readonly retention?: readonly RetentionRule[];
  /**
   * Compression of new segments but their pages and small sections (default
   * {@link DEFAULT_CODEC}; `PAGE_CODEC`, `sectionCodecFor`).
   */
  readonly codec?: Codec;
  /** Run flushes and merges on the main thread instead of a worker thread. */
  readonly inlineJobs?: boolean;
  /** The clock (tests of retention and age flushes). */
  readonly now?: () => number;
}

/** A live segment. */
interface Live {
  readonly entry: SegmentEntry;
  readonly reader: SegmentReader;
}

interface PendingBatch {
  readonly docs: WalDoc[];
  /** Where each document's id and source are in the round's WAL buffer, once encoded. */
  readonly spans: WalSpans;
  readonly sources: Readonly<Record<string, unknown>>[];
  resolve(): void;
  reject(err: Error): void;
}

/**
 * Opens (creating if needed) the store in `dir`, replaying its WAL.
 *
 * @example
 * const store = await openLocalStore('./data/logs', { fieldLimit: 1000 });
 * await store.write([{ index: 'logs-app', op: 'index', source: { message: 'hello' } }]);
 * await store.close();
 */
export async function openLocalStore(
  dir: string,
  options: LocalStoreOptions = {},
): Promise<LocalLogStore> {
  mkdirSync(dir, { recursive: true });
  const lock = lockDirectory(dir);
  try {
    return new LocalLogStore(dir, lock, options);
  } catch (err) {
    lock.release();
    throw err;
  }
}

/**
 * The store; see the module comment.
 *
 * @example
 * const store = await openLocalStore(dir);
 * await store.search({ indices: ['logs-*'], query: { kind: 'all' }, order: 'desc' }, (b) => b.length < 100);
 */
export class LocalLogStore implements LogWriter, LogSearcher {
  readonly #dir: string;
  readonly #walDir: string;
  readonly #lock: DirLock;
  readonly #opts: Required<Omit<LocalStoreOptions, 'retention'>> & {
    retention: readonly RetentionRule[];
  };
  readonly #ids = new IdGenerator();
  /** Index names already validated: a batch names a handful of indices thousands of times. */
  readonly #validIndices = new Set<string>();
  readonly #mappings = new Map<string, IndexMapping>();
  readonly #savedMapping = new Map<string, number>();
  readonly #runner: JobRunner;
  readonly #wal: WalWriter;
  readonly #catalog: Catalog;
  #live: Live[] = [];
  #memory: MemoryPart;
  readonly #frozen: MemoryPart[] = [];
  #lastFrozenSeq: number;
  readonly #queue: PendingBatch[] = [];
  /** Ids of queued, not yet committed documents, by `index/id`. */
  readonly #pendingIds = new Set<string>();
  #committing: Promise<void> | undefined;
  #freezeRequested = false;
  #jobs: Promise<void> | undefined;
  #failed: Error | undefined;
  #closed = false;
  #closing = false;
  readonly #timer: NodeJS.Timeout;
  /** Why the last flush, merge or retention run failed; cleared by the next that succeeds. */
  jobError: Error | undefined;

  /** Use {@link openLocalStore}. */
  constructor(dir: string, lock: DirLock, options: LocalStoreOptions) {
    this.#dir = dir;
    this.#walDir = join(dir, 'wal');
    this.#lock = lock;
    this.#opts = {
      fieldLimit: options.fieldLimit ?? DEFAULT_FIELD_LIMIT,
      flushDocs: options.flushDocs ?? 200_000,
      flushBytes: options.flushBytes ?? 64 << 20,
      flushAgeMs: options.flushAgeMs ?? 60_000,
      maxDocBytes: options.maxDocBytes ?? 10 << 20,
      maxFrozenParts: options.maxFrozenParts ?? 4,
      maxDocsScanned: options.maxDocsScanned ?? 100_000_000,
      queryTimeoutMs: options.queryTimeoutMs ?? 30_000,
      retention: options.retention ?? [],
      inlineJobs: options.inlineJobs ?? false,
      codec: options.codec ?? DEFAULT_CODEC,
      now: options.now ?? Date.now,
    };
    this.#runner = new JobRunner({ inline: this.#opts.inlineJobs });
    this.#catalog = readCatalog(dir);
    removeOrphans(dir, this.#catalog);
    for (const [index, json] of readMappings(dir)) {
      this.#mappings.set(index, new IndexMapping(this.#opts.fieldLimit, json));
      this.#savedMapping.set(index, 0);
    }
    for (const entry of this.#catalog.segments) {
      this.#live.push({ entry, reader: SegmentReader.open(segmentPath(dir, entry)) });
    }
    this.#memory = new MemoryPart(this.#opts.now());
    mkdirSync(this.#walDir, { recursive: true });
    const flushed = this.#catalog.flushedWal;
    replayWal(this.#walDir, flushed, Infinity, (d) => {
      const json = d.buf.toString('utf8', d.start, d.end);
      const doc = { index: d.index, id: d.id, ms: d.ms, ns: d.ns, json };
      const source = JSON.parse(json) as Record<string, unknown>;
      this.#memory.add(doc, source, d.end - d.start, this.#mapping(d.index));
    });
    this.#wal = new WalWriter(this.#walDir);
    this.#wal.dropThrough(flushed);
    this.#memory.fromSeq = flushed;
    this.#lastFrozenSeq = flushed;
    // Age flushes and retention are checked once a second; the timer never keeps the process up.
    this.#timer = setInterval(() => this.#tick(), 1000);
    this.#timer.unref();
  }

  #mapping(index: string): IndexMapping {
    let m = this.#mappings.get(index);
    if (m === undefined) this.#mappings.set(index, (m = new IndexMapping(this.#opts.fieldLimit)));
    this.#validIndices.add(index);
    return m;
  }

  async write(batch: readonly WriteRequest[]): Promise<WriteResult[]> {
    if (this.#closing) throw new Error(`cannot write documents: store ${this.#dir} closed`);
    if (this.#failed !== undefined) throw this.#failed;
    if (this.#frozen.length >= this.#opts.maxFrozenParts) {
      throw new StoreBusyError(`${this.#frozen.length} memory parts waiting to be flushed`);
    }
    const now = this.#opts.now();
    const results: WriteResult[] = [];
    const docs: WalDoc[] = [];
    const sources: Readonly<Record<string, unknown>>[] = [];
    const added: string[] = [];
    for (const req of batch) {
      const bad = this.#validIndices.has(req.index) ? undefined : invalidIndexName(req.index);
      if (bad !== undefined) {
        results.push({
          status: 'rejected',
          id: req.id,
          type: 'invalid_index_name_exception',
          reason: `Invalid index name [${req.index}], ${bad}`,
        });
        continue;
      }
      const checked = checkDocument(req, this.#opts.maxDocBytes);
      if ('status' in checked) {
        results.push(checked);
        continue;
      }
      const { json } = checked;
      let id = req.id;
      if (id !== undefined) {
        const key = `${req.index}/${id}`;
        if (this.#pendingIds.has(key) || this.#hasId(req.index, id)) {
          results.push({ status: 'exists', id });
          continue;
        }
        this.#pendingIds.add(key);
        added.push(key);
      } else {
        id = this.#ids.next(now);
      }
      const stamp = req.source['@timestamp'];
      const t = parseTime(stamp);
      docs.push({ index: req.index, id, ms: t?.ms ?? now, ns: t?.ns ?? 0, json });
      sources.push(req.source);
      results.push({ status: 'created', id });
    }
    if (docs.length === 0) return results;
    try {
      await new Promise<void>((resolve, reject) => {
        const spans = { idAt: [], idBytes: [], jsonAt: [], jsonBytes: [] };
        this.#queue.push({ docs, spans, sources, resolve, reject });
        this.#committing ??= this.#commitLoop();
      });
    } finally {
      for (const k of added) this.#pendingIds.delete(k);
    }
    return results;
  }

  /** Whether `id` is in `index`: memory parts by map, segments as `SegmentReader.hasId` looks. */
  #hasId(index: string, id: string): boolean {
    if (this.#memory.has(index, id)) return true;
    for (const p of this.#frozen) if (p.has(index, id)) return true;
    for (const s of this.#live) if (s.entry.index === index && s.reader.hasId(id)) return true;
    return false;
  }

  /** Writes queued batches, one WAL write and one sync per round, until the queue is empty. */
  async #commitLoop(): Promise<void> {
    let buf: Buffer = Buffer.allocUnsafe(1 << 20);
    try {
      while (this.#queue.length > 0) {
        const round = this.#queue.splice(0);
        let end = 0;
        for (const b of round) ({ buf, end } = encodeWalRecord(buf, end, b.docs, b.spans));
        try {
          this.#wal.write(buf, end);
          await this.#wal.sync();
        } catch (err) {
          this.#failed = new Error(`cannot write WAL: ${(err as Error).message}`, { cause: err });
          for (const b of round) b.reject(this.#failed);
          for (const b of this.#queue.splice(0)) b.reject(this.#failed);
          return;
        }
        if (this.#memory.docs === 0) this.#memory.firstAt = this.#opts.now();
        for (const b of round) {
          // The documents' one scan, of their bytes in the WAL record: their mappings and the
          // part's columns.
          const { jsonAt, jsonBytes, idAt, idBytes } = b.spans;
          this.#memory.addBatch(b.docs, b.sources, jsonBytes, (index) => this.#mapping(index), {
            buf,
            at: jsonAt,
            idAt,
            idBytes,
          });
          b.resolve();
        }
        const m = this.#memory;
        if (
          this.#freezeRequested ||
          m.docs >= this.#opts.flushDocs ||
          m.rawBytes >= this.#opts.flushBytes
        ) {
          this.#freeze();
        }
      }
    } finally {
      this.#committing = undefined;
    }
  }

  /** Freezes the memory part and rotates the WAL with it; only between commits. */
  #freeze(): void {
    this.#freezeRequested = false;
    if (this.#memory.docs === 0) return;
    const part = this.#memory;
    part.fromSeq = this.#lastFrozenSeq;
    part.toSeq = this.#wal.rotate();
    this.#lastFrozenSeq = part.toSeq;
    this.#frozen.push(part);
    this.#memory = new MemoryPart(this.#opts.now());
    this.#kickJobs();
  }

  /** Asks for a freeze at the next safe point (now, when no commit is running). */
  #requestFreeze(): void {
    if (this.#committing !== undefined) this.#freezeRequested = true;
    else this.#freeze();
  }

  #tick(): void {
    if (this.#memory.docs > 0 && this.#opts.now() - this.#memory.firstAt >= this.#opts.flushAgeMs) {
      this.#requestFreeze();
    }
    this.#kickJobs();
  }

  #kickJobs(): void {
    if (this.#jobs !== undefined || this.#closed) return;
    this.#jobs = this.#runJobs().finally(() => (this.#jobs = undefined));
  }

  /** Flushes frozen parts in order, then merges, then applies retention, until none is due. */
  async #runJobs(): Promise<void> {
    try {
      for (;;) {
        if (this.#closed) return;
        const part = this.#frozen[0];
        if (part !== undefined) {
          await this.#flush(part);
          continue;
        }
        const merge = planMerge(
          this.#live.map((s) => ({ entry: s.entry, docs: s.reader.footer.count })),
        );
        if (merge !== undefined) {
          await this.#merge(merge);
          continue;
        }
        this.applyRetention();
        this.jobError = undefined;
        return;
      }
    } catch (err) {
      // A failed flush leaves its part frozen and searchable and a failed merge leaves its
      // inputs live; the next tick retries. Persistent failure shows as StoreBusyError once
      // maxFrozenParts parts are waiting, and in jobError.
      this.jobError = err as Error;
    }
  }

  async #flush(part: MemoryPart): Promise<void> {
    const unindexed: Record<string, string[]> = {};
    for (const index of part.indices.keys())
      unindexed[index] = [...this.#mapping(index).unindexed()];
    const written = await this.#runner.run({
      kind: 'flush',
      dir: this.#dir,
      toSeq: part.toSeq,
      parts: [...part.indices].map(([index, m]) => m.flushPart(index)),
      unindexed,
      codec: this.#opts.codec,
    });
    this.#saveMappings();
    const readers = written.map((entry) => ({
      entry,
      reader: SegmentReader.open(segmentPath(this.#dir, entry)),
    }));
    this.#catalog.segments.push(...written);
    this.#catalog.flushedWal = part.toSeq;
    writeCatalog(this.#dir, this.#catalog);
    // One synchronous step: searches see either the frozen part or its segments, never both.
    this.#live = [...this.#live, ...readers];
    this.#frozen.shift()!.retire();
    this.#wal.dropThrough(part.toSeq);
  }

  #saveMappings(): void {
    for (const [index, m] of this.#mappings) {
      if (this.#savedMapping.get(index) === m.version) continue;
      writeMapping(this.#dir, index, m.toJSON());
      this.#savedMapping.set(index, m.version);
    }
  }

  async #merge(inputs: SegmentEntry[]): Promise<void> {
    const first = inputs[0]!;
    const output: SegmentEntry = {
      index: first.index,
      day: first.day,
      name: `m${String(this.#catalog.nextMerge++).padStart(10, '0')}`,
    };
    const [entry] = await this.#runner.run({
      kind: 'merge',
      dir: this.#dir,
      inputs,
      output,
      unindexed: [...this.#mapping(first.index).unindexed()],
      codec: this.#opts.codec,
    });
    const gone = new Set(inputs.map((e) => segmentPath(this.#dir, e)));
    this.#catalog.segments = this.#catalog.segments.filter(
      (e) => !gone.has(segmentPath(this.#dir, e)),
    );
    this.#catalog.segments.push(entry!);
    writeCatalog(this.#dir, this.#catalog);
    const reader = SegmentReader.open(segmentPath(this.#dir, entry!));
    this.#drop((s) => gone.has(s.reader.path), [{ entry: entry!, reader }]);
  }

  /** Removes live segments matching `pred` (deleting their files), adding `add`. */
  #drop(pred: (s: Live) => boolean, add: Live[] = []): void {
    const keep: Live[] = [];
    for (const s of this.#live) {
      if (!pred(s)) keep.push(s);
      else {
        unlinkSync(s.reader.path);
        s.reader.release();
      }
    }
    this.#live = [...keep, ...add];
  }

  /**
   * Drops partitions past their index's retention (see `retention.ts`). Runs after flushes and
   * merges; callable directly.
   */
  applyRetention(): void {
    if (this.#opts.retention.length === 0) return;
    const sizes = new Map<string, { index: string; day: string; bytes: number }>();
    for (const s of this.#live) {
      const key = `${s.entry.index}/${s.entry.day}`;
      const p = sizes.get(key) ?? { index: s.entry.index, day: s.entry.day, bytes: 0 };
      p.bytes += s.reader.bytes;
      sizes.set(key, p);
    }
    const drop = planRetention([...sizes.values()], this.#opts.retention, this.#opts.now());
    if (drop.length === 0) return;
    const gone = new Set(drop.map((p) => `${p.index}/${p.day}`));
    this.#catalog.segments = this.#catalog.segments.filter((e) => !gone.has(`${e.index}/${e.day}`));
    writeCatalog(this.#dir, this.#catalog);
    this.#drop((s) => gone.has(`${s.entry.index}/${s.entry.day}`));
    for (const p of drop)
      rmSync(join(indexDir(this.#dir, p.index), p.day), { recursive: true, force: true });
  }

  /**
   * Waits until no flush or merge is running or due, without freezing the memory part: for a
   * benchmark that times its own work apart from the store's.
   */
  async settle(): Promise<void> {
    this.#kickJobs();
    while (this.#jobs !== undefined) await this.#jobs;
  }

  /**
   * Freezes the memory part and waits until every frozen part is in segments (and due merges
   * are done). For tests, tools and shutdown; the store flushes on its own otherwise.
   */
  async flush(): Promise<void> {
    while (this.#committing !== undefined) await this.#committing;
    this.#freeze();
    for (;;) {
      this.#kickJobs();
      const jobs = this.#jobs;
      if (jobs === undefined) break;
      await jobs;
      if (this.#frozen.length === 0 && this.#jobs === undefined) break;
    }
    if (this.#frozen.length > 0) {
      throw new Error(`cannot flush log store: ${this.#dir}: ${this.jobError?.message}`, {
        cause: this.jobError,
      });
    }
  }

  async deleteIndices(names: readonly string[]): Promise<string[]> {
    if (this.#closing) throw new Error(`cannot delete indices: store ${this.#dir} closed`);
    const wanted = new Set(names);
    // Every acknowledged document of the indices goes into segments first: dropping those then
    // removes the only copy, where documents left in the WAL would come back at the next start.
    // A write may freeze a new part between the flush and this continuation; flush again then.
    do await this.flush();
    while (this.#frozen.length > 0 || this.#jobs !== undefined);
    const existed = [...this.#mappings.keys()].filter((i) => wanted.has(i));
    if (existed.length === 0) return [];
    this.#catalog.segments = this.#catalog.segments.filter((e) => !wanted.has(e.index));
    writeCatalog(this.#dir, this.#catalog);
    this.#drop((s) => wanted.has(s.entry.index));
    for (const index of existed) {
      // Documents written during the flush keep their index, mapping included.
      if (this.#memory.indices.has(index)) continue;
      this.#mappings.delete(index);
      this.#savedMapping.delete(index);
      this.#validIndices.delete(index);
      rmSync(indexDir(this.#dir, index), { recursive: true, force: true });
    }
    return existed;
  }

  search(
    req: SearchRequest,
    onBlock: (block: ResultBlock) => boolean | void,
  ): Promise<SearchStats> {
    const hidden = new Map<string, ReadonlySet<string>>();
    for (const [index, m] of this.#mappings) hidden.set(index, m.unindexed());
    return searchStore(req, onBlock, {
      live: this.#live,
      parts: [...this.#frozen, this.#memory],
      hidden,
      limits: { maxDocsScanned: this.#opts.maxDocsScanned, timeoutMs: this.#opts.queryTimeoutMs },
    });
  }

  async mapping(indices: readonly string[]): Promise<Map<string, FieldMapping>> {
    return mergeMappings(this.#mappings, indexMatcher(indices));
  }

  async indices(): Promise<IndexInfo[]> {
    return indexInfos(this.#mappings.keys(), this.#live, [...this.#frozen, this.#memory]);
  }

  /** Waits for running commits and jobs, then releases files and the lock. Idempotent. */
  async close(): Promise<void> {
    if (this.#closing) return;
    // Writes from here on are refused; those already queued are committed first.
    this.#closing = true;
    while (this.#committing !== undefined) await this.#committing;
    this.#closed = true;
    clearInterval(this.#timer);
    await this.#jobs;
    await this.#runner.close();
    this.#saveMappings();
    this.#wal.close();
    for (const s of this.#live) s.reader.release();
    this.#live = [];
    this.#lock.release();
  }
}
