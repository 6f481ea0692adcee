/**
 * @module
 * THE log storage boundary. Ingest (the native API, Elasticsearch `_bulk`, Loki push, the agent's
 * output) gets a {@link LogWriter}; search, aggregations, live tail and the APIs get a
 * {@link LogSearcher}. Neither knows which engine is behind it: the local store
 * (`logs/store/local/`) or, for scale-out, an Elasticsearch/OpenSearch cluster.
 *
 * Data model, as Elasticsearch users know it: named indices of JSON documents. Each document
 * has an id and a time (`@timestamp`, nanoseconds kept); its fields are the dotted paths of
 * its leaves (`model/fields.ts`). Documents are immutable once written.
 *
 * Units: times are `LogTime`s (`model/timestamp.ts`: ms since the epoch plus ns within the ms); time ranges
 * are `[from, to)` in milliseconds.
 */

import type { FieldType, FieldValue } from '../model/fields.js';
import type { Query } from '../query/query.js';

/** One document to write. */
export interface WriteRequest {
  /** Index name: lowercase, no `\ / * ? " < > | , #` or space, not `.`/`..`, ≤ 255 bytes. */
  readonly index: string;
  /**
   * `create` refuses an id that already exists. `index` with an id that exists keeps the first
   * document (documents are immutable) and reports `exists` too, so a shipper retrying a batch
   * with the same ids cannot store a document twice.
   */
  readonly op: 'index' | 'create';
  /** The document's id; the store assigns a unique one when absent. */
  readonly id?: string;
  /** The document. `@timestamp` gives its time; without a readable one it gets the write time. */
  readonly source: Readonly<Record<string, unknown>>;
  /**
   * The JSON text `source` was parsed from, when the caller has it (a `_bulk` document line):
   * a store that keeps documents as JSON keeps this text instead of serializing `source` again.
   * It must parse to `source`; whitespace is allowed.
   */
  readonly json?: string;
}

/** What became of one {@link WriteRequest}. */
export type WriteResult =
  | { readonly status: 'created'; readonly id: string }
  | { readonly status: 'exists'; readonly id: string }
  | {
      readonly status: 'rejected';
      readonly id?: string;
      /** Elasticsearch's error type, e.g. `invalid_index_name_exception`, `document_too_large`. */
      readonly type: string;
      readonly reason: string;
    };

/** Something that takes documents. */
export interface LogWriter {
  /**
   * Writes a batch. When the promise resolves, every `created` document is durable (it survives
   * `kill -9` of this process) and searchable within one second. One result per request, in
   * order; a rejected document does not affect the others. Safe to call concurrently.
   *
   * @throws {StoreBusyError} (errors.ts) when the store cannot take the batch now (back-pressure);
   *   nothing of the batch was written.
   */
  write(batch: readonly WriteRequest[]): Promise<WriteResult[]>;
  /**
   * Deletes the indices named (exact names, no patterns) with every document and the mapping,
   * and resolves to the names that existed. Every document acknowledged before the call is gone
   * for good, restarts included; one written while the call runs may survive it. A later write to
   * a deleted name starts a new, empty index.
   */
  deleteIndices(names: readonly string[]): Promise<string[]>;
}

/** What to search. */
export interface SearchRequest {
  /** Index names or `*` patterns; empty means every index. */
  readonly indices: readonly string[];
  readonly query: Query;
  /** Time range `[from, to)` in ms since the epoch; open when absent. */
  readonly from?: number;
  readonly to?: number;
  /**
   * Block order. `desc`/`asc`: documents arrive sorted by time (then by {@link Position}) across
   * and within blocks, newest or oldest first. `none`: any order, for aggregations that read
   * every match and do not need one.
   */
  readonly order: 'desc' | 'asc' | 'none';
  /** Resume strictly after this position in `order` (pagination with `search_after`). */
  readonly after?: Position;
  /** Paths the consumer will read with {@link ResultBlock.values}; others may not be loaded. */
  readonly fields?: readonly string[];
  /**
   * The consumer reads the ids and sources of the documents it gets (a page of hits): a store
   * may then load all of a block's columns ahead, off the thread that filters.
   */
  readonly sources?: boolean;
  /** Stops the search; the promise then rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}

/**
 * Where a document sits in the total order of a search: its time, then a tiebreaker unique
 * within the store that is stable for the document's lifetime. Opaque to callers beyond
 * being JSON-serialisable and comparable by the store.
 */
export interface Position {
  readonly ms: number;
  readonly ns: number;
  readonly tiebreak: string;
}

/**
 * A block of matching documents of one index. Valid only during the `onBlock` call that
 * receives it: copy out what must outlive the call.
 */
export interface ResultBlock {
  readonly index: string;
  readonly length: number;
  /** Per document: ms since the epoch. */
  readonly ms: Float64Array;
  /** Per document: ns within the millisecond. */
  readonly ns: Int32Array;
  position(i: number): Position;
  id(i: number): string;
  /** The document as written. */
  source(i: number): Record<string, unknown>;
  /** The values of `path` in document `i` (empty when it has none). */
  values(i: number, path: string): readonly FieldValue[];
  /**
   * When `path` is a dictionary column of the stored block these documents come from: its
   * distinct values and, per document, the index of its one value there (-1: none). An
   * aggregation then counts codes instead of reading each document's values. Undefined when
   * the block cannot say (read {@link values} then).
   */
  codes?(path: string): DocumentCodes | undefined;
}

/** {@link ResultBlock.codes}: per document an index into `values`, or -1. */
export interface DocumentCodes {
  readonly values: readonly FieldValue[];
  readonly codes: Int32Array;
}

/** What a search cost. */
export interface SearchStats {
  /** Documents whose fields were read to decide whether they match. */
  readonly docsScanned: number;
  readonly docsMatched: number;
  /** Bytes read from segments (compressed) to answer. */
  readonly bytesRead: number;
  /** Storage blocks skipped by time range or index without reading their documents. */
  readonly blocksSkipped: number;
}

/** One field of the mapping. */
export interface FieldMapping {
  readonly path: string;
  /** Every type seen for this path; more than one is a conflict, which is kept, not rejected. */
  readonly types: readonly FieldType[];
  /**
   * False when the field arrived after the index reached its field limit: its values stay in
   * the stored documents but it cannot be searched.
   */
  readonly indexed: boolean;
}

/** An index as `_cat/indices` shows it. */
export interface IndexInfo {
  readonly name: string;
  readonly docs: number;
  /** Bytes on disk, WAL included. */
  readonly bytes: number;
  /** Oldest and newest document time, ms; undefined when empty. */
  readonly minMs?: number;
  readonly maxMs?: number;
}

/** Something that answers searches. */
export interface LogSearcher {
  /**
   * Streams the documents that match, in blocks, to `onBlock` until they run out or `onBlock`
   * returns `false`. Every document acknowledged by a {@link LogWriter.write} that resolved
   * more than one second before the call is seen.
   *
   * @throws {QueryLimitError} (errors.ts) when the search would scan more documents or take
   *   longer than the store's limits allow.
   */
  search(req: SearchRequest, onBlock: (block: ResultBlock) => boolean | void): Promise<SearchStats>;
  /** The fields of the indices matching `indices` (names or patterns; empty: all), by path. */
  mapping(indices: readonly string[]): Promise<Map<string, FieldMapping>>;
  /** Every index, by name. */
  indices(): Promise<IndexInfo[]>;
}
