/**
 * @module
 * Moves records from one buffer to one output: reads batches in order, sends up to `inFlight`
 * of them at once, and acknowledges each to the buffer once it and every batch before it were
 * delivered, so the buffer's position never passes an undelivered record.
 */

import type { Logger } from '../../../lib/log/logger.js';
import type { Output, RecordBuffer } from '../stage.js';

export interface BatchOptions {
  maxRecords: number;
  maxBytes: number;
  /** How long to wait for a batch to fill before sending what there is. */
  waitMs: number;
  /**
   * Batches sent at once. Above 1 the agent prepares the next batch while the destination
   * stores the previous one; batches are still acknowledged in order, but may be stored out of
   * order, which destinations that order by time (Vigil, Elasticsearch) do not mind.
   */
  inFlight: number;
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
    const { maxRecords, maxBytes, waitMs, inFlight } = this.#batch;
    const sending: { done: Promise<void>; end: unknown }[] = [];
    while (!signal.aborted) {
      while (sending.length < inFlight) {
        // Wait for a batch to fill only when nothing is in flight; otherwise take what is there.
        const batch = await this.#buffer.read(
          maxRecords,
          maxBytes,
          sending.length === 0 ? waitMs : 0,
        );
        if (signal.aborted || batch.records.length === 0) break;
        const done = this.#output.send(batch.records, signal);
        // Awaited below in order; this only keeps a later batch's abort from being unhandled meanwhile.
        done.catch(() => {});
        sending.push({ done, end: batch.end });
      }
      const first = sending.shift();
      if (first === undefined) continue;
      await first.done;
      await this.#buffer.ack(first.end);
    }
  }
}
