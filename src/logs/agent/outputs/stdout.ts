/**
 * @module
 * Records printed as JSON lines (`{"_id":…, …document}`) on stdout, for debugging: a sink for
 * `vigil agent --dry-run`, which sees what the parsers and filters make of a node's files
 * without sending anything or moving any position, and the `stdout` output, which does the same
 * behind a buffer, as a destination (positions move once a batch is written). The agent logs to
 * stderr, so stdout holds records only.
 */

import type { Logger } from '../../../lib/log/logger.js';
import type { AgentMetrics } from '../metrics.js';
import type { AgentRecord, Output, RecordSink } from '../stage.js';
import { sleep } from './backoff.js';
import { recordLines } from './file.js';

export class StdoutSink implements RecordSink {
  readonly #write: (text: string) => Promise<void>;

  /**
   * @example
   * const sink = new StdoutSink((text) => new Promise((r) => process.stdout.write(text, () => r())));
   */
  constructor(write: (text: string) => Promise<void>) {
    this.#write = write;
  }

  async append(records: readonly AgentRecord[]): Promise<void> {
    let text = '';
    for (const r of records) text += `{"_id":${JSON.stringify(r.id)},${r.json.slice(1)}\n`;
    // Waiting for the write is back-pressure: `--dry-run | head` must not buffer a node's logs.
    if (text !== '') await this.#write(text);
  }

  async sync(): Promise<void> {}
}

/** How long the stdout output waits before writing again after an error (a closed pipe). */
const RETRY_MS = 1000;

/** The `stdout` output: each batch written, then counted as sent. */
export class StdoutOutput implements Output {
  readonly name: string;
  readonly #write: (text: string) => Promise<void>;
  readonly #metrics: AgentMetrics;
  readonly #log: Logger;

  /**
   * @example
   * new StdoutOutput('print', (text) => new Promise((ok, fail) =>
   *   process.stdout.write(text, (err) => (err ? fail(err) : ok()))), metrics, log);
   */
  constructor(
    name: string,
    write: (text: string) => Promise<void>,
    metrics: AgentMetrics,
    log: Logger,
  ) {
    this.name = name;
    this.#write = write;
    this.#metrics = metrics;
    this.#log = log;
  }

  async send(records: readonly AgentRecord[], signal: AbortSignal): Promise<void> {
    const text = recordLines(records);
    for (let attempt = 0; ; attempt++) {
      try {
        await this.#write(text);
        this.#metrics.recordsSent.labels(this.name).inc(records.length);
        return;
      } catch (err) {
        if (attempt === 0)
          this.#log.warn('cannot write to stdout, retrying', { output: this.name, err });
        this.#metrics.retries.labels(this.name).inc();
        await sleep(RETRY_MS, signal);
      }
    }
  }
}
