/**
 * @module
 * The few pieces of Go's `strconv` and `fmt` that PromQL's text depends on, so that numbers,
 * strings and error messages come out byte-for-byte as Prometheus writes them: `%q` quoting
 * (`strconv.Quote`/`QuoteRune`), `%#U`, `FormatFloat(v, 'f', -1, 64)`, `%f`, and number literal
 * parsing (`ParseInt(s, 0, 64)` falling back to `ParseFloat(s, 64)`, as Prometheus' parser does).
 * String literal unquoting follows Prometheus' `strutil.Unquote`: `\x` and octal escapes yield
 * raw bytes, and the byte string is read back as UTF-8 (invalid sequences become U+FFFD, since a
 * JavaScript string cannot hold them).
 */

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;

/**
 * Go's `unicode.IsPrint`: letters, marks, numbers, punctuation, symbols and the ASCII space.
 *
 * @example
 * isPrint(0x41); // true
 * isPrint(0xa0); // false (no-break space)
 */
export function isPrint(cp: number): boolean {
  if (cp < 0x80) return cp >= 0x20 && cp < 0x7f;
  if (cp >= 0xd800 && cp <= 0xdfff) return false;
  return PRINTABLE.test(String.fromCodePoint(cp));
}

const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0');

function escapeRune(cp: number, quote: number): string {
  if (cp === quote || cp === 0x5c) return '\\' + String.fromCharCode(cp);
  if (isPrint(cp)) return String.fromCodePoint(cp);
  switch (cp) {
    case 0x07:
      return '\\a';
    case 0x08:
      return '\\b';
    case 0x0c:
      return '\\f';
    case 0x0a:
      return '\\n';
    case 0x0d:
      return '\\r';
    case 0x09:
      return '\\t';
    case 0x0b:
      return '\\v';
  }
  if (cp < 0x20 || cp === 0x7f) return '\\x' + hex(cp, 2);
  if (cp < 0x10000) return '\\u' + hex(cp, 4);
  return '\\U' + hex(cp, 8);
}

/**
 * Go's `strconv.Quote` (and `fmt`'s `%q` on a string).
 *
 * @example
 * goQuote('a"b\n'); // '"a\\"b\\n"'
 */
export function goQuote(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // ASCII fast path: most strings in queries are plain label values.
    if (c >= 0x20 && c < 0x7f && c !== 0x22 && c !== 0x5c) {
      out += s[i];
      continue;
    }
    const cp = s.codePointAt(i)!;
    if (cp > 0xffff) i++;
    out += escapeRune(cp, 0x22);
  }
  return out + '"';
}

/**
 * Go's `%.Nq`: quotes at most the first `max` code points.
 *
 * @example
 * goQuotePrefix('"hello world"', 10); // '"\\"hello wo"'
 */
export function goQuotePrefix(s: string, max: number): string {
  let end = 0;
  for (let n = 0; n < max && end < s.length; n++) end += s.codePointAt(end)! > 0xffff ? 2 : 1;
  return goQuote(s.slice(0, end));
}

/**
 * Go's `strconv.QuoteRune` (and `%q` on a rune). A negative code point (end of input) quotes
 * as U+FFFD, as Go does for an invalid rune.
 *
 * @example
 * goQuoteRune(0x7d); // "'}'"
 */
export function goQuoteRune(cp: number): string {
  if (cp < 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) cp = 0xfffd;
  return "'" + escapeRune(cp, 0x27) + "'";
}

/**
 * Go's `%#U`: `U+0063 'c'`, without the quoted character when it is not printable.
 *
 * @example
 * goUnicode(0x63); // "U+0063 'c'"
 */
export function goUnicode(cp: number): string {
  const code = 'U+' + cp.toString(16).toUpperCase().padStart(4, '0');
  return isPrint(cp) ? `${code} '${String.fromCodePoint(cp)}'` : code;
}

/**
 * Go's `strconv.FormatFloat(v, 'f', -1, 64)`: the shortest digits that read back as `v`, never
 * in exponent form; infinities are `+Inf`/`-Inf`.
 *
 * @example
 * formatFloat(1e21); // '1000000000000000000000'
 * formatFloat(-Infinity); // '-Inf'
 */
