/**
 * @module
 * Name rules shared by both exposition formats, checked once at registration so that exposition
 * never has to validate or escape a name.
 */
import { InvalidMetricError } from './errors.js';
import type { MetricFamily } from './family.js';

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * Label names with a type-specific meaning: histogram bounds and summary quantiles. Writers add
 * `le` themselves, and `promtool check metrics` rejects either on any other type, so no metric
 * may declare them.
 */
const RESERVED_LABELS: readonly string[] = ['le', 'quantile'];

/**
 * Throws unless `name` is a valid metric name.
 *
 * @example
 * checkMetricName('vigil_up', 'vigil_up'); // ok
 * checkMetricName('vigil-up', 'vigil-up'); // throws InvalidMetricError
 */
export function checkMetricName(metric: string, name: string): void {
  if (!METRIC_NAME.test(name)) {
    throw new InvalidMetricError(metric, name, 'metric names must match [a-zA-Z_:][a-zA-Z0-9_:]*');
  }
}

/**
 * Throws unless every label name is valid, unreserved and unique.
 *
 * @example
 * checkLabelNames('req_seconds', ['method', 'code']); // ok
 * checkLabelNames('req_seconds', ['le']); // throws InvalidMetricError
 */
export function checkLabelNames(metric: string, labelNames: readonly string[]): void {
  const seen = new Set<string>();
  for (const label of labelNames) {
    if (!LABEL_NAME.test(label)) {
      throw new InvalidMetricError(metric, label, 'label names must match [a-zA-Z_][a-zA-Z0-9_]*');
    }
    if (label.startsWith('__')) {
      throw new InvalidMetricError(metric, label, 'label names starting with __ are reserved');
    }
    if (RESERVED_LABELS.includes(label)) {
      throw new InvalidMetricError(metric, label, 'le and quantile are reserved label names');
    }
    if (seen.has(label)) throw new InvalidMetricError(metric, label, 'duplicate label name');
    seen.add(label);
  }
}

/**
 * Throws unless `unit` is empty or a suffix of the family's base name, as OpenMetrics requires.
 *
 * @example
 * checkUnit('req_seconds_total', 'req_seconds', 'seconds'); // ok
 * checkUnit('req_total', 'req', 'seconds'); // throws InvalidMetricError
 */
export function checkUnit(metric: string, familyName: string, unit: string | undefined): void {
  if (unit === undefined || unit === '') return;
  if (!LABEL_NAME.test(unit) || !familyName.endsWith('_' + unit)) {
    throw new InvalidMetricError(metric, unit, 'the unit must be a suffix of the name after a _');
  }
}

/**
 * Checks a family from a custom collector against the same rules as built-in metrics.
 *
 * @example
 * checkFamily({ name: 'up', help: 'Up.', type: 'gauge', samples: [] }); // ok
 */
export function checkFamily(family: MetricFamily): void {
  checkMetricName(family.name, family.name);
  checkUnit(family.name, family.name, family.unit);
  for (const sample of family.samples) {
    checkLabelNames(
      family.name,
      sample.labels.map(([name]) => name),
    );
  }
}
