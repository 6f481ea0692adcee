/**
 * @module
 * Delivering a batch over HTTP with the agent's promise: nothing dropped silently. Network
 * errors, timeouts, 429 and 5xx are retried with backoff (forever by default), and so are 401,
 * 403 and 408: a refused or rotated token and a slow server say nothing about the lines, which
 * wait in the buffer until the credentials are fixed. A 413 splits the batch in halves; any other
 * error status is final for the batch. A 2xx answer is read by the
 * output's `accept`, which says per record whether it was delivered, refused for good, or is to
 * be retried (Elasticsearch answers 429 per item). Whatever is final and not delivered goes to
 * the dead-letter file and counts as failed.
 */

import { createGzip } from 'node:zlib';
import type { HttpClient, HttpResponse } from '../../../lib/http-client/client.js';
import type { Logger } from '../../../lib/log/logger.js';
import type { AgentMetrics } from '../metrics.js';
import type { AgentRecord } from '../stage.js';
import { backoffMs, sleep, type RetryOptions } from './backoff.js';
import type { DeadLetterFile } from './dead-letter.js';

/** Error statuses that are about the request's circumstances, not its lines. */
const RETRIED_STATUSES = new Set([401, 403, 408, 429]);

/** What a 2xx answer says about a batch. */
export interface BatchAnswer {
  /** Records stored now or before (an id that already existed counts). */
  delivered: number;
  /** Records refused for good, with the destination's reason. */
  refused: { record: AgentRecord; reason: string }[];
  /** Records to send again (per-item 429 or 5xx). */
  retry: AgentRecord[];
}

export interface HttpBatchOptions {
  /** The output's name, for metrics and logs. */
  name: string;
  endpoint: string;
  gzip: boolean;
  timeoutMs: number;
  retry: RetryOptions;
  client: HttpClient;
  deadLetter: DeadLetterFile;
  metrics: AgentMetrics;
  log: Logger;
  /** The request body's content type; `application/x-ndjson` when not given. */
  contentType?: string;
  /**
   * Headers sent with every request besides content type and encoding, read per request (they
   * may carry changing figures, such as the Vigil output's buffered bytes).
   */
  headers?: () => Readonly<Record<string, string>>;
  /**
   * The request body for a batch, in pieces; each piece is used before the next is asked for,
   * so an encoder may write them all into one buffer (the body is compressed as it comes and
   * never held whole).
   */
  encode(records: readonly AgentRecord[]): Iterable<Buffer>;
  /**
   * Longest answer read, for answers with one item per record (Elasticsearch's run to a few
   * hundred bytes per item when items fail); a longer one is cut and not trusted.
   */
  maxAnswerBytes: number;
  /** Reads a 2xx answer. */
  accept(records: readonly AgentRecord[], res: HttpResponse): BatchAnswer;
}

export class HttpBatchSender {
  readonly #o: HttpBatchOptions;

  constructor(options: HttpBatchOptions) {
    this.#o = options;
  }

