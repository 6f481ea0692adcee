/**
 * @module
 * The filter stage: each filter sees every record's document after parsing, may change it, and
 * may drop it. Filters run in the order configured, on the pipeline's one thread, so they need
 * no locking and must not block.
 */

/** Where a record was read, for filters that enrich by source. */
export interface RecordSource {
  /** The path the file was found under. */
  readonly path: string;
}

export interface Filter {
  /** Changes `doc` in place; returns false to drop the record (it is counted as dropped). */
  apply(doc: Record<string, unknown>, source: RecordSource): boolean;
}
