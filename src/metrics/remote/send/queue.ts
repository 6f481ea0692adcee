/**
 * @module
 * One `remote_write` endpoint: reads the storage's {@link SampleFeed} (the WAL), relabels each
 * series once, spreads samples over shards by series and sends them. The feed position moves
 * on only past samples every shard has finished with, and is saved every second, so the WAL
 * keeps (and a restart re-reads) exactly what the remote has not taken yet. While the shards are
 * full, reading waits: the backlog stays on disk, not in memory.
 *
 * Every ten seconds the queue re-computes how many shards it needs (sharding.ts) and, when the
 * number changes, lets the shards drain before it starts the new set, as Prometheus does.
 */

import { buildInfo } from '../../../lib/buildinfo.js';
import { HttpClient } from '../../../lib/http-client/client.js';
import type { Logger } from '../../../lib/log/logger.js';
import type { Labels } from '../../model/labels.js';
import { relabel } from '../../model/relabel/relabel.js';
import {
  feedSamples,
  type FeedReader,
  type FeedSeries,
  type SampleFeed,
} from '../../storage/feed.js';
import type { RemoteWriteConfig } from '../../../config/remote-write.js';
import { encodeLabels } from './encode.js';
import { Progress } from './progress.js';
import { desiredShards, EwmaRate } from './sharding.js';
import { type PostResult, Shard, type SeriesEntry } from './shard.js';
import { newQueueStats, type QueueStats } from './stats.js';

const RESHARD_INTERVAL_MS = 10_000;
const SAVE_INTERVAL_MS = 1000;
/** Samples read from the feed at a time. */
const READ_MAX = 1000;
/** How long to wait before reading again after the feed failed. */
const READ_RETRY_MS = 30_000;

