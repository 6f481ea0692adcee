/**
 * @module
 * Text for series and sample values as PromQL users read them. Pure, tested beside this file.
 */
import type { Metric } from '../api/responseTypes/query';

/**
 * A series as a selector: `name{a="b", c="d"}`; labels sorted, `{}` for an empty set.
 *
 * @example
 * formatSeriesName({ __name__: 'up', job: 'vigil' }); // 'up{job="vigil"}'
 */
export function formatSeriesName(metric: Metric): string {
  const name = metric.__name__ ?? '';
  const labels = Object.keys(metric)
    .filter((k) => k !== '__name__')
    .sort()
    .map((k) => `${k}=${JSON.stringify(metric[k])}`);
  if (labels.length === 0) return name === '' ? '{}' : name;
  return `${name}{${labels.join(', ')}}`;
}

/**
 * A sample value string from the API as a number, including Prometheus' `+Inf`, `-Inf`, `NaN`.
 *
 * @example
 * parseSampleValue('+Inf'); // Infinity
 */
export function parseSampleValue(value: string): number {
  if (value === '+Inf' || value === 'Inf') return Infinity;
  if (value === '-Inf') return -Infinity;
  return Number(value);
}

/**
 * A number for an axis or legend: up to 4 significant digits, SI suffixes from 1e3 on.
 *
 * @example
 * formatValue(1536); // "1.536k"
 * formatValue(0.00012); // "0.00012"
 */
export function formatValue(v: number | null | undefined): string {
  if (v === null || v === undefined) return '—';
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf';
  const abs = Math.abs(v);
  const units: [number, string][] = [
    [1e12, 'T'],
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  for (const [size, suffix] of units) {
    if (abs >= size) return `${Number((v / size).toPrecision(4))}${suffix}`;
  }
  return String(Number(v.toPrecision(4)));
}
