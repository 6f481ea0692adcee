/**
 * @module
 * The {@link QueryFn} rules evaluate through, over the PromQL engine: an instant query at the
 * evaluation time, a scalar taken as a one-sample vector, anything else an error (Prometheus'
 * `EngineQueryFunc`).
 */

import { Labels } from '../model/labels.js';
import type { Engine } from '../promql/engine.js';
import type { Queryable } from '../storage/interface.js';
import type { QueryFn } from './rule.js';

/**
 * @example
 * const query = engineQueryFn(new Engine(), tsdb);
 * const vector = await query('sum(up)', Date.now());
 */
export function engineQueryFn(engine: Engine, q: Queryable): QueryFn {
  return async (expr, t) => {
    const r = await engine.instantQuery(q, expr, t);
    if (r.resultType === 'vector') return r.result.map((s) => ({ labels: s.labels, v: s.v }));
    if (r.resultType === 'scalar') return [{ labels: Labels.EMPTY, v: r.result.v }];
    throw new Error('rule result is not a vector or scalar');
  };
}
