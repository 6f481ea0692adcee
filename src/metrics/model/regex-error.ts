/**
 * @module
 * Go's wording for a regular expression that does not compile. Prometheus 3 compiles a label
 * regex as `^(?s:<re>)$` with Go's RE2 parser and reports its error verbatim, e.g.
 * ``error parsing regexp: missing closing ): `^(?s:()$` ``. The matcher here compiles with
 * JavaScript's engine, which accepts some patterns RE2 rejects (`\\q`, lookarounds) and words its
 * errors differently, so every regex is first checked here the way Go's parser would check it:
 * parentheses, brackets, repetition, escapes and Perl groups.
 */

const WORD = /[0-9A-Za-z_]/;
const ESCAPABLE_LETTERS = 'dDsSwWbBAzafnrtv';

/**
 * Go's complaint about `pattern` as Prometheus compiles it, as the full message Prometheus
 * reports, or null when Go would accept it.
 *
 * @example
 * goRegexError('('); // 'error parsing regexp: missing closing ): `^(?s:()$`'
 * goRegexError('a|b'); // null
 */
export function goRegexError(pattern: string): string | null {
  const why = findSyntaxError(`^(?s:${pattern})$`);
  return why === null ? null : `error parsing regexp: ${why}`;
}

const quoted = (code: string, text: string): string => `${code}: \`${text}\``;

/** Go's `regexp/syntax` error for `re`, or null if this checker finds none. */
function findSyntaxError(re: string): string | null {
  let depth = 0;
  let canRepeat = false;
  let lastRepeat = -1;
  let i = 0;
  while (i < re.length) {
    const c = re[i]!;
    if (c === '*' || c === '+' || c === '?' || (c === '{' && repeatEnd(re, i) > 0)) {
      const start = i;
      i = c === '{' ? repeatEnd(re, i) : i + 1;
      if (c === '{') {
        const [min, max] = re.slice(start + 1, i - 1).split(',');
        const lo = Number(min);
        const hi = max === undefined ? lo : max === '' ? -1 : Number(max);
        if (lo > 1000 || hi > 1000 || (hi >= 0 && lo > hi)) {
          return quoted('invalid repeat count', re.slice(start, i));
        }
      }
      if (re[i] === '?') i++;
      if (lastRepeat >= 0)
        return quoted('invalid nested repetition operator', re.slice(lastRepeat, i));
      if (!canRepeat) return quoted('missing argument to repetition operator', re.slice(start, i));
      lastRepeat = start;
      continue;
    }
    lastRepeat = -1;
    if (c === '(') {
      if (re[i + 1] === '?') {
        const end = perlGroupEnd(re, i);
        if (typeof end === 'string') return end;
        if (re[end - 1] === ')') {
          i = end;
          canRepeat = false;
          continue;
        }
        i = end;
      } else {
        i++;
      }
      depth++;
      canRepeat = false;
    } else if (c === ')') {
      if (depth === 0) return quoted('unexpected )', re);
      depth--;
      i++;
      canRepeat = true;
    } else if (c === '|') {
      i++;
      canRepeat = false;
    } else if (c === '[') {
      const end = classEnd(re, i);
      if (typeof end === 'string') return end;
      i = end;
      canRepeat = true;
    } else if (c === '\\') {
      const end = escapeEnd(re, i);
      if (typeof end === 'string') return end;
      i = end;
      canRepeat = true;
    } else {
      i += re.codePointAt(i)! > 0xffff ? 2 : 1;
      canRepeat = true;
    }
  }
  return depth > 0 ? quoted('missing closing )', re) : null;
}

/** End of a `{n}`, `{n,}` or `{n,m}` repeat starting at `i`; 0 when `{` is a literal. */
function repeatEnd(re: string, i: number): number {
  const m = /^\{(\d+)(,(\d*))?\}/.exec(re.slice(i));
  return m === null ? 0 : i + m[0].length;
}

