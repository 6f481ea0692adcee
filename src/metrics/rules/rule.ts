/**
 * @module
 * What every rule shares: the query function rules evaluate through, the health they report
 * on `/api/v1/rules`, and the samples an evaluation produces for the group to append.
 */

import type { Labels } from '../model/labels.js';

/** One element of a rule's result: an instant vector sample. */
export interface RuleSample {
  readonly labels: Labels;
  readonly v: number;
}

/**
 * Evaluates PromQL at `t` (ms) and returns an instant vector; a scalar result is a vector of
 * one sample without labels, as in Prometheus' `EngineQueryFunc`.
 *
 * @throws when the query fails or its result is neither a vector nor a scalar.
 */
export type QueryFn = (expr: string, t: number) => Promise<RuleSample[]>;

/** `ok` after a successful evaluation, `err` after a failed one, `unknown` before the first. */
export type RuleHealth = 'ok' | 'err' | 'unknown';

/** How the last evaluation of a rule or group went, for the API. */
export interface EvalRecord {
  health: RuleHealth;
  lastError: string;
  /** ms since the epoch; 0 before the first evaluation. */
  lastEvaluation: number;
  /** seconds */
  evaluationTime: number;
}

export function newEvalRecord(): EvalRecord {
  return { health: 'unknown', lastError: '', lastEvaluation: 0, evaluationTime: 0 };
}

/** Prometheus' staleness marker, a NaN with these exact bits. */
export const STALE_NAN = new Float64Array(new BigUint64Array([0x7ff0000000000002n]).buffer)[0]!;
