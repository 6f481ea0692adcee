/**
 * @module
 * The errors a query can end with, as classes callers branch on (the HTTP API maps them to
 * Prometheus' `errorType`: `bad_data`, `timeout`, `execution`). Messages are Prometheus' own, so
 * clients that match on them keep working.
 */

import type { ParseError } from './parser/errors.js';

/**
 * The query text does not parse or type-check, or cannot be run as asked (a range vector as a
 * range query). `cause` is the parser's {@link ParseError} when there is one.
 *
 * @example
 * try { await engine.instantQuery(db, 'sum(', 0); } catch (e) { e instanceof QueryParseError; }
 */
export class QueryParseError extends Error {
  constructor(message: string, options?: { cause?: ParseError }) {
    super(message, options);
    this.name = 'QueryParseError';
  }

  /** The parser's error, when the query did not parse. */
  get parseError(): ParseError | undefined {
    return this.cause as ParseError | undefined;
  }
}

/**
 * The query ran longer than the engine's timeout. `where` names the stage, as in Prometheus'
 * `query timed out in expression evaluation`.
 *
 * @example
 * new QueryTimeoutError('expression evaluation').message; // 'query timed out in expression evaluation'
 */
export class QueryTimeoutError extends Error {
  constructor(readonly where: string) {
    super(`query timed out in ${where}`);
    this.name = 'QueryTimeoutError';
  }
}

/**
 * The query would hold more samples in memory than the engine allows at once.
 *
 * @example
 * new QueryTooManySamplesError(100).message;
 * // 'query processing would load too many samples into memory in query execution'
 */
export class QueryTooManySamplesError extends Error {
  constructor(readonly limit: number) {
    super('query processing would load too many samples into memory in query execution');
    this.name = 'QueryTooManySamplesError';
  }
}

/**
 * Evaluation failed on the data: duplicate label sets, ambiguous vector matching, invalid
 * function arguments, or a storage error (passed as `cause`).
 *
 * @example
 * new QueryExecutionError('vector cannot contain metrics with the same labelset');
 */
export class QueryExecutionError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'QueryExecutionError';
  }
}

/** Prometheus' message for two output series with equal labels at one step. */
export const DUPLICATE_LABELSET = 'vector cannot contain metrics with the same labelset';
