/**
 * @module
 * The running agent's pipeline, which a new configuration can change in place (SIGHUP): each
 * input and each output lane is known by name with a key (its configuration, serialized), and
 * {@link LivePipeline.apply} restarts only those whose key changed, starts the new ones and
 * stops the removed ones. Positions and buffers are on disk, so nothing is lost across a
 * restart of a part: a stopped input saved its positions and the new one resumes there; a lane
 * replaced closes its buffer and the new one reopens the same directory.
 *
 * Inputs append through a {@link LaneSink}, which hands each record to every lane's buffer by
 * output name, and to the fixed sinks the pipeline was built with (the server's own store, for
 * the agent inside `vigil server`), which a reload leaves alone. When a lane is replaced, an append its old buffer refused (closed: the records
 * were not taken) is made again to the new one, so inputs that did not change keep running.
 * An input being stopped has its appends aborted, even one waiting for room in a full buffer
 * (its records not taken, its position not moved past them).
 */

import type { Logger } from '../../lib/log/logger.js';
import type { OutputLane } from './pipeline.js';
import { SinkClosedError, type AgentRecord, type Input, type RecordSink } from './stage.js';

/**
 * Every record to every lane's buffer, by output name, and to each fixed sink; lanes can be
 * replaced meanwhile.
 */
export class LaneSink implements RecordSink {
  readonly #fixed: readonly RecordSink[];
  /** Lanes' buffers are disk buffers, which copy; so must every fixed sink be. */
  readonly copiesRecords: boolean;
  /**
   * Each lane; pending while it is being replaced, null if its replacement could not be built
   * (then appends skip it).
   */
  readonly #lanes = new Map<string, Promise<OutputLane | null>>();

  constructor(fixed: readonly RecordSink[] = []) {
    this.#fixed = fixed;
    this.copiesRecords = fixed.every((sink) => sink.copiesRecords === true);
  }

  /** Appends to every current lane; a replaced lane's refusal is retried on its successor. */
  async append(records: readonly AgentRecord[], signal?: AbortSignal): Promise<void> {
    if (records.length === 0) return;
    await Promise.all([
      ...this.#fixed.map((sink) => sink.append(records, signal)),
      ...[...this.#lanes.keys()].map((name) => this.#appendTo(name, records, signal)),
    ]);
  }

  async sync(): Promise<void> {
    await Promise.all([
      ...this.#fixed.map((sink) => sink.sync()),
      ...[...this.#lanes.values()].map(async (lane) => {
        try {
          await (await lane)?.buffer.sync();
        } catch (err) {
          if (!(err instanceof SinkClosedError)) throw err;
        }
      }),
    ]);
  }