export function formatFloat(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const s = String(v);
  if (!s.includes('e')) return s;
  const [mantissa, exponent] = v.toExponential().split('e') as [string, string];
  const sign = v < 0 ? '-' : '';
  const digits = mantissa.replace('-', '').replace('.', '');
  const point = Number(exponent) + 1;
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return sign + digits + '0'.repeat(point - digits.length);
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/**
 * Go's `%f` (six decimals, exact decimal expansion for large values).
 *
 * @example
 * formatFixed6(1e30); // '1000000000000000019884624838656.000000'
 */
export function formatFixed6(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  if (Math.abs(v) < 1e21) return (Object.is(v, -0) ? '-' : '') + v.toFixed(6);
  return BigInt(v).toString() + '.000000';
}

/** Go's `underscoreOK`: underscores may only separate digits (or follow a base prefix). */
function underscoreOK(s: string): boolean {
  let saw = '^';
  let i = 0;
  let isHex = false;
  if (s.length >= 2 && s[0] === '0' && 'bBoOxX'.includes(s[1]!)) {
    i = 2;
    saw = '0';
    isHex = s[1] === 'x' || s[1] === 'X';
  }
  for (; i < s.length; i++) {
    const c = s[i]!;
    if ((c >= '0' && c <= '9') || (isHex && ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))) {
      saw = '0';
    } else if (c === '_') {
      if (saw !== '0') return false;
      saw = '_';
    } else {
      if (saw === '_') return false;
      saw = '!';
    }
  }
  return saw !== '_';
}

const INT64_MAX = (1n << 63n) - 1n;

/** Go's `strconv.ParseInt(s, 0, 64)` for the unsigned literals the lexer produces; null on error. */
function parseGoInt(s: string): number | null {
  if (s === '') return null;
  let base = 10n;
  let digits = s;
  if (s[0] === '0') {
    const p = s.length >= 3 ? s[1]!.toLowerCase() : '';
    if (p === 'x' || p === 'o' || p === 'b') {
      base = p === 'x' ? 16n : p === 'o' ? 8n : 2n;
      digits = s.slice(2);
    } else {
      base = 8n;
      digits = s.slice(1);
    }
  }
  let n = 0n;
  let underscores = false;
  for (const c of digits) {
    if (c === '_') {
      underscores = true;
      continue;
    }
    const d = parseInt(c, 36);
    if (Number.isNaN(d) || BigInt(d) >= base) return null;
    n = n * base + BigInt(d);
    if (n > INT64_MAX) return null;
  }
  if (underscores && !underscoreOK(s)) return null;
  return Number(n);
}

const DECIMAL_FLOAT = /^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Reads a number literal as Prometheus does (`ParseInt` base 0, else `ParseFloat`): `0x1F`,
 * `0755` (octal), `1_000`, `1e3`, `.5`, `Inf`, `NaN`. On failure returns the error Go's
 * `ParseFloat` gives, which Prometheus reports after `error parsing number: `.
 *
 * @example
 * parseNumber('0x1F'); // { value: 31 }
 * parseNumber('1e999'); // { error: 'strconv.ParseFloat: parsing "1e999": value out of range' }
 */
export function parseNumber(s: string): { value: number } | { error: string } {
  const asInt = parseGoInt(s);
  if (asInt !== null) return { value: asInt };
  const fail = (why: string) => ({ error: `strconv.ParseFloat: parsing ${goQuote(s)}: ${why}` });
  const lower = s.toLowerCase();
  if (lower === 'inf' || lower === 'infinity') return { value: Infinity };
  if (lower === 'nan') return { value: NaN };
  if (s.includes('_') && !underscoreOK(s)) return fail('invalid syntax');
  const plain = s.replaceAll('_', '');
  if (!DECIMAL_FLOAT.test(plain)) return fail('invalid syntax');
  const value = Number(plain);
  return Number.isFinite(value) ? { value } : fail('value out of range');
}

const SIMPLE_ESCAPES: Record<string, string> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  "'": "'",
  '"': '"',
};

/**
 * Unquotes a string token the lexer has already validated (`"…"`, `'…'` or `` `…` ``).
 *
 * @example
 * unquote(`'a\\'b'`); // "a'b"
 * unquote('"\\u263a"'); // '☺'
 */
export function unquote(token: string): string {
  const body = token.slice(1, -1);
  if (token[0] === '`' || !body.includes('\\')) return body;
  const bytes: number[] = [];
  const encoder = new TextEncoder();
  let rawBytes = false;
  let text = '';
  const flush = () => {
    if (text === '') return;
    for (const b of encoder.encode(text)) bytes.push(b);
    text = '';
  };
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\') {
      text += c;
      continue;
    }
    const e = body[++i]!;
    if (e in SIMPLE_ESCAPES) {
      text += SIMPLE_ESCAPES[e];
    } else if (e === 'x' || (e >= '0' && e <= '7')) {
      const digits = e === 'x' ? body.slice(i + 1, i + 3) : body.slice(i, i + 3);
      i += 2;
      flush();
      bytes.push(parseInt(digits, e === 'x' ? 16 : 8));
      rawBytes = true;
    } else {
      const width = e === 'u' ? 4 : 8;
      text += String.fromCodePoint(parseInt(body.slice(i + 1, i + 1 + width), 16));
      i += width;
    }
  }
  if (!rawBytes) return text;
  flush();
  return new TextDecoder().decode(new Uint8Array(bytes));
}
