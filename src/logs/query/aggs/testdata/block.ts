/**
 * @module
 * A {@link ResultBlock} over plain documents, for aggregation tests that need matching
 * documents without a store: times from `@timestamp`, values from the flattened fields.
 */

import { forEachField, type FieldValue } from '../../../model/fields.js';
import { parseTime } from '../../../model/timestamp.js';
import type { ResultBlock } from '../../../store/interface.js';

export function blockOf(docs: readonly Record<string, unknown>[]): ResultBlock {
  const ms = new Float64Array(docs.length);
  const ns = new Int32Array(docs.length);
  const fields = docs.map((d, i) => {
    const t = parseTime(d['@timestamp']);
    if (t === undefined) throw new Error(`document ${i} has no @timestamp`);
    ms[i] = t.ms;
    ns[i] = t.ns;
    const m = new Map<string, FieldValue[]>();
    forEachField(d, (p, v) => {
      const list = m.get(p);
      if (list === undefined) m.set(p, [v]);
      else list.push(v);
    });
    return m;
  });
  return {
    index: 'test',
    length: docs.length,
    ms,
    ns,
    position: (i) => ({ ms: ms[i]!, ns: ns[i]!, tiebreak: String(i) }),
    id: (i) => String(i),
    source: (i) => docs[i] as Record<string, unknown>,
    values: (i, path) => fields[i]!.get(path) ?? [],
  };
}
