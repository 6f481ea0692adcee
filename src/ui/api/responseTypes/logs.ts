/**
 * @module
 * Shapes of the native logs API's `data` (`/api/v1/logs/…`, see docs/logs.md), as the server
 * sends them.
 */

/** A value of a document's field, as in its JSON source. */
export type FieldValue = string | number | boolean | null;

/** One hit of `/logs/search`, `/logs/context` and the tail stream. */
export interface LogHit {
  index: string;
  id: string;
  /** RFC 3339 with up to nine fraction digits. */
  '@timestamp': string;
  source: Record<string, unknown>;
  /** Opaque page token: pass as `after` for the next page, or as `sort` to name this hit. */
  sort: string;
  /** Per field path, the value with matched tokens wrapped in `<em>…</em>`. */
  highlight?: Record<string, string[]>;
}

export interface SearchStats {
  docsScanned: number;
  docsMatched: number;
  took_ms: number;
}

export interface DateHistogramBucket {
  key: number;
  key_as_string: string;
  doc_count: number;
}

export interface TermsBucket {
  key: FieldValue;
  doc_count: number;
}

/** `/logs/search` and `/logs/aggregate`. `aggregations` holds whatever `aggs` asked for. */
export interface SearchResult {
  hits: LogHit[];
  total?: { value: number; relation: 'eq' | 'gte' };
  aggregations?: Record<string, unknown>;
  stats: SearchStats;
}

/** One field of `/logs/fields`. */
export interface FieldInfo {
  path: string;
  types: string[];
  conflict: boolean;
  indexed: boolean;
  /** Documents of the sample that have the field. */
  sampled: number;
  top: { value: FieldValue; count: number }[];
}

export interface FieldsResult {
  /** Documents sampled (the newest matching ones). */
  sample: number;
  fields: FieldInfo[];
}

/** `/logs/context`: the lines around a document in its stream. */
export interface ContextResult {
  stream: Record<string, FieldValue>;
  /** The document itself. */
  anchor: LogHit;
  before: LogHit[];
  after: LogHit[];
}

export interface IndexInfo {
  name: string;
  docs: number;
  bytes: number;
  minMs: number;
  maxMs: number;
}