/** FNV-1a over the label key: which shard a series goes to. */
function hashLabels(labels: Labels): number {
  const key = labels.key;
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A read chunk: how many of its samples are still with the shards, and where it ends. */
interface Chunk {
  pending: number;
  sealed: boolean;
  position: string;
}

export interface QueueOptions {
  name: string;
  config: RemoteWriteConfig;
  /** `global.external_labels`: added to every series that does not have the label itself. */
  externalLabels: Readonly<Record<string, string>>;
  feed: SampleFeed;
  /** Where queues save their positions. */
  progressDir: string;
  log: Logger;
}

export class RemoteWriteQueue {
  readonly name: string;
  readonly url: string;
  readonly config: RemoteWriteConfig;
  readonly stats: QueueStats = newQueueStats();
  readonly #external: [string, string][];
  readonly #feed: SampleFeed;
  readonly #log: Logger;
  readonly #client: HttpClient;
  readonly #progress: Progress;
  readonly #headers: Record<string, string>;
  readonly #entries = new WeakMap<FeedSeries, SeriesEntry | null>();
  #reader: FeedReader | null = null;
  #shards: Shard[] = [];
  #reshardTo = 0;
  readonly #chunks: Chunk[] = [];
  /** Sequence number of `#chunks[0]`. */
  #chunkBase = 0;
  #committed = '';
  #saved: string | null = null;
  #stopped = false;
  #loop: Promise<void> = Promise.resolve();
  readonly #timers: NodeJS.Timeout[] = [];
  readonly #inRate = new EwmaRate(RESHARD_INTERVAL_MS / 1000);
  readonly #outRate = new EwmaRate(RESHARD_INTERVAL_MS / 1000);
  readonly #sendRate = new EwmaRate(RESHARD_INTERVAL_MS / 1000);
  #lastSent = 0;
  #lastSeconds = 0;

  /** @throws {Error} when a TLS file of the configuration cannot be read. */
  constructor(options: QueueOptions) {
    this.name = options.name;
    this.config = options.config;
    this.url = options.config.url;
    this.#external = Object.entries(options.externalLabels);
    this.#feed = options.feed;
    this.#log = options.log;
    this.#client = new HttpClient(options.config, options.config.queue_config.max_shards);
    this.#progress = new Progress(options.progressDir, options.name);
    this.#headers = {
      ...options.config.headers,
      'content-encoding': 'snappy',
      'content-type': 'application/x-protobuf',
      'user-agent': `Vigil/${buildInfo().version}`,
      'x-prometheus-remote-write-version': '0.1.0',
    };
  }

  /** Opens the feed at the saved position (or at now, the first time) and starts sending. */
  start(): void {
    let from: string | null;
    try {
      from = this.#progress.load();
    } catch (err) {
      // Sending too much beats losing samples: start at the oldest the WAL still holds.
      this.#log.warn('saved position unreadable; resending from the oldest WAL segment', { err });
      from = '0:0:0';
    }
    this.#reader = this.#feed.open(from);
    // Saved at once: after a crash, the next start must not skip to the samples of then.
    this.#committed = this.#reader.position;
    this.#save();
    this.#log.info('remote write started', { url: this.url, resumed: from !== null });
    this.#startShards(this.config.queue_config.min_shards);
    this.#loop = this.#readLoop();
    this.#timers.push(
      setInterval(() => this.#save(), SAVE_INTERVAL_MS),
      setInterval(() => this.#updateSharding(), RESHARD_INTERVAL_MS),
    );
    for (const t of this.#timers) t.unref();
  }

  /**
   * Stops reading and sending at once (requests in flight are aborted), saves the position of
   * what the remote has taken and releases the feed. Unsent samples stay in the WAL.
   */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    for (const t of this.#timers) clearInterval(t);
    await Promise.all(this.#shards.map((s) => s.stop()));
    await this.#loop;
    this.#save();
    this.#reader?.close();
    this.#client.close();
  }

  #startShards(n: number): void {
    const q = this.config.queue_config;
    this.#shards = [];
    for (let i = 0; i < n; i++) {
      this.#shards.push(
        new Shard(q.capacity, {
          maxSamplesPerSend: q.max_samples_per_send,
          batchSendDeadlineMs: q.batch_send_deadline,
          minBackoffMs: q.min_backoff,
          maxBackoffMs: q.max_backoff,
          retryOn429: q.retry_on_http_429,
          sampleAgeLimitMs: q.sample_age_limit,
          stats: this.stats,
          log: this.#log,
          post: (body, signal) => this.#post(body, signal),
          done: (chunks, count) => this.#done(chunks, count),
        }),
      );
    }
    this.stats.shards = n;
    this.stats.desiredShards = n;
  }

  async #post(body: Uint8Array, signal: AbortSignal): Promise<PostResult> {
    try {
      const res = await this.#client.request(this.url, {
        method: 'POST',
        headers: this.#headers,
        body,
        timeoutMs: this.config.remote_timeout,
        signal,
        maxBodyBytes: 4096,
      });
      const retryAfter = res.headers['retry-after'];
      return {
        status: res.status,
        body: res.body.toString('utf8'),
        retryAfter: typeof retryAfter === 'string' ? retryAfter : undefined,
      };
    } catch (err) {
      return { error: err as Error };
    }
  }

  async #readLoop(): Promise<void> {
    const buf = feedSamples(READ_MAX);
    const values = new Uint32Array(buf.vs.buffer);
    while (!this.#stopped) {
      if (this.#reshardTo !== 0) await this.#reshard();
      let n: number;
      try {
        n = this.#reader!.read(buf, READ_MAX);
      } catch (err) {
        this.#log.error('cannot read the WAL for remote write; retrying', { err });
        await new Promise((resolve) => setTimeout(resolve, READ_RETRY_MS).unref());
        if (this.#stopped) return;
        this.#reader!.close();
        this.#reader = this.#feed.open(this.#committed);
        continue;
      }
      if (n === 0) {
        await this.#reader!.changed(1000);
        continue;
      }
      this.stats.samplesIn += n;
      this.#inRate.add(n);
      const chunk: Chunk = { pending: 0, sealed: false, position: buf.position };
      const seq = this.#chunkBase + this.#chunks.length;
      this.#chunks.push(chunk);
      for (let i = 0; i < n; i++) {
        const t = buf.ts[i]!;
        if (t > this.stats.highestIn) this.stats.highestIn = t;
        const entry = this.#entry(buf.series[i]!);
        if (entry === null) {
          this.stats.samplesDropped++;
          continue;
        }
        const shard = this.#shards[entry.hash % this.#shards.length]!;
        chunk.pending++;
        while (!shard.push(entry, t, values, i, seq)) {
          await shard.space();
          if (this.#stopped) return;
        }
      }
      chunk.sealed = true;
      this.#advance();
      this.stats.pending = this.#shards.reduce((sum, s) => sum + s.pending, 0);
    }
  }

  /** The series as sent, relabelled and encoded once per series; null when relabelling drops it. */
  #entry(series: FeedSeries): SeriesEntry | null {
    let entry = this.#entries.get(series);
    if (entry !== undefined) return entry;
    let withExternal = series.labels;
    for (const [name, value] of this.#external) {
      if (!withExternal.has(name)) withExternal = withExternal.with(name, value);
    }
    // External labels first, then write relabeling, as Prometheus orders them.
    const labels = relabel(withExternal, this.config.write_relabel_configs);
    entry =
      labels === null || labels.isEmpty()
        ? null
        : { encodedLabels: encodeLabels(labels), hash: hashLabels(labels) };
    this.#entries.set(series, entry);
    return entry;
  }

  #done(chunks: Float64Array, n: number): void {
    for (let i = 0; i < n; i++) this.#chunks[chunks[i]! - this.#chunkBase]!.pending--;
    this.#advance();
    this.stats.pending = this.#shards.reduce((sum, s) => sum + s.pending, 0);
  }

  /** Moves the committed position past every finished chunk at the front. */
  #advance(): void {
    let moved = false;
    while (this.#chunks.length > 0 && this.#chunks[0]!.sealed && this.#chunks[0]!.pending === 0) {
      this.#committed = this.#chunks.shift()!.position;
      this.#chunkBase++;
      moved = true;
    }
    if (moved) this.#reader?.release(this.#committed);
  }

  #save(): void {
    const position = this.#committed;
    if (position === this.#saved) return;
    try {
      this.#progress.save(position);
      this.#saved = position;
    } catch (err) {
      this.#log.error('cannot save remote write position', { file: this.#progress.path, err });
    }
  }

  #updateSharding(): void {
    const s = this.stats;
    this.#inRate.tick();
    this.#outRate.add(s.samplesSent - this.#lastSent);
    this.#outRate.tick();
    this.#sendRate.add(s.sendSeconds - this.#lastSeconds);
    this.#sendRate.tick();
    this.#lastSent = s.samplesSent;
    this.#lastSeconds = s.sendSeconds;
    // A failing remote is not helped by more connections, and draining cannot finish.
    if (Date.now() - s.lastFailure < 2 * this.config.queue_config.batch_send_deadline) return;
    const q = this.config.queue_config;
    const lag =
      s.highestIn > s.highestSent && Number.isFinite(s.highestSent)
        ? (s.highestIn - s.highestSent) / 1000
        : 0;
    const desired = desiredShards({
      current: this.#shards.length,
      min: q.min_shards,
      max: q.max_shards,
      inRate: this.#inRate.rate,
      outRate: this.#outRate.rate,
      sendRate: this.#sendRate.rate,
      lagSeconds: lag,
    });
    s.desiredShards = desired;
    if (desired !== this.#shards.length) this.#reshardTo = desired;
  }

  /** Lets the shards send what they hold, then replaces them with the new number. */
  async #reshard(): Promise<void> {
    const n = this.#reshardTo;
    this.#reshardTo = 0;
    await Promise.all(this.#shards.map((s) => s.idle()));
    if (this.#stopped) return;
    await Promise.all(this.#shards.map((s) => s.stop()));
    this.#log.info('remote write resharded', { from: this.#shards.length, to: n });
    this.#startShards(n);
  }
}
