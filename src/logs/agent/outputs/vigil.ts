/**
 * @module
 * The Vigil output: batches to a Vigil server's native ingest API
 * (`POST <url>/api/v1/logs/ingest?index=<index>`, JSON lines, gzipped), each line carrying the
 * record's deterministic `_id`. The server stores an id once, so a batch sent again after a
 * timeout, a crash or a restart does not duplicate a line.
 *
 * Network errors, timeouts, 429 and 5xx are retried with backoff — forever by default, since
 * the buffer behind keeps the records and the inputs wait when it is full. A 413 splits the
 * batch in halves. Other answers are final for the batch, and a line the server refuses is
 * final for that line: both go to the dead-letter file.
 */

import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { HttpClient, HttpResponse } from '../../../lib/http-client/client.js';
import type { Logger } from '../../../lib/log/logger.js';
import type { AgentMetrics } from '../metrics.js';
import type { AgentRecord, Output } from '../stage.js';
import { backoffMs, sleep, type RetryOptions } from './backoff.js';
import type { DeadLetterFile } from './dead-letter.js';

const gzipAsync = promisify(gzip);

export interface VigilOutputOptions {
  name: string;
  /** The server's base URL, `http://vigil:9700`. */
  url: string;
  index: string;
  gzip: boolean;
  timeoutMs: number;
  retry: RetryOptions;
  client: HttpClient;
  deadLetter: DeadLetterFile;
  metrics: AgentMetrics;
  log: Logger;
}

interface IngestAnswer {
  status?: string;
  data?: {
    created?: number;
    exists?: number;
    rejected?: { line: number; type: string; reason: string }[];
  };
}

export class VigilOutput implements Output {
  readonly name: string;
  readonly #o: VigilOutputOptions;
  readonly #endpoint: string;

  constructor(options: VigilOutputOptions) {
    this.name = options.name;
    this.#o = options;
    const base = options.url.replace(/\/+$/, '');
    this.#endpoint = `${base}/api/v1/logs/ingest?index=${encodeURIComponent(options.index)}`;
  }

  async send(records: readonly AgentRecord[], signal: AbortSignal): Promise<void> {
    if (records.length === 0) return;
    let body = ndjson(records);
    if (this.#o.gzip) body = await gzipAsync(body, { level: 1 });
    const m = this.#o.metrics;
    for (let attempt = 0; ; attempt++) {
      if (attempt > 0) {
        m.retries.labels(this.name).inc();
        await sleep(backoffMs(attempt, this.#o.retry), signal);
      }
      let res: HttpResponse;
      try {
        res = await this.#o.client.request(this.#endpoint, {
          method: 'POST',
          headers: {
            'content-type': 'application/x-ndjson',
            ...(this.#o.gzip ? { 'content-encoding': 'gzip' } : {}),
          },
          body,
          timeoutMs: this.#o.timeoutMs,
          signal,
        });
      } catch (err) {
        if (signal.aborted) throw signal.reason as Error;
        if (this.#giveUp(attempt, records, `cannot send batch: ${(err as Error).message}`)) return;
        this.#warnRetry(attempt, (err as Error).message);
        continue;
      }
      if (res.status === 200) return this.#accepted(records, res);
      const text = res.body.toString('utf8').slice(0, 300);
      if (res.status === 413 && records.length > 1) {
        const half = Math.ceil(records.length / 2);
        await this.send(records.slice(0, half), signal);
        await this.send(records.slice(half), signal);
        return;
      }
      if (res.status === 429 || res.status >= 500) {
        if (this.#giveUp(attempt, records, `server answered ${res.status}: ${text}`)) return;
        this.#warnRetry(attempt, `server answered ${res.status}`);
        continue;
      }
      this.#fail(records, `server answered ${res.status}: ${text}`);
      return;
    }
  }

  #accepted(records: readonly AgentRecord[], res: HttpResponse): void {
    let answer: IngestAnswer;
    try {
      answer = JSON.parse(res.body.toString('utf8')) as IngestAnswer;
    } catch {
      answer = {};
    }
    const rejected = answer.data?.rejected ?? [];
    if (rejected.length > 0) {
      this.#fail(
        rejected.map((r) => records[r.line - 1]!).filter((r) => r !== undefined),
        rejected.map((r) => `${r.type}: ${r.reason}`),
      );
    }
    this.#o.metrics.recordsSent.labels(this.name).inc(records.length - rejected.length);
  }

  /** Whether the configured retries are spent; if so the batch went to the dead-letter file. */
  #giveUp(attempt: number, records: readonly AgentRecord[], reason: string): boolean {
    const max = this.#o.retry.maxRetries;
    if (max === 0 || attempt < max) return false;
    this.#fail(records, `gave up after ${max} retries: ${reason}`);
    return true;
  }

  #fail(records: readonly AgentRecord[], reasons: readonly string[] | string): void {
    this.#o.deadLetter.write(records, reasons);
    this.#o.metrics.recordsFailed.labels(this.name).inc(records.length);
    this.#o.log.error('records refused, written to the dead-letter file', {
      output: this.name,
      records: records.length,
      reason: typeof reasons === 'string' ? reasons : reasons[0],
      file: this.#o.deadLetter.path,
    });
  }

  #warnRetry(attempt: number, reason: string): void {
    // One line per outage, then every tenth retry: an unreachable server should not flood the log.
    if (attempt === 0 || attempt % 10 === 0) {
      this.#o.log.warn('cannot deliver batch, retrying', {
        output: this.name,
        attempt: attempt + 1,
        reason,
      });
    }
  }
}

/** The ingest body: each document's JSON with its `_id` as the first key. */
function ndjson(records: readonly AgentRecord[]): Buffer {
  let text = '';
  for (const r of records) {
    const rest = r.json.length > 2 ? `,${r.json.slice(1)}` : '}';
    text += `{"_id":${JSON.stringify(r.id)}${rest}\n`;
  }
  return Buffer.from(text);
}
