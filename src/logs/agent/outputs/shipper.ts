/**
 * @module
 * Moves records from one buffer to one output: reads a batch, sends it, acknowledges it to the
 * buffer, and so on, one batch at a time so records reach the destination in the order they
 * were read (per-stream order is kept without the destination having to sort).
 */

import type { Logger } from '../../../lib/log/logger.js';
import type { Output, RecordBuffer } from '../stage.js';

export interface BatchOptions {
  maxRecords: number;
  maxBytes: number;
  /** How long to wait for a batch to fill before sending what there is. */
  waitMs: number;
}

export class Shipper {
  readonly #buffer: RecordBuffer;
  readonly #output: Output;
  readonly #batch: BatchOptions;
  readonly #log: Logger;
  readonly #abort = new AbortController();
  #loop: Promise<void> | null = null;

  constructor(buffer: RecordBuffer, output: Output, batch: BatchOptions, log: Logger) {
    this.#buffer = buffer;
    this.#output = output;
    this.#batch = batch;
    this.#log = log;
  }

  start(): void {
    this.#loop = this.#run().catch((err: unknown) => {
      if (this.#abort.signal.aborted) return;
      this.#log.error('output stopped', { output: this.#output.name, err });
    });
  }

  /** Stops sending; a batch in flight is abandoned, to be sent again after a restart. */
  async stop(): Promise<void> {
    this.#abort.abort(new Error('agent stopping'));
    await this.#loop;
  }

  async #run(): Promise<void> {
    const signal = this.#abort.signal;
    while (!signal.aborted) {
      const { maxRecords, maxBytes, waitMs } = this.#batch;
      const batch = await this.#buffer.read(maxRecords, maxBytes, waitMs);
      if (signal.aborted) return;
      if (batch.records.length === 0) continue;
      await this.#output.send(batch.records, signal);
      await this.#buffer.ack(batch.end);
    }
  }
}
