/**
 * @module
 * The filter stage. What it does today is enrichment by source: fields every record of a file
 * shares (its Kubernetes metadata), computed once when the file is opened and serialized once,
 * so a line costs nothing for them. Per-record filters (drop by KQL, add/rename/remove fields)
 * join this interface when they land (issue 8).
 */

/** Where records come from, for filters that enrich by source. */
export interface RecordSource {
  /** The path the file was found under (for a file rotated while the agent was stopped, its old path). */
  readonly path: string;
}

export interface Filter {
  /**
   * Fields every record of `source` gets, or undefined for none. Called once per source; the
   * keys must not be ones parsers set (`@timestamp`, `message`, `stream`, `log`, `host`).
   */
  sourceFields(source: RecordSource): Record<string, unknown> | undefined;
}
