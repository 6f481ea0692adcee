/**
 * @module
 * The rule evaluator's own metrics, named as Prometheus' `prometheus_rule_*` with our prefix
 * and labelled by `rule_group` (`<file>;<name>`, as Prometheus labels them), so the alerts
 * users have on a Prometheus' rule evaluation carry over.
 */

import { Counter, Gauge, type Registry } from '../../lib/instrument/index.js';

export interface RuleMetrics {
  readonly evaluations: Counter;
  readonly failures: Counter;
  readonly lastDuration: Gauge;
  readonly lastEvaluation: Gauge;
}

const EVALUATIONS = {
  name: 'vigil_rule_evaluations_total',
  help: 'The total number of rule evaluations.',
  labelNames: ['rule_group'],
};
const FAILURES = {
  name: 'vigil_rule_evaluation_failures_total',
  help: 'The total number of rule evaluation failures.',
  labelNames: ['rule_group'],
};
const LAST_DURATION = {
  name: 'vigil_rule_group_last_duration_seconds',
  help: 'The duration of the last rule group evaluation.',
  labelNames: ['rule_group'],
};
const LAST_EVALUATION = {
  name: 'vigil_rule_group_last_evaluation_timestamp_seconds',
  help: 'The timestamp of the last rule group evaluation in seconds.',
  labelNames: ['rule_group'],
};

/**
 * Registers the metrics in `registry`, or makes unregistered ones when it is omitted.
 *
 * @example
 * const metrics = ruleMetrics(registry);
 */
export function ruleMetrics(registry?: Registry): RuleMetrics {
  if (registry === undefined) {
    return {
      evaluations: new Counter(EVALUATIONS),
      failures: new Counter(FAILURES),
      lastDuration: new Gauge(LAST_DURATION),
      lastEvaluation: new Gauge(LAST_EVALUATION),
    };
  }
  return {
    evaluations: registry.counter(EVALUATIONS),
    failures: registry.counter(FAILURES),
    lastDuration: registry.gauge(LAST_DURATION),
    lastEvaluation: registry.gauge(LAST_EVALUATION),
  };
}
