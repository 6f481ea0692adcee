/**
 * @module
 * logfmt messages (`level=warn msg="disk \"data\" 91% full" retry`), as Go's go-logfmt and
 * Heroku write them: pairs separated by spaces; a key is a run of bytes other than space, `=`
 * and `"`; a value is bare (up to the next space) or double-quoted with Go escapes (`\"`, `\\`,
 * `\n`, `\t`, `\r`, `\uXXXX`); a key without `=` is a flag and reads as `true`; `key=` is the
 * empty string.
 *
 * A message is taken as logfmt only when every token reads and at least one has `=`: a sentence
 * ("connection reset by peer") would otherwise read as a row of flags.
 */

/**
 * Reads `text` as logfmt; the pairs in order (a repeated key keeps its last value), or
 * undefined when the text is not logfmt.
 *
 * @example
 * parseLogfmt('level=info msg="a b" ok');
 * // { level: 'info', msg: 'a b', ok: true }
 */
export function parseLogfmt(text: string): Record<string, string | true> | undefined {
  const out: Record<string, string | true> = {};
  const n = text.length;
  let i = 0;
  let pairs = 0;
  for (;;) {
    while (i < n && isSpace(text.charCodeAt(i))) i++;
    if (i >= n) break;
    const keyStart = i;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x3d /* = */ || c === 0x22 /* " */ || isSpace(c)) break;
      i++;
    }
    if (i === keyStart) return undefined; // `=value` or a stray quote
    const key = text.slice(keyStart, i);
    if (i >= n || text.charCodeAt(i) !== 0x3d) {
      setOwn(out, key, true);
      continue;
    }
    i++; // `=`
    pairs++;
    if (i < n && text.charCodeAt(i) === 0x22) {
      const end = quotedEnd(text, i);
      if (end < 0) return undefined;
      const value = unquote(text.slice(i, end));
      if (value === undefined) return undefined;
      setOwn(out, key, value);
      i = end;
      if (i < n && !isSpace(text.charCodeAt(i))) return undefined; // `a="b"c`
      continue;
    }
    const valueStart = i;
    while (i < n && !isSpace(text.charCodeAt(i))) {
      const c = text.charCodeAt(i);
      if (c === 0x22 || c === 0x3d) return undefined; // `a=b"c` or `a=b=c`
      i++;
    }
    setOwn(out, key, text.slice(valueStart, i));
  }
  return pairs > 0 ? out : undefined;
}

/**
 * `obj[key] = value` as an own property, also for `__proto__`, which plain assignment would
 * take for the object's prototype (and lose, or worse) rather than a field of that name.
 */
export function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(obj, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else {
    obj[key] = value;
  }
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09;
}

/** The index after the closing quote of the string opening at `start`, or -1 if unterminated. */
function quotedEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5c /* \ */) i++;
    else if (c === 0x22) return i + 1;
  }
  return -1;
}

const ESCAPES: Record<string, string> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  n: '\n',
  t: '\t',
  r: '\r',
  b: '\b',
  f: '\f',
};

/** The value of a quoted string, quotes included; undefined for an unknown escape. */
function unquote(quoted: string): string | undefined {
  const body = quoted.slice(1, -1);
  if (!body.includes('\\')) return body;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const e = body[++i];
    if (e === undefined) return undefined;
    const simple = ESCAPES[e];
    if (simple !== undefined) {
      out += simple;
    } else if (e === 'u' || e === 'x') {
      const len = e === 'u' ? 4 : 2;
      const hex = body.slice(i + 1, i + 1 + len);
      if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== len) return undefined;
      out += String.fromCharCode(parseInt(hex, 16));
      i += len;
    } else {
      return undefined;
    }
  }
  return out;
}
