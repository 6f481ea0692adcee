/**
 * @module
 * File name patterns with the syntax of Go's `filepath.Match`, which Prometheus uses for
 * `file_sd_configs`: `*` (any run of characters), `?` (one character), `[a-z]`/`[^a-z]`
 * (character classes) and `\` (take the next character literally). Patterns apply to one path
 * element, the file name; the directory part of a `files` entry is literal.
 */

// With the `u` flag only syntax characters may be escaped, and `-` only inside a class.
const escape = (c: string): string => c.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
const escapeInClass = (c: string): string => c.replace(/[\\^[\]-]/g, '\\$&');

/** Whether `s` holds a character that makes it a pattern rather than a literal name. */
export function hasGlobMeta(s: string): boolean {
  return /[*?[\\]/.test(s);
}

/**
 * Compiles a file name pattern to a RegExp matching whole names, or returns why it is invalid.
 *
 * @example
 * (compileGlob('tg_*.json') as RegExp).test('tg_web.json'); // true
 * compileGlob('[a-.json'); // 'invalid character class in "[a-.json"'
 */
export function compileGlob(pattern: string): RegExp | string {
  const chars = [...pattern];
  let re = '';
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '\\') {
      if (i + 1 === chars.length) return `pattern ${JSON.stringify(pattern)} ends in a backslash`;
      re += escape(chars[++i]!);
    } else if (c === '[') {
      let j = i + 1;
      let cls = '';
      if (chars[j] === '^') {
        cls += '^';
        j++;
      }
      const start = j;
      for (; j < chars.length && chars[j] !== ']'; j++) {
        const d = chars[j]!;
        if (d === '\\' && j + 1 < chars.length) cls += escapeInClass(chars[++j]!);
        else cls += d === '-' ? '-' : escapeInClass(d);
      }
      if (j === chars.length || j === start) {
        return `invalid character class in ${JSON.stringify(pattern)}`;
      }
      re += `[${cls}]`;
      i = j;
    } else re += escape(c);
  }
  try {
    return new RegExp(`^${re}$`, 'su');
  } catch {
    return `invalid character class in ${JSON.stringify(pattern)}`;
  }
}
