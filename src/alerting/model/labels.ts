/**
 * @module
 * Label sets as Alertmanager sees them: plain name → value records, fingerprinted with the
 * FNV-1a 64 hash Prometheus' `model.LabelSet.Fingerprint` uses, so that the fingerprints in the
 * API and in webhook payloads equal the ones Alertmanager would print for the same alert, and
 * printed in Go's `LabelSet.String` form (`{a="1", b="2"}`), which is part of every group key.
 */

import { goQuote } from '../../metrics/promql/parser/strconv.js';

export type LabelSet = Readonly<Record<string, string>>;

/** Prometheus' `model.SeparatorByte`, between names and values so `a=bc` ≠ `ab=c`. */
const SEPARATOR = 0xff;

const encoder = new TextEncoder();

/** The hash being computed, as two 32-bit halves; fingerprint() runs to completion. */
let hi = 0;
let lo = 0;

/**
 * One FNV-1a 64 step. The prime is 2^40 + 0x1b3, so h·prime = h·0x1b3 + (h << 40), and every
 * partial product stays below 2^53. BigInt arithmetic per byte cost a third of the
 * Alertmanager's CPU in bench/alerting.bench.ts.
 */
function step(b: number): void {
  lo = (lo ^ b) >>> 0;
  const t = lo * 0x1b3;
  const nlo = t >>> 0;
  hi = (Math.imul(hi, 0x1b3) + (t - nlo) / 0x1_0000_0000 + (lo << 8)) >>> 0;
  lo = nlo;
}

/** Hashes `s`'s UTF-8 bytes, then one separator byte. */
function hashString(s: string): void {
  let ascii = true;
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) > 0x7f) {
      ascii = false;
      break;
    }
  }
  if (ascii) for (let i = 0; i < s.length; i++) step(s.charCodeAt(i));
  else for (const b of encoder.encode(s)) step(b);
  step(SEPARATOR);
}

/**
 * The label set's fingerprint as 16 hex digits (`%016x` of the 64-bit hash).
 *
 * @example
 * fingerprint({ alertname: 'Down' }); // 16 hex digits, stable across processes
 */
export function fingerprint(labels: LabelSet): string {
  // FNV-1a 64's offset basis.
  hi = 0xcbf29ce4;
  lo = 0x84222325;
  for (const name of Object.keys(labels).sort()) {
    hashString(name);
    hashString(labels[name]!);
  }
  return hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0');
}

/**
 * Go's `model.LabelSet.String()`: names sorted, values `%q`-quoted, joined by `, `.
 *
 * @example
 * labelSetString({ b: '2', a: '1' }); // '{a="1", b="2"}'
 */
export function labelSetString(labels: LabelSet): string {
  const parts = Object.keys(labels)
    .sort()
    .map((n) => `${n}=${goQuote(labels[n]!)}`);
  return `{${parts.join(', ')}}`;
}

/** The labels (or annotations) every set shares with the same value. */
export function commonLabels(sets: readonly LabelSet[]): Record<string, string> {
  if (sets.length === 0) return {};
  const common: Record<string, string> = { ...sets[0] };
  for (let i = 1; i < sets.length; i++) {
    for (const name of Object.keys(common)) {
      if (sets[i]![name] !== common[name]) delete common[name];
    }
  }
  return common;
}

/** A copy with names sorted, so JSON output is stable (Go marshals maps in key order). */
export function sortedLabels(labels: LabelSet): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of Object.keys(labels).sort()) out[n] = labels[n]!;
  return out;
}

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Prometheus' label name rule, which Alertmanager applies to alerts, `match` and `group_by`. */
export function isLabelName(s: string): boolean {
  return LABEL_NAME.test(s);
}
