/**
 * @module
 * One shard of a remote write queue: a bounded buffer of samples and one request in flight at
 * a time. A series always goes to the same shard, so its samples arrive in order. A shard sends
 * when it holds `max_samples_per_send` samples or its oldest has waited `batch_send_deadline`,
 * and retries a request that failed recoverably (a network error, a 5xx, a 429) with doubling
 * backoff, honouring `Retry-After`, until it succeeds or the queue stops. A stopped shard leaves
 * its samples unacknowledged: they are read from the WAL again at the next start.
 */

import { snappyEncode } from '../../../lib/snappy/index.js';
import type { Logger } from '../../../lib/log/logger.js';
import { encodeWriteRequest, type EncodeBatch } from './encode.js';
import type { QueueStats } from './stats.js';

/** A series as the queue sends it: relabelled, its labels encoded once. */
export interface SeriesEntry {
  readonly encodedLabels: Uint8Array;
  readonly hash: number;
}

/** What a send attempt got back: a status, or an error before any response. */
export type PostResult = { status: number; body: string; retryAfter?: string } | { error: Error };

/** What a shard needs from its queue. */
export interface ShardContext {
  maxSamplesPerSend: number;
  batchSendDeadlineMs: number;
  minBackoffMs: number;
  maxBackoffMs: number;
  retryOn429: boolean;
  /** 0: no limit. */
  sampleAgeLimitMs: number;
  stats: QueueStats;
  log: Logger;
  post(body: Uint8Array, signal: AbortSignal): Promise<PostResult>;
  /** Samples of these read chunks were sent or given up: acknowledge them. */
  done(chunks: Float64Array, n: number): void;
}