  async #appendTo(
    name: string,
    records: readonly AgentRecord[],
    signal: AbortSignal | undefined,
  ): Promise<void> {
    for (;;) {
      const entry = this.#lanes.get(name);
      // Removed meanwhile: its output no longer wants records.
      if (entry === undefined) return;
      const lane = await entry;
      if (lane === null) return;
      try {
        await lane.buffer.append(records, signal);
        return;
      } catch (err) {
        if (!(err instanceof SinkClosedError) || signal?.aborted === true) throw err;
        // Closed because it is being replaced or removed: try whatever is there now.
        if (this.#lanes.get(name) === entry) throw err;
      }
    }
  }

  /**
   * Puts `next` (or nothing) in place of lane `name`: appends wait while `next` is built,
   * after the old lane's shipper stopped and its buffer closed (it may reopen the same files).
   */
  async replace(name: string, next: (() => OutputLane) | null): Promise<void> {
    const old = this.#lanes.get(name);
    if (next === null) {
      this.#lanes.delete(name);
      const lane = await old;
      if (lane) await retire(lane);
      return;
    }
    const built = (async () => {
      const lane = await old;
      if (lane) await retire(lane);
      const fresh = next();
      fresh.shipper.start();
      return fresh;
    })();
    const entry = built.catch(() => null);
    this.#lanes.set(name, entry);
    try {
      await built;
    } catch (err) {
      if (this.#lanes.get(name) === entry) this.#lanes.delete(name);
      throw err;
    }
  }
}

async function retire(lane: OutputLane): Promise<void> {
  await lane.shipper.stop();
  await lane.buffer.close();
}

/** Parts of the pipeline that could not be built or started; the others run. */
export class PartsFailedError extends Error {
  constructor(readonly failures: readonly { part: string; err: unknown }[]) {
    super(
      `cannot start ${failures.map((f) => `${f.part}: ${(f.err as Error).message}`).join('; ')}`,
      { cause: failures[0]?.err },
    );
    this.name = 'PartsFailedError';
  }
}

/** A part of the pipeline: its configuration as text (equal text, unchanged part) and a builder. */
export interface PartSpec<T> {
  readonly key: string;
  build(): T;
}

/** What {@link LivePipeline.apply} did, by name. */
export interface ApplyResult {
  started: string[];
  restarted: string[];
  stopped: string[];
}

/** An input started with its own handle on the sink, so stopping it aborts its appends. */
interface RunningInput {
  key: string;
  input: Input;
  abort: AbortController;
}

export class LivePipeline {
  readonly #sink: LaneSink;
  readonly #inputs = new Map<string, RunningInput>();
  readonly #laneKeys = new Map<string, string>();
  readonly #log: Logger;

  /** `fixed` sinks get every record besides the lanes; they are the caller's to close. */
  constructor(log: Logger, fixed: readonly RecordSink[] = []) {
    this.#log = log;
    this.#sink = new LaneSink(fixed);
  }

  /**
   * Brings the pipeline to `inputs` and `outputs`: parts whose key is unchanged keep running;
   * changed and removed inputs are stopped (saving positions) before any lane changes; then
   * lanes are replaced or added, then removed; then inputs are started. The first call starts
   * everything. Calls must not overlap.
   *
   * @throws {PartsFailedError} after doing all it could, naming the parts that could not be
   *   built or started (they are not running; the next apply tries them again).
   */
  async apply(
    inputs: ReadonlyMap<string, PartSpec<Input>>,
    outputs: ReadonlyMap<string, PartSpec<OutputLane>>,
  ): Promise<{ inputs: ApplyResult; outputs: ApplyResult }> {
    const result = {
      inputs: { started: [], restarted: [], stopped: [] } as ApplyResult,
      outputs: { started: [], restarted: [], stopped: [] } as ApplyResult,
    };
    const changed = new Set<string>();
    const failed: { part: string; err: unknown }[] = [];
    for (const [name, running] of [...this.#inputs]) {
      const next = inputs.get(name);
      if (next?.key === running.key) continue;
      await this.#stopInput(name, running);
      if (next === undefined) result.inputs.stopped.push(name);
      else changed.add(name);
    }
    // New lanes before removed ones go: an input that keeps running always has somewhere to
    // put its records (an output renamed is a new lane, then a removed one).
    for (const [name, spec] of outputs) {
      const key = this.#laneKeys.get(name);
      if (key === spec.key) continue;
      try {
        await this.#sink.replace(name, () => spec.build());
      } catch (err) {
        this.#laneKeys.delete(name);
        failed.push({ part: `output ${name}`, err });
        continue;
      }
      this.#laneKeys.set(name, spec.key);
      (key === undefined ? result.outputs.started : result.outputs.restarted).push(name);
    }
    for (const name of [...this.#laneKeys.keys()]) {
      if (outputs.has(name)) continue;
      await this.#sink.replace(name, null);
      this.#laneKeys.delete(name);
      result.outputs.stopped.push(name);
    }
    for (const [name, spec] of inputs) {
      if (this.#inputs.has(name)) continue;
      const abort = new AbortController();
      const sink = this.#sink;
      const handle: RecordSink = {
        append: (records) => sink.append(records, abort.signal),
        copiesRecords: sink.copiesRecords,
        sync: () => sink.sync(),
      };
      try {
        const input = spec.build();
        await input.start(handle);
        this.#inputs.set(name, { key: spec.key, input, abort });
      } catch (err) {
        failed.push({ part: `input ${name}`, err });
        continue;
      }
      (changed.has(name) ? result.inputs.restarted : result.inputs.started).push(name);
    }
    if (failed.length > 0) throw new PartsFailedError(failed);
    return result;
  }

  async #stopInput(name: string, running: RunningInput): Promise<void> {
    running.abort.abort(new SinkClosedError(`input ${name}`));
    try {
      await running.input.stop();
    } catch (err) {
      this.#log.error('cannot stop input', { input: name, err });
    }
    this.#inputs.delete(name);
  }

  /** Stops every input (saving positions), then every lane. */
  async stop(): Promise<void> {
    for (const [name, running] of [...this.#inputs]) await this.#stopInput(name, running);
    for (const name of [...this.#laneKeys.keys()]) await this.#sink.replace(name, null);
    this.#laneKeys.clear();
  }
}
