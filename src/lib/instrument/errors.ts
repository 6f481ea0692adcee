/**
 * @module
 * Errors thrown at registration. Both are programmer errors found at startup, but they are classes
 * so a component that registers metrics from configuration can tell them apart from its own.
 */

/** A metric's name, or one of the series names it would expose, is already taken in the registry. */
export class DuplicateMetricError extends Error {
  /** The name being registered. */
  readonly metric: string;
  /** The registered metric it clashes with. */
  readonly existing: string;

  constructor(metric: string, existing: string) {
    super(
      metric === existing
        ? `cannot register metric ${metric}: a metric with that name is already registered`
        : `cannot register metric ${metric}: its series names clash with registered metric ${existing}`,
    );
    this.name = 'DuplicateMetricError';
    this.metric = metric;
    this.existing = existing;
  }
}

/** A metric name, label name, unit or bucket layout breaks the exposition formats' rules. */
export class InvalidMetricError extends Error {
  /** The metric being registered. */
  readonly metric: string;
  /** The offending name or value, as given. */
  readonly invalid: string;

  constructor(metric: string, invalid: string, reason: string) {
    super(`cannot register metric ${metric}: ${reason}: ${JSON.stringify(invalid)}`);
    this.name = 'InvalidMetricError';
    this.metric = metric;
    this.invalid = invalid;
  }
}