/** After `(?`: flags `(?i)`, `(?i:`, or a named group `(?P<n>` / `(?<n>`. */
function perlGroupEnd(re: string, i: number): number | string {
  let j = i + 2;
  if (re.startsWith('P<', j) || (re[j] === '<' && re[j + 1] !== '=' && re[j + 1] !== '!')) {
    const nameStart = re.indexOf('<', j) + 1;
    const close = re.indexOf('>', nameStart);
    if (close < 0) return quoted('invalid named capture', re.slice(i));
    const name = re.slice(nameStart, close);
    if (name === '' || ![...name].every((ch) => WORD.test(ch))) {
      return quoted('invalid named capture', re.slice(i, close + 1));
    }
    return close + 1;
  }
  let sawFlag = false;
  for (; j < re.length; j++) {
    const ch = re[j]!;
    if ('imsU'.includes(ch)) {
      sawFlag = true;
    } else if (ch === '-' && re[j - 1] !== '-') {
      continue;
    } else if ((ch === ':' || ch === ')') && (sawFlag || ch === ':') && re[j - 1] !== '-') {
      return j + 1;
    } else {
      break;
    }
  }
  return quoted('invalid or unsupported Perl syntax', re.slice(i, Math.min(j + 1, re.length)));
}

/** End of a `[...]` class starting at `i`. */
function classEnd(re: string, i: number): number | string {
  let j = i + 1;
  if (re[j] === '^') j++;
  if (re[j] === ']') j++;
  while (j < re.length && re[j] !== ']') {
    if (re.startsWith('[:', j)) {
      const close = re.indexOf(':]', j + 2);
      if (close >= 0) {
        j = close + 2;
        continue;
      }
    }
    let cp: number;
    let next: number;
    if (re[j] === '\\') {
      const end = escapeEnd(re, j);
      if (typeof end === 'string') return end;
      cp = end - j === 2 ? re.charCodeAt(j + 1) : -1;
      next = end;
    } else {
      cp = re.codePointAt(j)!;
      next = j + (cp > 0xffff ? 2 : 1);
    }
    if (re[next] === '-' && re[next + 1] !== ']' && next + 1 < re.length && cp >= 0) {
      const hiCp = re.codePointAt(next + 1)!;
      const after = next + 1 + (hiCp > 0xffff ? 2 : 1);
      if (re[next + 1] !== '\\' && hiCp < cp)
        return quoted('invalid character class range', re.slice(j, after));
      if (re[next + 1] !== '\\') {
        j = after;
        continue;
      }
    }
    j = next;
  }
  return j < re.length ? j + 1 : quoted('missing closing ]', re.slice(i));
}

/** End of an escape starting at the backslash at `i`. */
function escapeEnd(re: string, i: number): number | string {
  const c = re[i + 1];
  if (c === undefined) return quoted('trailing backslash at end of expression', '');
  const bad = () => quoted('invalid escape sequence', re.slice(i, i + 2));
  if (c === 'Q') {
    const end = re.indexOf('\\E', i + 2);
    return end < 0 ? re.length : end + 2;
  }
  if (c === 'p' || c === 'P') {
    if (re[i + 2] !== '{') return i + 3;
    const close = re.indexOf('}', i + 3);
    return close < 0 ? quoted('invalid character class range', re.slice(i)) : close + 1;
  }
  if (c === 'x') {
    if (re[i + 2] === '{') {
      const close = re.indexOf('}', i + 3);
      return close < 0 ? quoted('invalid escape sequence', re.slice(i)) : close + 1;
    }
    return /^[0-9A-Fa-f]{2}$/.test(re.slice(i + 2, i + 4))
      ? i + 4
      : quoted('invalid escape sequence', re.slice(i, i + 4));
  }
  if (c >= '1' && c <= '7') {
    // A lone digit would be a backreference, which RE2 does not have.
    return re[i + 2] !== undefined && re[i + 2]! >= '0' && re[i + 2]! <= '7' ? i + 3 : bad();
  }
  if (c === '0' || ESCAPABLE_LETTERS.includes(c)) return i + 2;
  if (c.charCodeAt(0) < 0x80 && !WORD.test(c)) return i + 2;
  return bad();
}