/** A sleep that ends early when the shard stops. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(finish, ms);
    function finish() {
      clearTimeout(timer);
      signal.removeEventListener('abort', finish);
      resolve();
    }
    signal.addEventListener('abort', finish);
  });
}

/** Parses `Retry-After` (seconds or an HTTP date) into ms; undefined when absent or invalid. */
export function retryAfterMs(header: string | undefined, now = Date.now()): number | undefined {
  if (header === undefined) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export class Shard {
  readonly #ctx: ShardContext;
  readonly #capacity: number;
  // The buffer: samples [0, #length) in arrival order.
  #length = 0;
  readonly #series: SeriesEntry[];
  readonly #ts: Float64Array;
  /** Values as two 32-bit halves each: copying them never turns a signalling NaN quiet. */
  readonly #vs: Uint32Array;
  readonly #chunks: Float64Array;
  /** When the oldest buffered sample arrived, ms. */
  #oldestAt = 0;
  // The batch being sent, taken from the front of the buffer.
  readonly #batch: EncodeBatch & { series: SeriesEntry[] };
  readonly #batchVs: Uint32Array;
  readonly #batchChunks: Float64Array;
  #sending = false;
  #wake: (() => void) | null = null;
  #spaceWaiters: (() => void)[] = [];
  #idleWaiters: (() => void)[] = [];
  readonly #abort = new AbortController();
  readonly #running: Promise<void>;
  /** Consecutive failed attempts, to log the first and the recovery rather than each. */
  #failures = 0;

  constructor(capacity: number, ctx: ShardContext) {
    this.#ctx = ctx;
    this.#capacity = capacity;
    this.#series = new Array<SeriesEntry>(capacity);
    this.#ts = new Float64Array(capacity);
    this.#vs = new Uint32Array(capacity * 2);
    this.#chunks = new Float64Array(capacity);
    const max = ctx.maxSamplesPerSend;
    this.#batchVs = new Uint32Array(max * 2);
    this.#batch = {
      length: 0,
      series: new Array<SeriesEntry>(max),
      ts: new Float64Array(max),
      valueBytes: new Uint8Array(this.#batchVs.buffer),
    };
    this.#batchChunks = new Float64Array(max);
    this.#running = this.#run();
  }

  /** Samples buffered or in flight. */
  get pending(): number {
    return this.#length + (this.#sending ? this.#batch.length : 0);
  }

  /**
   * Buffers one sample whose value is `values[2i], values[2i+1]`; false when the shard is full
   * (wait with {@link space}).
   */
  push(entry: SeriesEntry, t: number, values: Uint32Array, i: number, chunk: number): boolean {
    const n = this.#length;
    if (n === this.#capacity) return false;
    if (n === 0) this.#oldestAt = Date.now();
    this.#series[n] = entry;
    this.#ts[n] = t;
    this.#vs[2 * n] = values[2 * i]!;
    this.#vs[2 * n + 1] = values[2 * i + 1]!;
    this.#chunks[n] = chunk;
    this.#length = n + 1;
    if (n === 0 || n + 1 >= this.#ctx.maxSamplesPerSend) this.#notify();
    return true;
  }

  /** Resolves when the shard has taken samples out of its buffer, or stopped. */
  space(): Promise<void> {
    if (this.#abort.signal.aborted || this.#length < this.#capacity) return Promise.resolve();
    return new Promise((resolve) => this.#spaceWaiters.push(resolve));
  }

  /** Resolves when everything buffered has been sent (or given up), or the shard stopped. */
  idle(): Promise<void> {
    if (this.#abort.signal.aborted || this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Stops at once: the request in flight is aborted and nothing more is acknowledged. */
  async stop(): Promise<void> {
    this.#abort.abort();
    this.#notify();
    for (const w of this.#spaceWaiters.splice(0)) w();
    for (const w of this.#idleWaiters.splice(0)) w();
    await this.#running;
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = null;
    wake?.();
  }

  #sleepUntilNotified(ms: number): Promise<void> {
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const done = () => {
        clearTimeout(timer);
        this.#wake = null;
        resolve();
      };
      if (ms !== Infinity) timer = setTimeout(done, ms);
      this.#wake = done;
    });
  }

  async #run(): Promise<void> {
    const ctx = this.#ctx;
    const signal = this.#abort.signal;
    while (!signal.aborted) {
      if (this.#length === 0) {
        for (const w of this.#idleWaiters.splice(0)) w();
        await this.#sleepUntilNotified(Infinity);
        continue;
      }
      if (this.#length < ctx.maxSamplesPerSend) {
        const wait = this.#oldestAt + ctx.batchSendDeadlineMs - Date.now();
        if (wait > 0) {
          await this.#sleepUntilNotified(wait);
          continue;
        }
      }
      this.#take();
      this.#sending = true;
      const sent = await this.#send();
      this.#sending = false;
      if (!sent) return;
      ctx.done(this.#batchChunks, this.#batch.length);
    }
  }

  /** Moves the oldest samples, up to a request's worth, into the batch. */
  #take(): void {
    const n = Math.min(this.#length, this.#ctx.maxSamplesPerSend);
    const b = this.#batch;
    for (let i = 0; i < n; i++) b.series[i] = this.#series[i]!;
    b.ts.set(this.#ts.subarray(0, n));
    this.#batchVs.set(this.#vs.subarray(0, 2 * n));
    this.#batchChunks.set(this.#chunks.subarray(0, n));
    b.length = n;
    const rest = this.#length - n;
    this.#series.copyWithin(0, n, this.#length);
    this.#ts.copyWithin(0, n, this.#length);
    this.#vs.copyWithin(0, 2 * n, 2 * this.#length);
    this.#chunks.copyWithin(0, n, this.#length);
    this.#length = rest;
    if (rest > 0) this.#oldestAt = Date.now();
    for (const w of this.#spaceWaiters.splice(0)) w();
  }

  /** Drops batch samples older than the age limit, keeping their chunks for acknowledgement. */
  #dropTooOld(): number {
    const limit = this.#ctx.sampleAgeLimitMs;
    if (limit <= 0) return this.#batch.length;
    const b = this.#batch;
    const oldest = Date.now() - limit;
    let kept = 0;
    for (let i = 0; i < b.length; i++) {
      if (b.ts[i]! < oldest) continue;
      b.series[kept] = b.series[i]!;
      b.ts[kept] = b.ts[i]!;
      this.#batchVs[2 * kept] = this.#batchVs[2 * i]!;
      this.#batchVs[2 * kept + 1] = this.#batchVs[2 * i + 1]!;
      kept++;
    }
    this.#ctx.stats.samplesDropped += b.length - kept;
    return kept;
  }

  /** Sends the batch until it is sent or given up (true), or the shard stops (false). */
  async #send(): Promise<boolean> {
    const ctx = this.#ctx;
    const stats = ctx.stats;
    const signal = this.#abort.signal;
    const chunks = this.#batch.length;
    let backoff = ctx.minBackoffMs;
    for (;;) {
      // The chunk list stays whole for acknowledgement even when samples are dropped.
      const n = this.#dropTooOld();
      const b = this.#batch;
      b.length = n;
      if (n === 0) {
        b.length = chunks;
        return true;
      }
      let highest = -Infinity;
      for (let i = 0; i < n; i++) highest = Math.max(highest, b.ts[i]!);
      const body = snappyEncode(encodeWriteRequest(b));
      const started = performance.now();
      const result = await ctx.post(body, signal);
      if (signal.aborted) return false;
      const seconds = (performance.now() - started) / 1000;
      stats.sendSeconds += seconds;
      stats.requests++;
      if ('status' in result && result.status >= 200 && result.status < 300) {
        stats.samplesSent += n;
        stats.bytesSent += body.length;
        stats.highestSent = Math.max(stats.highestSent, highest);
        if (this.#failures > 0) {
          ctx.log.info('remote write recovered', { failed_attempts: this.#failures });
        }
        this.#failures = 0;
        b.length = chunks;
        return true;
      }
      const recoverable =
        'error' in result || result.status >= 500 || (result.status === 429 && ctx.retryOn429);
      const reason =
        'error' in result
          ? result.error.message
          : `server returned HTTP status ${result.status}: ${result.body.slice(0, 512)}`;
      if (!recoverable) {
        stats.samplesFailed += n;
        stats.lastFailure = Date.now();
        ctx.log.error('remote write rejected a request; its samples are dropped', {
          samples: n,
          err: reason,
        });
        b.length = chunks;
        return true;
      }
      stats.samplesRetried += n;
      stats.lastFailure = Date.now();
      if (this.#failures++ === 0) {
        ctx.log.warn('remote write failed; retrying with backoff', { samples: n, err: reason });
      }
      const after = 'status' in result ? retryAfterMs(result.retryAfter) : undefined;
      await sleep(after ?? backoff, signal);
      if (signal.aborted) return false;
      backoff = Math.min(backoff * 2, ctx.maxBackoffMs);
      // Restore the full batch before filtering again: earlier drops already moved samples.
      b.length = n;
    }
  }
}
