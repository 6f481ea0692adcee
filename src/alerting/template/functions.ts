/**
 * @module
 * The functions Alertmanager gives notification templates, beside Go's built-ins: string case
 * and trimming, `join`, `match` and `reReplaceAll` (Go's regexp replacement syntax),
 * `safeHtml`/`safeUrl` (kept as they are in an HTML body), `urlUnescape`, `stringSlice`,
 * `date`/`tz`/`since` on {@link GoTime}s, `humanizeDuration` and `toJson`.
 */

import type { TemplateFunction } from '../../lib/template/exec.js';
import { goReplacement, humanizeDuration } from '../../lib/template/humanize.js';
import { GoDuration, GoTime, zoneOffset } from './time.js';

/** Text an HTML body prints without escaping (Go's `template.HTML`). */
export class SafeHtml {
  constructor(readonly text: string) {}

  String(): string {
    return this.text;
  }

  toString(): string {
    return this.text;
  }
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&#34;',
  "'": '&#39;',
  '\0': '\uFFFD',
};

/**
 * The escaping of an HTML body: everything an action prints is escaped unless it is
 * {@link SafeHtml}.
 *
 * @example
 * escapeHtml('<b>', '<b>'); // '&lt;b&gt;'
 */
export function escapeHtml(printed: string, value: unknown): string {
  if (value instanceof SafeHtml) return printed;
  return printed.replace(/[&<>"'\0]/g, (c) => HTML_ESCAPES[c]!);
}

function asTime(v: unknown, fn: string): GoTime {
  if (v instanceof GoTime) return v;
  throw new Error(`${fn}: expected a time, got ${typeof v}`);
}

/** Go's strings.Title: the first letter of each word upper-cased. */
function title(s: unknown): string {
  return String(s).replace(
    /(^|[^\p{L}\p{N}_'])(\p{L})/gu,
    (_m, a: string, b: string) => a + b.toUpperCase(),
  );
}

/** Go's url.QueryUnescape. */
function urlUnescape(s: unknown): string {
  try {
    return decodeURIComponent(String(s).replace(/\+/g, ' '));
  } catch (err) {
    throw new Error(`invalid URL escape in ${JSON.stringify(s)}`, { cause: err });
  }
}

/** Every name {@link notificationFunctions} defines, for parsing templates. */
export const NOTIFICATION_FUNCTION_NAMES: ReadonlySet<string> = new Set([
  'toUpper',
  'toLower',
  'title',
  'trimSpace',
  'join',
  'match',
  'safeHtml',
  'safeUrl',
  'urlUnescape',
  'reReplaceAll',
  'stringSlice',
  'date',
  'tz',
  'since',
  'humanizeDuration',
  'toJson',
]);

/**
 * The functions of one rendering; `now` is read by `since`.
 *
 * @example
 * notificationFunctions(() => Date.now()).get('toUpper')!('firing'); // 'FIRING'
 */
export function notificationFunctions(now: () => number): ReadonlyMap<string, TemplateFunction> {
  return new Map<string, TemplateFunction>([
    ['toUpper', (s) => String(s).toUpperCase()],
    ['toLower', (s) => String(s).toLowerCase()],
    ['title', title],
    ['trimSpace', (s) => String(s).trim()],
    [
      'join',
      (sep, list) => {
        if (!Array.isArray(list)) throw new Error('join: expected a list of strings');
        return list.map(String).join(String(sep));
      },
    ],
    ['match', (pattern, s) => new RegExp(String(pattern), 'u').test(String(s))],
    ['safeHtml', (s) => new SafeHtml(String(s))],
    ['safeUrl', (s) => new SafeHtml(String(s))],
    ['urlUnescape', urlUnescape],
    [
      'reReplaceAll',
      (pattern, repl, text) =>
        String(text).replace(new RegExp(String(pattern), 'gu'), goReplacement(String(repl))),
    ],
    ['stringSlice', (...s) => s.map(String)],
    ['date', (layout, t) => asTime(t, 'date').Format(layout)],
    [
      'tz',
      (name, t) => {
        let zone = String(name);
        // Go's "Local" is the machine's zone; "" is UTC, as time.LoadLocation reads them.
        if (zone === 'Local') zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
        if (zone === '') zone = 'UTC';
        if (zone !== 'UTC') zoneOffset(zone, 0);
        return new GoTime(asTime(t, 'tz').ms, zone);
      },
    ],
    ['since', (t) => new GoDuration(now() - asTime(t, 'since').ms)],
    ['humanizeDuration', (v) => humanizeDuration(v instanceof GoDuration ? v.Seconds() : v)],
    ['toJson', (v) => JSON.stringify(v)],
  ]);
}
