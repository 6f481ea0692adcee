/**
 * @module
 * How a JSON document becomes searchable fields. Objects flatten into dotted paths
 * (`{"kubernetes":{"labels":{"app":"web"}}}` is `kubernetes.labels.app`), keys that contain dots
 * keep them (`app.kubernetes.io/name` under `labels` is `labels.app.kubernetes.io/name`), and an
 * array gives its path several values. `null` and empty arrays give no value, as in
 * Elasticsearch, so `field:*` does not match them.
 *
 * Because the store works on paths and never on a schema, the layouts that break an
 * Elasticsearch mapping (`labels.app` a string in one pod and `labels.app.kubernetes.io/name`
 * making `labels.app` an object in another) are just different paths here: no document is
 * ever rejected for its shape. A path whose values have different types in different documents
 * keeps each type; the mapping lists them all.
 */

import { parseTime } from './timestamp.js';

/** A leaf value of a document. Strings are searchable as keywords and as text. */
export type FieldValue = string | number | boolean;

/**
 * The types a field can have, with Elasticsearch's names. A string is `keyword` (and full text);
 * `date` and `ip` are strings that read as a date or an IP address, detected per value.
 */
export type FieldType = 'keyword' | 'long' | 'double' | 'boolean' | 'date' | 'ip';

/**
 * Calls `onValue` with every leaf of `source`: its dotted path and value, in document order.
 *
 * @example
 * forEachField({ a: { b: 1, c: ['x', null] }, 'd.e': true }, (p, v) => console.log(p, v));
 * // a.b 1 / a.c x / d.e true
 */
export function forEachField(
  source: Readonly<Record<string, unknown>>,
  onValue: (path: string, value: FieldValue) => void,
): void {
  for (const key in source) visit(key, source[key], onValue);
}

function visit(path: string, value: unknown, onValue: (path: string, value: FieldValue) => void) {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      onValue(path, value);
      return;
    case 'number':
      if (Number.isFinite(value)) onValue(path, value);
      return;
    case 'object':
      if (value === null) return;
      if (Array.isArray(value)) {
        for (const v of value) visit(path, v, onValue);
        return;
      }
      for (const key in value)
        visit(`${path}.${key}`, (value as Record<string, unknown>)[key], onValue);
      return;
    default:
      return;
  }
}

const DATE_LIKE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}|$)/;
const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/**
 * The type of one value. Strings are `date` when they read as an ISO 8601 date (as
 * Elasticsearch's dynamic date detection does; see `timestamp.ts`), `ip` for a dotted-quad IPv4 or an IPv6 address,
 * else `keyword`.
 *
 * @example
 * typeOf(42); // 'long'
 * typeOf(0.5); // 'double'
 * typeOf('2024-01-01T00:00:00Z'); // 'date'
 * typeOf('10.0.0.1'); // 'ip'
 */
export function typeOf(value: FieldValue): FieldType {
  switch (typeof value) {
    case 'number':
      return Number.isInteger(value) ? 'long' : 'double';
    case 'boolean':
      return 'boolean';
    default:
      if (!maybeTyped(value)) return 'keyword';
      if (isDate(value)) return 'date';
      if (value.length >= 2 && value.length <= 45 && isIp(value)) return 'ip';
      return 'keyword';
  }
}

/**
 * False for strings that can be neither a date nor an address, by their first character: both
 * start with a digit; what the IPv6 test reads starts with a hex letter, `:` or `.`. Most log strings
 * (messages, names) fail it, and skip the regular expressions (the segment writer asks this of
 * every distinct string it indexes).
 */
function maybeTyped(s: string): boolean {
  if (s.length < 2) return false;
  const c = s.charCodeAt(0);
  const lower = c | 0x20;
  return (c >= 48 && c <= 58) || (lower >= 97 && lower <= 102) || c === 46;
}

function isDate(s: string): boolean {
  // The prefix test keeps the full parse off most strings; the parse rejects `2024-02-30` and
  // `2024-01-01T10:00 tail`, which Elasticsearch's date detection rejects too.
  return s.length >= 10 && s.length <= 35 && DATE_LIKE.test(s) && parseTime(s) !== undefined;
}

function isIp(s: string): boolean {
  if (IPV4.test(s)) return true;
  if (!s.includes(':')) return false;
  return /^[0-9a-fA-F:.]+$/.test(s) && isIPv6(s);
}

function isIPv6(s: string): boolean {
  const halves = s.split('::');
  if (halves.length > 2) return false;
  const groups = (h: string) => (h === '' ? [] : h.split(':'));
  const parts = halves.flatMap(groups);
  // A dotted quad may only end the address: `1.2.3.4::` is not one.
  const tail = halves[halves.length - 1]!;
  const v4 = tail !== '' && IPV4.test(parts[parts.length - 1]!);
  const hex = v4 ? parts.slice(0, -1) : parts;
  if (!hex.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return false;
  const count = hex.length + (v4 ? 2 : 0);
  return halves.length === 2 ? count < 8 : count === 8;
}
