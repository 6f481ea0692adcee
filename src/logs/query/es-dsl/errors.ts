/**
 * @module
 * The error of a request body in Elasticsearch's query DSL that cannot be compiled. It carries
 * Elasticsearch's error `type` (`parsing_exception` for a malformed query, an unknown query or
 * parameter; `query_shard_exception` for a `query_string` that does not parse;
 * `illegal_argument_exception` for a value out of range) so the HTTP layer answers in
 * Elasticsearch's envelope. Where Elasticsearch has a well-known wording (`unknown query
 * [foo]`), the reason keeps it, because clients and people search for those words.
 */

/**
 * A query that cannot be compiled.
 *
 * @example
 * throw new EsQueryError('parsing_exception', 'unknown query [foo]');
 */
export class EsQueryError extends Error {
  constructor(
    readonly type: string,
    reason: string,
    options?: { cause?: unknown; causedBy?: { type: string; reason: string } },
  ) {
    super(reason, options);
    this.name = 'EsQueryError';
    this.causedBy = options?.causedBy;
  }

  /** The underlying error as Elasticsearch nests it (`caused_by`). */
  readonly causedBy: { type: string; reason: string } | undefined;
}
