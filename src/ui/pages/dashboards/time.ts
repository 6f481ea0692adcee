/**
 * @module
 * A dashboard's time range as Grafana writes it: `from`/`to` are `now`, `now-6h`, `now-7d`,
 * `now-1d/d` (rounded to the start of the unit, UTC), epoch ms, or an ISO date. Pure, tested
 * beside this file.
 */

const UNIT_MS: Record<string, number> = {
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
};

/** Quick ranges offered by the picker, as Grafana lists them. */
export const QUICK_RANGES: readonly { from: string; label: string }[] = [
  { from: 'now-5m', label: 'Last 5 minutes' },
  { from: 'now-15m', label: 'Last 15 minutes' },
  { from: 'now-30m', label: 'Last 30 minutes' },
  { from: 'now-1h', label: 'Last 1 hour' },
  { from: 'now-3h', label: 'Last 3 hours' },
  { from: 'now-6h', label: 'Last 6 hours' },
  { from: 'now-12h', label: 'Last 12 hours' },
  { from: 'now-24h', label: 'Last 24 hours' },
  { from: 'now-2d', label: 'Last 2 days' },
  { from: 'now-7d', label: 'Last 7 days' },
];

/** Auto-refresh choices; '' is off. */
export const REFRESH_CHOICES: readonly string[] = ['', '5s', '10s', '30s', '1m', '5m', '15m'];

/**
 * Resolves a time expression to epoch ms, or undefined when it does not parse.
 *
 * @example
 * parseTime('now-1h', Date.parse('2024-01-01T01:00:00Z')); // Date.parse('2024-01-01T00:00:00Z')
 */
export function parseTime(text: string, now: number): number | undefined {
  const t = text.trim();
  if (/^\d{10,}$/.test(t)) return Number(t);
  const rel = /^now((?:[+-]\d+[smhdw])*)(?:\/([smhdw]))?$/.exec(t);
  if (rel !== null) {
    let ms = now;
    for (const m of (rel[1] ?? '').matchAll(/([+-])(\d+)([smhdw])/g)) {
      ms += (m[1] === '-' ? -1 : 1) * Number(m[2]) * UNIT_MS[m[3]!]!;
    }
    if (rel[2] !== undefined) ms -= ms % UNIT_MS[rel[2]]!;
    return ms;
  }
  if (t === '' || !/^\d{4}-\d{2}-\d{2}/.test(t)) return undefined;
  const ms = Date.parse(/[zZ]|[+-]\d{2}:?\d{2}$/.test(t) || t.length <= 10 ? t : `${t}Z`);
  return Number.isNaN(ms) ? undefined : ms;
}

/** The label of a range: a quick range's name, or `from to to`. */
export function describeRange(from: string, to: string): string {
  if (to === 'now') {
    const quick = QUICK_RANGES.find((r) => r.from === from);
    if (quick !== undefined) return quick.label;
  }
  return `${from} to ${to}`;
}

/**
 * The step for a range query over `rangeMs` on a panel about `widthPx` wide: about one point
 * per 2 pixels, rounded up to a whole second, never below `minMs`.
 */
export function stepFor(rangeMs: number, widthPx: number, minMs = 1000): number {
  const raw = rangeMs / Math.max(100, widthPx / 2);
  return Math.max(minMs, Math.ceil(raw / 1000) * 1000);
}
