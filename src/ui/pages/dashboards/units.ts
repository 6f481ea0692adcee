/**
 * @module
 * Values with a panel's unit, as Grafana shows them: `percent` (0–100), `percentunit` (0–1),
 * `bytes` (binary prefixes), `Bps`, `s` (a duration), `short` or none (SI suffixes). Threshold
 * colours for stat, gauge and bar gauge. Pure, tested beside this file.
 */
import { formatValue } from '../../lib/formatSeries';
import type { Threshold } from './types';

function fixed(v: number, decimals: number | undefined): string {
  if (decimals !== undefined) return v.toFixed(decimals);
  const abs = Math.abs(v);
  return abs >= 100 || v === Math.trunc(v) ? String(Math.round(v)) : v.toPrecision(3);
}

function binary(v: number, decimals: number | undefined, suffix: string): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let i = 0;
  let x = v;
  while (Math.abs(x) >= 1024 && i < units.length - 1) {
    x /= 1024;
    i++;
  }
  return `${fixed(x, decimals)} ${units[i]}${suffix}`;
}

function duration(v: number, decimals: number | undefined): string {
  const abs = Math.abs(v);
  if (abs < 1) return `${fixed(v * 1000, decimals)} ms`;
  if (abs < 60) return `${fixed(v, decimals)} s`;
  if (abs < 3600) return `${fixed(v / 60, decimals ?? 1)} min`;
  if (abs < 86400) return `${fixed(v / 3600, decimals ?? 1)} hour`;
  return `${fixed(v / 86400, decimals ?? 1)} day`;
}

/**
 * @example
 * formatUnit(1536, 'bytes'); // "1.50 KiB"
 * formatUnit(42.123, 'percent'); // "42.1%"
 */
export function formatUnit(v: number | null | undefined, unit?: string, decimals?: number): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return formatValue(v);
  switch (unit) {
    case 'percent':
      return `${fixed(v, decimals)}%`;
    case 'percentunit':
      return `${fixed(v * 100, decimals)}%`;
    case 'bytes':
      return binary(v, decimals ?? 2, '');
    case 'Bps':
      return binary(v, decimals ?? 2, '/s');
    case 's':
      return duration(v, decimals);
    default:
      return decimals === undefined ? formatValue(v) : v.toFixed(decimals);
  }
}

const NAMED: Record<string, string> = {
  green: '#22a55b',
  orange: '#f59e0b',
  red: '#e5484d',
  yellow: '#eab308',
  blue: '#3b82f6',
};

/** The colour of `v`: the last threshold whose value it reaches (null is the base). */
export function thresholdColor(
  v: number | null,
  thresholds: readonly Threshold[] | undefined,
): string {
  const list = thresholds ?? [{ value: null, color: 'green' }];
  let color = list[0]?.color ?? 'green';
  for (const t of list) {
    if (t.value === null || (v !== null && v >= t.value)) color = t.color;
  }
  return NAMED[color] ?? color;
}
