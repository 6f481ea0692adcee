/**
 * @module
 * Label sets as Alertmanager sees them: plain name → value records, fingerprinted with the
 * FNV-1a 64 hash Prometheus' `model.LabelSet.Fingerprint` uses, so that the fingerprints in the
 * API and in webhook payloads equal the ones Alertmanager would print for the same alert, and
 * printed in Go's `LabelSet.String` form (`{a="1", b="2"}`), which is part of every group key.
 */

import { goQuote } from '../../metrics/promql/parser/strconv.js';

export type LabelSet = Readonly<Record<string, string>>;

const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const MASK = 0xffffffffffffffffn;
/** Prometheus' `model.SeparatorByte`, between names and values so `a=bc` ≠ `ab=c`. */
const SEPARATOR = 0xff;

const encoder = new TextEncoder();

function hashBytes(h: bigint, bytes: Uint8Array): bigint {
  for (const b of bytes) h = ((h ^ BigInt(b)) * FNV_PRIME) & MASK;
  return h;
}

/**
 * The label set's fingerprint as 16 hex digits (`%016x` of the 64-bit hash).
 *
 * @example
 * fingerprint({ alertname: 'Down' }); // 16 hex digits, stable across processes
 */
export function fingerprint(labels: LabelSet): string {
  let h = FNV_OFFSET;
  const sep = new Uint8Array([SEPARATOR]);
  for (const name of Object.keys(labels).sort()) {
    h = hashBytes(h, encoder.encode(name));
    h = hashBytes(h, sep);
    h = hashBytes(h, encoder.encode(labels[name]!));
    h = hashBytes(h, sep);
  }
  return h.toString(16).padStart(16, '0');
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
