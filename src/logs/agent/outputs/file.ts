/**
 * @module
 * The file output, for debugging a pipeline on a node: each batch is appended to one file as
 * JSON lines (`{"_id":…, …document}`, as `--dry-run` prints them) and fdatasynced before it
 * counts as delivered, so what the file holds is what the agent acknowledged. The file is not
 * rotated. A failed write (a full disk) is cut back to where the batch started, so a retry does
 * not leave half a batch behind, and retried with backoff until it succeeds or the agent stops.
 */

import { open, type FileHandle } from 'node:fs/promises';
import type { Logger } from '../../../lib/log/logger.js';
import type { AgentMetrics } from '../metrics.js';
import type { AgentRecord, Output } from '../stage.js';
import { backoffMs, sleep } from './backoff.js';

export interface FileOutputOptions {
  name: string;
  path: string;
  minBackoffMs: number;
  maxBackoffMs: number;
  metrics: AgentMetrics;
  log: Logger;
}

/** The lines of a batch, as `--dry-run` prints them. */
export function recordLines(records: readonly AgentRecord[]): string {
  let text = '';
  for (const r of records) {
    const rest = r.json.length > 2 ? `,${r.json.slice(1)}` : '}';
    text += `{"_id":${JSON.stringify(r.id)}${rest}\n`;
  }
  return text;
}

export class FileOutput implements Output {
  readonly name: string;
  readonly #o: FileOutputOptions;
  #file: FileHandle | null = null;

  constructor(options: FileOutputOptions) {
    this.name = options.name;
    this.#o = options;
  }

  async send(records: readonly AgentRecord[], signal: AbortSignal): Promise<void> {
    const data = Buffer.from(recordLines(records));
    const retry = {
      maxRetries: 0,
      minBackoffMs: this.#o.minBackoffMs,
      maxBackoffMs: this.#o.maxBackoffMs,
    };
    for (let attempt = 0; ; attempt++) {
      if (attempt > 0) {
        this.#o.metrics.retries.labels(this.name).inc();
        await sleep(backoffMs(attempt, retry), signal);
      }
      try {
        await this.#append(data);
        this.#o.metrics.recordsSent.labels(this.name).inc(records.length);
        return;
      } catch (err) {
        if (signal.aborted) throw signal.reason as Error;
        if (attempt === 0 || attempt % 10 === 0) {
          this.#o.log.warn('cannot write batch to file, retrying', {
            output: this.name,
            path: this.#o.path,
            attempt: attempt + 1,
            err,
          });
        }
      }
    }
  }

  /** Closes the file; a later send opens it again. */
  async close(): Promise<void> {
    const f = this.#file;
    this.#file = null;
    await f?.close();
  }

  async #append(data: Buffer): Promise<void> {
    this.#file ??= await open(this.#o.path, 'a');
    const f = this.#file;
    const start = (await f.stat()).size;
    try {
      // One writer appends (O_APPEND): the batch starts at the size read above.
      await f.writeFile(data);
      await f.datasync();
    } catch (err) {
      await f.truncate(start).catch(() => {});
      await this.close().catch(() => {});
      throw err;
    }
  }
}