  /**
   * Delivers `records` or gives them up to the dead-letter file; rejects only when `signal`
   * aborts.
   */
  async send(records: readonly AgentRecord[], signal: AbortSignal): Promise<void> {
    let pending = records;
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 0) {
        this.#o.metrics.retries.labels(this.#o.name).inc();
        await sleep(backoffMs(attempt, this.#o.retry), signal);
      }
      const pieces = this.#o.encode(pending);
      const body = this.#o.gzip ? await gzipPieces(pieces) : joinPieces(pieces);
      let res: HttpResponse;
      try {
        res = await this.#o.client.request(this.#o.endpoint, {
          method: 'POST',
          headers: {
            ...this.#o.headers?.(),
            'content-type': this.#o.contentType ?? 'application/x-ndjson',
            ...(this.#o.gzip ? { 'content-encoding': 'gzip' } : {}),
          },
          body,
          timeoutMs: this.#o.timeoutMs,
          signal,
          maxBodyBytes: this.#o.maxAnswerBytes,
        });
      } catch (err) {
        if (signal.aborted) throw signal.reason as Error;
        if (this.#giveUp(attempt, pending, `cannot send batch: ${(err as Error).message}`)) return;
        this.#warnRetry(attempt, (err as Error).message);
        continue;
      }
      if (res.status >= 200 && res.status < 300) {
        const answer = this.#o.accept(pending, res);
        this.#o.metrics.recordsSent.labels(this.#o.name).inc(answer.delivered);
        if (answer.refused.length > 0) {
          this.#fail(
            answer.refused.map((r) => r.record),
            answer.refused.map((r) => r.reason),
          );
        }
        pending = answer.retry;
        if (pending.length > 0 && this.#giveUp(attempt, pending, 'items answered 429 or 5xx'))
          return;
        continue;
      }
      const text = res.body.toString('utf8').slice(0, 300);
      if (res.status === 413 && pending.length > 1) {
        const half = Math.ceil(pending.length / 2);
        await this.send(pending.slice(0, half), signal);
        await this.send(pending.slice(half), signal);
        return;
      }
      if (RETRIED_STATUSES.has(res.status) || res.status >= 500) {
        if (this.#giveUp(attempt, pending, `server answered ${res.status}: ${text}`)) return;
        if (res.status === 401 || res.status === 403) {
          this.#o.log.error('the destination refuses the agent’s credentials; lines are kept', {
            output: this.#o.name,
            status: res.status,
            answer: text,
          });
        }
        this.#warnRetry(attempt, `server answered ${res.status}`);
        continue;
      }
      this.#fail(pending, `server answered ${res.status}: ${text}`);
      return;
    }
  }

  /** Whether the configured retries are spent; if so the records went to the dead-letter file. */
  #giveUp(attempt: number, records: readonly AgentRecord[], reason: string): boolean {
    const max = this.#o.retry.maxRetries;
    if (max === 0 || attempt < max) return false;
    this.#fail(records, `gave up after ${max} retries: ${reason}`);
    return true;
  }

  #fail(records: readonly AgentRecord[], reasons: readonly string[] | string): void {
    this.#o.deadLetter.write(records, reasons);
    this.#o.metrics.recordsFailed.labels(this.#o.name).inc(records.length);
    this.#o.log.error('records refused, written to the dead-letter file', {
      output: this.#o.name,
      records: records.length,
      reason: typeof reasons === 'string' ? reasons : reasons[0],
      file: this.#o.deadLetter.path,
    });
  }

  #warnRetry(attempt: number, reason: string): void {
    // One line per outage, then every tenth retry: an unreachable server should not flood the log.
    if (attempt === 0 || attempt % 10 === 0) {
      this.#o.log.warn('cannot deliver batch, retrying', {
        output: this.#o.name,
        attempt: attempt + 1,
        reason,
      });
    }
  }
}

/** Gzips `pieces` (level 1: the CPU a node can spare) as they come. */
async function gzipPieces(pieces: Iterable<Buffer>): Promise<Buffer> {
  const gz = createGzip({ level: 1, chunkSize: 64 << 10 });
  const out: Buffer[] = [];
  gz.on('data', (c: Buffer) => out.push(c));
  const ended = new Promise<void>((resolve, reject) => {
    gz.on('end', resolve);
    gz.on('error', reject);
  });
  for (const piece of pieces) {
    // The piece's buffer is overwritten by the next one: wait until zlib has taken it.
    await new Promise<void>((resolve, reject) =>
      gz.write(piece, (err) => (err ? reject(err) : resolve())),
    );
  }
  gz.end();
  await ended;
  return out.length === 1 ? out[0]! : Buffer.concat(out);
}

/** The uncompressed body: a copy of each piece (an encoder may reuse a piece's buffer). */
function joinPieces(pieces: Iterable<Buffer>): Buffer {
  const copies: Buffer[] = [];
  for (const piece of pieces) copies.push(Buffer.from(piece));
  return copies.length === 1 ? copies[0]! : Buffer.concat(copies);
}
