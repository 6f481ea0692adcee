/**
 * @module
 * Why a push was refused, as classes the HTTP layer maps to a status code: each carries the
 * status the Pushgateway answers with, so routes need no table of their own.
 */

/** A refused request; `status` is the HTTP status the Pushgateway answers with. */
export class PushError extends Error {
  override readonly name: string = 'PushError';
  readonly status: number;

  constructor(status: number, message: string, options?: ErrorOptions) {
    super(message, options);
    this.status = status;
  }
}

/**
 * The URL does not name a valid group: an odd number of path segments, an invalid label name,
 * invalid base64, or no job.
 *
 * @example
 * new GroupingKeyError('improper label name "1x"');
 */
export class GroupingKeyError extends PushError {
  override readonly name = 'GroupingKeyError';

  constructor(message: string) {
    super(400, message);
  }
}

/** The body is not a valid text-format 0.0.4 exposition; `cause` is the parser's error. */
export class PushParseError extends PushError {
  override readonly name = 'PushParseError';

  constructor(message: string, options?: ErrorOptions) {
    super(400, `text format parsing error: ${message}`, options);
  }
}

/** The body is in a format Vigil does not read (the protobuf delimited format). */
export class UnsupportedFormatError extends PushError {
  override readonly name = 'UnsupportedFormatError';

  constructor(contentType: string) {
    super(
      415,
      `cannot read push: Content-Type ${JSON.stringify(contentType)} (protobuf delimited) is not supported; push the text format 0.0.4 (text/plain; version=0.0.4)`,
    );
  }
}

/**
 * The push parsed but was refused: it carries timestamps, or the store would become
 * inconsistent with it (a type conflict, a duplicate series, an invalid name). The group's
 * `push_failure_time_seconds` has been set, as the Pushgateway does.
 */
export class InconsistentPushError extends PushError {
  override readonly name = 'InconsistentPushError';
  /** Every problem found; the message shows them all. */
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(
      400,
      `pushed metrics are invalid or inconsistent with existing metrics: ${problems.join('; ')}`,
    );
    this.problems = problems;
  }
}
