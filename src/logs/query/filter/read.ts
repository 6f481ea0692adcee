/**
 * @module
 * How filters read query text as a typed value. A match query's text is read as a whole and,
 * when that fails, word by word, so `status:404 500` (one KQL value) finds the number 404 and the
 * number 500, as the words of a `match` query each find a term.
 */

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Reads decimal number text (no hex, no `Infinity`, no surrounding spaces).
 *
 * @example
 * readNumber('1e3'); // 1000
 * readNumber('0x10'); // undefined
 */
export function readNumber(text: string): number | undefined {
  return NUMBER.test(text) ? Number(text) : undefined;
}

/**
 * The values `read` finds in `text`: the whole text's, or else each whitespace-separated
 * word's.
 *
 * @example
 * readAll('404 500 x', readNumber); // [404, 500]
 */
export function readAll<T>(text: string, read: (s: string) => T | undefined): T[] {
  const whole = read(text.trim());
  if (whole !== undefined) return [whole];
  const out: T[] = [];
  for (const word of text.split(/\s+/)) {
    const v = word === '' ? undefined : read(word);
    if (v !== undefined) out.push(v);
  }
  return out;
}
