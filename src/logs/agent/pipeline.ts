/**
 * @module
 * The running agent: its inputs feed one sink that hands every record to every output's buffer
 * (each output has its own, so a slow destination delays only its own sending — until its
 * buffer fills, when reading waits for it rather than dropping), and one shipper per output
 * drains its buffer. Outputs start first, so records read find somewhere to go.
 */

import type { Logger } from '../../lib/log/logger.js';
import type { Shipper } from './outputs/shipper.js';
import type { AgentRecord, Input, RecordBuffer, RecordSink } from './stage.js';

/** Every record to every buffer (or other sink); accepted when all accepted it. */
export class FanOutSink implements RecordSink {
  readonly #buffers: readonly RecordSink[];
  readonly copiesRecords: boolean;

  constructor(buffers: readonly RecordSink[]) {
    this.#buffers = buffers;
    this.copiesRecords = buffers.every((b) => b.copiesRecords === true);
  }

  async append(records: readonly AgentRecord[]): Promise<void> {
    if (records.length === 0) return;
    await Promise.all(this.#buffers.map((b) => b.append(records)));
  }

  async sync(): Promise<void> {
    await Promise.all(this.#buffers.map((b) => b.sync()));
  }
}

/** One output's buffer and shipper. */
export interface OutputLane {
  readonly buffer: RecordBuffer;
  readonly shipper: Shipper;
}

export class Pipeline {
  readonly #inputs: readonly Input[];
  readonly #lanes: readonly OutputLane[];
  readonly #sink: RecordSink;
  readonly #log: Logger;

  /**
   * @example
   * const pipeline = new Pipeline([tail], [{ buffer, shipper }], new FanOutSink([buffer]), log);
   * await pipeline.start();
   */
  constructor(
    inputs: readonly Input[],
    lanes: readonly OutputLane[],
    sink: RecordSink,
    log: Logger,
  ) {
    this.#inputs = inputs;
    this.#lanes = lanes;
    this.#sink = sink;
    this.#log = log;
  }

  async start(): Promise<void> {
    for (const lane of this.#lanes) lane.shipper.start();
    for (const input of this.#inputs) await input.start(this.#sink);
  }

  /**
   * Stops reading and sending, closes the buffers and saves positions. The buffers close before
   * the inputs finish, so an input waiting for space in a full buffer (destination down) stops
   * too; its batch was not taken, and its position does not move past it.
   */
  async stop(): Promise<void> {
    const inputs = this.#inputs.map((input) =>
      input.stop().catch((err: unknown) => {
        this.#log.error('cannot stop input', { input: input.name, err });
      }),
    );
    for (const lane of this.#lanes) {
      await lane.shipper.stop();
      await lane.buffer.close();
    }
    await Promise.all(inputs);
  }
}
