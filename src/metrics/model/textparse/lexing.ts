/**
 * @module
 * Byte-level scanning shared by both formats: name runs by table lookup, quoted strings, and the
 * two unescaping rules. Scanners take the body's bytes and return offsets, never strings; a
 * string is made only when a caller asks for one, so a series whose text the scraper already
 * knows costs no allocation. Every structural character is ASCII, so a UTF-8 byte from 0x80 up
 * can only be part of a string's content.
 */

const METRIC_START = 1;
const METRIC_CHAR = 2;
const LABEL_START = 4;
const LABEL_CHAR = 8;

/** ASCII classes; bytes from 0x80 up are none of them (UTF-8 names must be quoted). */
const CLASS = new Uint8Array(256);
for (let c = 0; c < 128; c++) {
  const letter = (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;
  const digit = c >= 0x30 && c <= 0x39;
  if (letter || c === 0x3a) CLASS[c]! |= METRIC_START | METRIC_CHAR;
  if (digit) CLASS[c]! |= METRIC_CHAR | LABEL_CHAR;
  if (letter) CLASS[c]! |= LABEL_START | LABEL_CHAR;
}

/**
 * Whether byte `c` may start a legacy metric name (`[a-zA-Z_:]`); false past the end.
 *
 * @example
 * isMetricStart(0x3a); // true (':')
 */
export function isMetricStart(c: number | undefined): boolean {
  return c !== undefined && (CLASS[c]! & METRIC_START) !== 0;
}

/**
 * Whether byte `c` may continue a legacy metric name (`[a-zA-Z0-9_:]`); false past the end.
 *
 * @example
 * isMetricChar(0x7b); // false ('{')
 */
export function isMetricChar(c: number | undefined): boolean {
  return c !== undefined && (CLASS[c]! & METRIC_CHAR) !== 0;
}

/**
 * Whether byte `c` may start a legacy label name (`[a-zA-Z_]`); false past the end.
 *
 * @example
 * isLabelStart(0x3a); // false (':' only starts metric names)
 */
export function isLabelStart(c: number | undefined): boolean {
  return c !== undefined && (CLASS[c]! & LABEL_START) !== 0;
}

/**
 * End of the metric name that starts at `i` (the caller checked {@link isMetricStart}).
 *
 * @example
 * metricNameEnd(Buffer.from('up{job="x"}'), 0); // 2
 */
export function metricNameEnd(b: Uint8Array, i: number): number {
  const n = b.length;
  while (++i < n && (CLASS[b[i]!]! & METRIC_CHAR) !== 0);
  return i;
}

/**
 * End of the label name that starts at `i` (the caller checked {@link isLabelStart}).
 *
 * @example
 * labelNameEnd(Buffer.from('job="x"'), 0); // 3
 */
export function labelNameEnd(b: Uint8Array, i: number): number {
  const n = b.length;
  while (++i < n && (CLASS[b[i]!]! & LABEL_CHAR) !== 0);
  return i;
}

/** Quoted-string rules: whether a raw line feed or a NUL may appear inside. */
export const ALLOW_LF = 1;
export const ALLOW_NUL = 2;

/**
 * Scans the quoted string whose opening quote is at `i`. Returns the offset just past the closing
 * quote, or `-1 - p` where `p` is the offending offset: the end of input (unterminated), a line
 * feed or NUL the rules forbid, or a line feed right after a backslash (never an escape, as in
 * Prometheus' lexer).
 *
 * @example
 * scanQuoted(Buffer.from('"a\\"b" 1'), 0, 0); // 6
 * scanQuoted(Buffer.from('"ab'), 0, 0); // -4
 */
export function scanQuoted(b: Uint8Array, i: number, allow: number): number {
  const n = b.length;
  for (let j = i + 1; j < n; j++) {
    const c = b[j]!;
    // Most content is letters, digits and punctuation: one comparison lets them through.
    if (c > 0x5c) continue;
    if (c === 0x22) return j + 1;
    if (c === 0x5c) {
      if (++j >= n || b[j] === 0x0a) return -1 - j;
    } else if (c === 0x0a) {
      if ((allow & ALLOW_LF) === 0) return -1 - j;
    } else if (c === 0 && (allow & ALLOW_NUL) === 0) {
      return -1 - j;
    }
  }
  return -1 - n;
}

/**
 * Undoes escaping: `\\` and `\n` always, `\"` too when `quotes`. Other backslashes stay as they
 * are, as Prometheus' replacers leave them.
 *
 * @example
 * unescape('a\\"b\\\\n\\t', true); // 'a"b\\n\\t'
 */
export function unescape(raw: string, quotes: boolean): string {
  let i = raw.indexOf('\\');
  if (i === -1) return raw;
  let out = '';
  let from = 0;
  for (; i !== -1 && i + 1 < raw.length; i = raw.indexOf('\\', i)) {
    const c = raw.charCodeAt(i + 1);
    const plain = c === 0x5c ? '\\' : c === 0x6e ? '\n' : quotes && c === 0x22 ? '"' : null;
    if (plain === null) {
      i++;
      continue;
    }
    out += raw.slice(from, i) + plain;
    i += 2;
    from = i;
  }
  return out + raw.slice(from);
}

/**
 * End of the line holding `i`: the offset of its line feed, or the end of the body.
 *
 * @example
 * lineEnd(Buffer.from('a\nb'), 2); // 3
 */
export function lineEnd(b: Uint8Array, i: number): number {
  // On a Buffer (as bodies are) this is Node's native search: faster than a loop here, even on
  // a short line.
  const e = b.indexOf(0x0a, i);
  return e === -1 ? b.length : e;
}

/**
 * First offset from `i` that is not a space or tab.
 *
 * @example
 * skipBlanks(Buffer.from('a \t b'), 1); // 4
 */
export function skipBlanks(b: Uint8Array, i: number): number {
  const n = b.length;
  let c: number;
  while (i < n && ((c = b[i]!) === 0x20 || c === 0x09)) i++;
  return i;
}

/**
 * An ASCII word as bytes, for {@link startsWith}: comparing bytes with bytes avoids
 * `charCodeAt`, which costs twice an array read.
 *
 * @example
 * startsWith(Buffer.from('# HELP x'), 2, word('HELP')); // true
 */
export function word(ascii: string): Uint8Array {
  return Uint8Array.from(ascii, (c) => c.charCodeAt(0));
}

/**
 * Whether the bytes at `i` are `w`.
 *
 * @example
 * startsWith(Buffer.from('# TYPE x'), 2, word('TYPE')); // true
 */
export function startsWith(b: Uint8Array, i: number, w: Uint8Array): boolean {
  if (i + w.length > b.length) return false;
  for (let k = 0; k < w.length; k++) if (b[i + k] !== w[k]) return false;
  return true;
}

/**
 * The value paired with the word that spells `b[start, end)`, or undefined: matches a keyword
 * without making a string (a sliced string as a lookup key would also cost a string-table probe).
 *
 * @example
 * keyword(Buffer.from('# TYPE x gauge'), 9, 14, [[word('gauge'), 'gauge']]); // 'gauge'
 */
export function keyword<T>(
  b: Uint8Array,
  start: number,
  end: number,
  words: readonly (readonly [Uint8Array, T])[],
): T | undefined {
  for (let k = 0; k < words.length; k++) {
    const [w, value] = words[k]!;
    if (w.length === end - start && startsWith(b, start, w)) return value;
  }
  return undefined;
}
