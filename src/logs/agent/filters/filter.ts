/**
 * @module
 * The filter stage. What it does today is enrichment and selection by source: fields every
 * record of a file shares (its Kubernetes metadata), computed when the file is opened and
 * serialized once, so a line costs nothing for them; and per source, whether its records are
 * kept and which parser reads it. Per-record filters (include/exclude, add/rename/remove
 * fields, drop by KQL) are another stage: `record-filter.ts`.
 */

import type { MultilineRule } from '../parsers/multiline.js';

/** Where records come from, for filters that enrich by source. */
export interface RecordSource {
  /** The path the file was found under (for a file rotated while the agent was stopped, its old path). */
  readonly path: string;
}

/** A parser a source's metadata chose, overriding the input's (`vigil.io/parser`). */
export interface ParserChoice {
  /** Lift the keys of JSON messages into fields. */
  readonly json: boolean;
  /**
   * A named message parser (agent.yml `parsers:`, or the built-in `logfmt`) that reads the
   * messages instead of {@link json}; the input resolves the name, and uses its own settings
   * when it knows none such.
   */
  readonly named?: string;
  /** A built-in multiline rule to join lines with, or undefined for none. */
  readonly multiline: MultilineRule | undefined;
}

export interface Filter {
  /**
   * Fields every record of `source` gets, or undefined for none. The keys must not be ones
   * parsers set (`@timestamp`, `message`, `stream`, `log`, `host`).
   */
  sourceFields(source: RecordSource): Record<string, unknown> | undefined;
  /**
   * A number that changes whenever {@link sourceFields}, {@link excluded} or {@link parser}
   * could answer differently for some source (metadata arrived or changed). Inputs compare it
   * once per batch and ask again for the files they follow; filters whose answers never change
   * leave it out.
   */
  generation?(): number;
  /**
   * Whether the source's metadata is expected shortly and the input should not start reading
   * it yet (asked again until false). A filter answers true only for a bounded time per source.
   */
  pending?(source: RecordSource): boolean;
  /** Whether the source's records are dropped (counted, never sent). */
  excluded?(source: RecordSource): boolean;
  /** The parser the source asks for, if any; decided when the file is opened. */
  parser?(source: RecordSource): ParserChoice | undefined;
}
