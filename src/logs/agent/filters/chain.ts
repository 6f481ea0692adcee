/**
 * @module
 * Runs an input's record filters in the configured order between the input and the buffers.
 * Each batch an input appends is parsed once, passed through every filter, and the survivors —
 * re-serialized only if a filter changed them — are appended downstream. Dropped records are
 * counted per filter. The input's positions move as for any batch: the batch was accepted once
 * its survivors were (all of them dropped is an empty append, accepted at once), so a dropped
 * line never holds a file's position back.
 */

import type { Counter } from '../../../lib/instrument/index.js';
import type { AgentRecord, Input, RecordSink } from '../stage.js';
import type { Doc } from './field-path.js';
import type { RecordFilter } from './record-filter.js';

export class FilterChain {
  readonly #filters: readonly RecordFilter[];
  readonly #dropped: Counter;

  /** `dropped` is `vigil_agent_records_dropped_total`, labelled here by filter name. */
  constructor(filters: readonly RecordFilter[], dropped: Counter) {
    this.#filters = filters;
    this.#dropped = dropped;
    for (const f of filters) dropped.labels(f.name).inc(0);
  }

  /** The records that pass every filter, in order, as the filters left them. */
  apply(records: readonly AgentRecord[], now = Date.now()): AgentRecord[] {
    const n = records.length;
    const docs: Doc[] = new Array(n);
    for (let i = 0; i < n; i++) docs[i] = JSON.parse(records[i]!.json) as Doc;
    const alive = new Uint8Array(n).fill(1);
    const changed = new Uint8Array(n);
    for (const f of this.#filters) {
      const dropped = f.apply(docs, alive, changed, now);
      if (dropped > 0) this.#dropped.labels(f.name).inc(dropped);
    }
    const out: AgentRecord[] = [];
    for (let i = 0; i < n; i++) {
      if (alive[i] === 0) continue;
      const r = records[i]!;
      out.push(changed[i] === 0 ? r : { id: r.id, json: JSON.stringify(docs[i]) });
    }
    return out;
  }
}

/** A sink that filters each batch before handing it to the next. */
export class FilterSink implements RecordSink {
  readonly #chain: FilterChain;
  readonly #next: RecordSink;

  constructor(chain: FilterChain, next: RecordSink) {
    this.#chain = chain;
    this.#next = next;
  }

  append(records: readonly AgentRecord[]): Promise<void> {
    return this.#next.append(this.#chain.apply(records));
  }

  /** Records that pass unchanged go on as they came. */
  get copiesRecords(): boolean | undefined {
    return this.#next.copiesRecords;
  }

  sync(): Promise<void> {
    return this.#next.sync();
  }
}

/**
 * `input` with its records filtered by `chain` on their way to whatever sink it is started with.
 *
 * @example
 * const pods = filteredInput(new TailInput(options), new FilterChain([drop], metrics.recordsDropped));
 */
export function filteredInput(input: Input, chain: FilterChain): Input {
  return {
    name: input.name,
    start: (sink) => input.start(new FilterSink(chain, sink)),
    stop: () => input.stop(),
  };
}
