/**
 * @module
 * Cardinality figures of the head, in the shape of Prometheus' `/api/v1/status/tsdb`: which
 * metric names, label names and label pairs account for the most series — what an operator
 * looks at when the series count explodes.
 */

import type { Head } from './head.js';

export interface NameValue {
  name: string;
  value: number;
}

export interface HeadCardinality {
  headStats: { numSeries: number; chunkCount: number; minTime: number; maxTime: number };
  seriesCountByMetricName: NameValue[];
  labelValueCountByLabelName: NameValue[];
  memoryInBytesByLabelName: NameValue[];
  seriesCountByLabelValuePair: NameValue[];
}

function top(entries: Iterable<NameValue>, limit: number): NameValue[] {
  return [...entries]
    .sort((a, b) => b.value - a.value || (a.name < b.name ? -1 : 1))
    .slice(0, limit);
}

/**
 * The `limit` largest entries of each figure. Walks the inverted index (one step per label
 * pair) and every series once for the chunk count.
 *
 * @example
 * headCardinality(db.head, 10).seriesCountByMetricName[0]; // { name: 'http_requests_total', value: 3100 }
 */
export function headCardinality(head: Head, limit = 10): HeadCardinality {
  const ix = head.index;
  const pairs: NameValue[] = [];
  const valueCounts: NameValue[] = [];
  const memory: NameValue[] = [];
  for (const name of ix.labelNames()) {
    const counts = ix.valueCounts(name);
    valueCounts.push({ name, value: counts.size });
    let bytes = 0;
    for (const [value, n] of counts) {
      pairs.push({ name: `${name}=${value}`, value: n });
      bytes += Buffer.byteLength(value) * n;
    }
    memory.push({ name, value: bytes });
  }
  let chunkCount = 0;
  for (const s of head.allSeries()) chunkCount += s.chunks().length;
  const byMetric = [...ix.valueCounts('__name__')].map(([name, value]) => ({ name, value }));
  return {
    headStats: {
      numSeries: head.numSeries,
      chunkCount,
      minTime: Number.isFinite(head.minTime) ? head.minTime : 0,
      maxTime: Number.isFinite(head.maxTime) ? head.maxTime : 0,
    },
    seriesCountByMetricName: top(byMetric, limit),
    labelValueCountByLabelName: top(valueCounts, limit),
    memoryInBytesByLabelName: top(memory, limit),
    seriesCountByLabelValuePair: top(pairs, limit),
  };
}
