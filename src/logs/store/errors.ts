/**
 * @module
 * The errors the log storage boundary raises. Callers branch on the class: ingest turns
 * {@link StoreBusyError} into HTTP 429, search turns {@link QueryLimitError} into the API's
 * error shape.
 */

/** The store cannot take more writes now; retry later. */
export class StoreBusyError extends Error {
  constructor(reason: string) {
    super(`cannot write documents: store busy: ${reason}`);
    this.name = 'StoreBusyError';
  }
}

/** A search went over a configured limit. */
export class QueryLimitError extends Error {
  constructor(
    /** The limit's config key, e.g. `max_docs_scanned`. */
    readonly limit: string,
    readonly value: number,
  ) {
    super(`cannot run search: exceeded ${limit} (${value})`);
    this.name = 'QueryLimitError';
  }
}
