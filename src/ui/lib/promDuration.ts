/**
 * @module
 * Prometheus duration strings (`5m`, `1h30m`, `250ms`) as the Explore page's range and step
 * inputs take them. Pure, so it is tested beside this file.
 */

const UNIT_MS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
  y: 31_536_000_000,
};

/** Units largest first, the order a duration string must use (as in Prometheus). */
const ORDER = ['y', 'w', 'd', 'h', 'm', 's', 'ms'] as const;

const PART = /(\d+)(ms|y|w|d|h|m|s)/y;

/**
 * Parses a Prometheus duration, or a plain number of seconds (`15`, `0.5`), into milliseconds.
 *
 * @returns the duration in ms, or undefined when `text` is not a positive duration
 * @example
 * parsePromDuration('1h30m'); // 5_400_000
 * parsePromDuration('15'); // 15_000
 */
export function parsePromDuration(text: string): number | undefined {
  const s = text.trim();
  if (s === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(s)) {
    const ms = Math.round(Number(s) * 1000);
    return ms > 0 ? ms : undefined;
  }
  let pos = 0;
  let total = 0;
  let lastUnit = -1;
  while (pos < s.length) {
    PART.lastIndex = pos;
    const m = PART.exec(s);
    if (m === null) return undefined;
    const unit = ORDER.indexOf(m[2] as (typeof ORDER)[number]);
    // Each unit at most once and largest first, like Prometheus: "1m1h" is a typo, not 61m.
    if (unit <= lastUnit) return undefined;
    lastUnit = unit;
    total += Number(m[1]) * (UNIT_MS[m[2]!] ?? 0);
    pos = PART.lastIndex;
  }
  return total > 0 ? total : undefined;
}

/**
 * Formats milliseconds as the shortest Prometheus duration string.
 *
 * @example
 * formatPromDuration(5_400_000); // "1h30m"
 * formatPromDuration(0); // "0s"
 */
export function formatPromDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms <= 0) return '0s';
  let rest = Math.round(ms);
  let out = '';
  for (const unit of ORDER) {
    const size = UNIT_MS[unit]!;
    const count = Math.floor(rest / size);
    if (count > 0) {
      out += `${count}${unit}`;
      rest -= count * size;
    }
  }
  return out;
}
