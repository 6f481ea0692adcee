/**
 * @module
 * The tokenizer that full-text search is built on. A token is a maximal run of letters, digits
 * and `_`, lowercased: `GET /api/v1/users?id=42` is `get api v1 users id 42`, and
 * `kube-system` is `kube system`. Splitting on every other character (dots and slashes too,
 * unlike Elasticsearch's standard analyzer, which keeps `www.example.com` whole) lets a search for
 * one part of a host name, path or Java class name find it, which is what people search logs for.
 *
 * Indexing and querying use the same function, so a value matches exactly when its tokens do.
 * ASCII text, nearly all log text, takes a `charCodeAt` fast path; other characters are
 * classified with Unicode properties.
 */

const WORD = /[\p{L}\p{N}\p{M}_]/u;

/**
 * True for the ASCII characters (and UTF-8 bytes) that tokens are made of: letters, digits, `_`.
 * Every byte from 0x80 up belongs to a non-ASCII character, which may or may not be a letter.
 */
export function isAsciiWord(c: number): boolean {
  return (
    (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 // _
  );
}

/**
 * True when `token` is one that ASCII text can have: lowercase ASCII letters, digits and `_`.
 *
 * @example
 * asciiToken('kube'); // true
 * asciiToken('größe'); // false
 */
export function asciiToken(token: string): boolean {
  if (token.length === 0) return false;
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    if (!isAsciiWord(c) || (c >= 65 && c <= 90)) return false;
  }
  return true;
}

function isWordAt(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c < 128) return isAsciiWord(c);
  const cp = text.codePointAt(i) ?? c;
  return WORD.test(String.fromCodePoint(cp));
}

/**
 * Calls `onToken` with each token of `text` in order, repeats included (phrase matching needs
 * positions), and where it sits in `text` (`[start, end)`, for highlighting). Tokens are
 * lowercased.
 *
 * @example
 * const out: string[] = [];
 * forEachToken('Connection refused: kube-system/DNS', (t) => out.push(t));
 * // out = ['connection', 'refused', 'kube', 'system', 'dns']
 */
export function forEachToken(
  text: string,
  onToken: (token: string, start: number, end: number) => void,
): void {
  forEachTokenSpan(text, (start, end, kind) => {
    const token = text.slice(start, end);
    onToken(kind === SPAN_LOWER_ASCII ? token : token.toLowerCase(), start, end);
  });
}

/** A token of lowercase ASCII: the text itself is the token. */
export const SPAN_LOWER_ASCII = 0;
/** A token of ASCII with capitals: the token is the text with `A`–`Z` lowercased. */
export const SPAN_ASCII = 1;
/** A token with other characters: the token is the text's `toLowerCase()`. */
export const SPAN_UNICODE = 2;

/**
 * The tokens of {@link forEachToken} as spans of `text`, without making a string of each: for
 * callers that only hash tokens (the segment writer's bloom filters), where the substrings cost
 * more than the hashing.
 *
 * @example
 * forEachTokenSpan('Kube-system', (start, end, kind) => {}); // (0, 4, SPAN_ASCII), (5, 11, SPAN_LOWER_ASCII)
 */
export function forEachTokenSpan(
  text: string,
  onSpan: (start: number, end: number, kind: number) => void,
): void {
  const n = text.length;
  let i = 0;
  while (i < n) {
    while (i < n && !isWordAt(text, i))
      i += text.charCodeAt(i) >= 0xd800 ? surrogateLen(text, i) : 1;
    if (i >= n) return;
    const start = i;
    let kind = SPAN_LOWER_ASCII;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c < 128) {
        if (!isAsciiWord(c)) break;
        if (c >= 65 && c <= 90 && kind === SPAN_LOWER_ASCII) kind = SPAN_ASCII;
        i++;
      } else {
        if (!isWordAt(text, i)) break;
        kind = SPAN_UNICODE;
        i += surrogateLen(text, i);
      }
    }
    onSpan(start, i, kind);
  }
}

/** 2 for a surrogate pair at `i`; 1 for anything else, a lone surrogate included. */
function surrogateLen(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c < 0xd800 || c > 0xdbff) return 1;
  const d = text.charCodeAt(i + 1);
  return d >= 0xdc00 && d <= 0xdfff ? 2 : 1;
}

/**
 * The tokens of `text`, in order.
 *
 * @example
 * tokenize('ERROR: disk /dev/sda1 full'); // ['error', 'disk', 'dev', 'sda1', 'full']
 */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  forEachToken(text, (t) => out.push(t));
  return out;
}
