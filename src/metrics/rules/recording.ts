/**
 * @module
 * A recording rule: evaluates its expression and names the result, as Prometheus does —
 * `__name__` set to the rule's name, the rule's labels set over the result's, and a result
 * with two equal label sets, or more series than the group's `limit`, is an error.
 */

import { Labels } from '../model/labels.js';
import type { RuleConfig } from './file.js';
import { newEvalRecord, type EvalRecord, type QueryFn, type RuleSample } from './rule.js';

export class RecordingRule {
  readonly kind = 'recording';
  readonly state: EvalRecord = newEvalRecord();

  constructor(readonly config: RuleConfig & { record: string }) {}

  get name(): string {
    return this.config.record;
  }

  /**
   * The samples to append for evaluation time `t` (ms).
   *
   * @throws when the query fails, labels collide or the limit is exceeded.
   * @example
   * const samples = await rule.eval(query, Date.now(), 0);
   */
  async eval(query: QueryFn, t: number, limit: number): Promise<RuleSample[]> {
    const result = await query(this.config.expr, t);
    const seen = new Set<string>();
    const out: RuleSample[] = [];
    for (const s of result) {
      const r = s.labels.toRecord();
      r['__name__'] = this.config.record;
      Object.assign(r, this.config.labels);
      const labels = Labels.fromRecord(r);
      if (seen.has(labels.key)) {
        throw new Error(
          'vector contains metrics with the same labelset after applying rule labels',
        );
      }
      seen.add(labels.key);
      out.push({ labels, v: s.v });
    }
    if (limit > 0 && out.length > limit) {
      throw new Error(`exceeded limit of ${limit} with ${out.length} series`);
    }
    return out;
  }
}
