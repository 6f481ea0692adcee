/**
 * @module
 * The agent's records written straight into a log store through its {@link LogWriter}: what the
 * agent inside `vigil server` uses to keep the host's logs in the server's own store. It is a
 * {@link RecordSink}, not an output behind a disk buffer: the store's write is durable when it
 * resolves, which is all an input needs before it moves its position, so a second copy on disk
 * would only cost writes.
 *
 * Each record is written with `op: create` and the record's deterministic id, as the Vigil output
 * sends it to the ingest API, so lines read again after a restart or a crash are stored once. A
 * busy store ({@link StoreBusyError}) is retried with backoff (the input waits meanwhile); a
 * document the store refuses for good is counted as failed and kept in the dead-letter file.
 */

import type { Logger } from '../../../lib/log/logger.js';
import { StoreBusyError } from '../../store/errors.js';
import type { LogWriter, WriteRequest } from '../../store/interface.js';
import type { AgentMetrics } from '../metrics.js';
import { SinkClosedError, type AgentRecord, type RecordSink } from '../stage.js';
import { backoffMs, sleep, type RetryOptions } from './backoff.js';
import type { DeadLetterFile } from './dead-letter.js';

export interface StoreSinkOptions {
  /** Names the destination in metrics (`output` label) and logs. */
  name: string;
  writer: LogWriter;
  index: string;
  deadLetter: DeadLetterFile;
  metrics: AgentMetrics;
  log: Logger;
  /** Waits between attempts on a busy store; `maxRetries` is ignored (it retries until stopped). */
  retry?: RetryOptions;
}

const DEFAULT_RETRY: RetryOptions = { maxRetries: 0, minBackoffMs: 100, maxBackoffMs: 5000 };

export class StoreSink implements RecordSink {
  /** The store holds its own copies of what it was given once a write resolves. */
  readonly copiesRecords = true;
  readonly #o: StoreSinkOptions;
  #closed = false;
  /** One per append in progress: aborted by close() to end a wait on a busy store. */
  readonly #stops = new Set<AbortController>();

  /**
   * @example
   * const sink = new StoreSink({ name: 'local', writer: store, index: 'logs-agent', deadLetter, metrics, log });
   * await tail.start(sink);
   */
  constructor(options: StoreSinkOptions) {
    this.#o = options;
  }

  /**
   * Writes the records; resolves when each is stored (now or before) or refused for good.
   *
   * @throws {SinkClosedError} once {@link close} was called or `signal` aborted, the batch not
   *   known to be stored (the input keeps its position before it).
   */
  async append(records: readonly AgentRecord[], signal?: AbortSignal): Promise<void> {
    if (records.length === 0) return;
    const { name, writer, index, metrics, log } = this.#o;
    const batch: WriteRequest[] = records.map((r) => ({
      index,
      op: 'create',
      id: r.id,
      source: JSON.parse(r.json) as Record<string, unknown>,
      json: r.json,
    }));
    const stop = new AbortController();
    const onAbort = () => stop.abort(new SinkClosedError(`store output ${name}`));
    signal?.addEventListener('abort', onAbort, { once: true });
    this.#stops.add(stop);
    try {
      for (let attempt = 0; ; attempt++) {
        if (this.#closed || signal?.aborted === true) throw new SinkClosedError(`store ${name}`);
        if (attempt > 0) {
          metrics.retries.labels(name).inc();
          await sleep(backoffMs(attempt, this.#o.retry ?? DEFAULT_RETRY), stop.signal);
        }
        let results;
        try {
          results = await writer.write(batch);
        } catch (err) {
          if (!(err instanceof StoreBusyError)) throw err;
          if (attempt === 0) log.warn('log store busy, retrying', { output: name, err });
          continue;
        }
        const refused: AgentRecord[] = [];
        const reasons: string[] = [];
        results.forEach((r, i) => {
          if (r.status !== 'rejected') return;
          refused.push(records[i]!);
          reasons.push(`${r.type}: ${r.reason}`);
        });
        if (refused.length > 0) {
          this.#o.deadLetter.write(refused, reasons);
          metrics.recordsFailed.labels(name).inc(refused.length);
          log.warn('log store refused records; kept in the dead-letter file', {
            output: name,
            records: refused.length,
            file: this.#o.deadLetter.path,
            reason: reasons[0],
          });
        }
        metrics.recordsSent.labels(name).inc(records.length - refused.length);
        return;
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
      this.#stops.delete(stop);
    }
  }

  /** Store writes are durable when they resolve: nothing is left to sync. */
  async sync(): Promise<void> {}

  /** Refuses further appends and ends the waits of those retrying a busy store. */
  close(): void {
    this.#closed = true;
    for (const stop of this.#stops) stop.abort(new SinkClosedError(`store ${this.#o.name}`));
  }
}
