/**
 * @module
 * Per-record filters, as `agent.yml`'s `filters` configure them: they see each record's document
 * after parsing and before the buffers, in the order configured, and may change it or drop it.
 * Unlike the source filters of `filter.ts` (fields a whole file shares, computed once), these
 * cost a parse and, when they change the record, a serialization per record, so an input
 * without filters skips them entirely.
 *
 * A filter works on a batch at once (the KQL filter tests it column by column, as the store
 * does): `docs` with `alive`, where a dropped record's flag is 0 and later filters skip it.
 */

import type { Doc } from './field-path.js';

export interface RecordFilter {
  /** The name it is configured under: its label in `vigil_agent_records_dropped_total`. */
  readonly name: string;
  /**
   * Filters the live records of a batch: clears `alive[i]` of each record it drops and sets
   * `changed[i]` for each it modifies. Returns how many it dropped. `now` is the batch's time
   * (ms), for queries relative to it.
   */
  apply(docs: readonly Doc[], alive: Uint8Array, changed: Uint8Array, now: number): number;
}
