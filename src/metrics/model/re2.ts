/**
 * @module
 * Translates RE2 syntax — what Prometheus users write in matchers and relabel rules — into an
 * equivalent JavaScript RegExp source, for Node's engine with the `u` and `s` flags. Where the
 * two dialects differ it rewrites: inline flag groups `(?i:…)`, `(?-s)`, `(?m)` and `(?U)`
 * (Node 20 has no inline flags), `(?P<name>…)`, `\A`, `\z`, `\Q…\E`, `\pL`/`\p{Greek}`,
 * `\x{…}`, octal escapes, POSIX classes `[[:alpha:]]`, RE2's ASCII-only `\s`, and identity
 * escapes of punctuation that `u` mode refuses. The input must be valid RE2 (the PromQL parser
 * checks it with Go's rules first); other input is passed on for RegExp to reject.
 */

const POSIX: Readonly<Record<string, string>> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7f',
  blank: '\\t ',
  cntrl: '\\x00-\\x1f\\x7f',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

const PERL_CLASS: Readonly<Record<string, string>> = {
  d: '0-9',
  s: '\\t\\n\\f\\r ',
  w: '0-9A-Za-z_',
};

// Characters that keep their backslash in u mode; any other escaped punctuation is a literal.
const SYNTAX = new Set('^$\\.*+?()[]{}|/');

interface Flags {
  i: boolean;
  s: boolean;
  m: boolean;
  U: boolean;
}

function hex(cp: number): string {
  return `\\u{${cp.toString(16)}}`;
}

/** A literal code point as RegExp source, escaped where it is syntax. */
function literal(cp: number, inClass: boolean): string {
  const c = String.fromCodePoint(cp);
  if (cp < 0x20 || cp === 0x7f) return hex(cp);
  if (SYNTAX.has(c) || (inClass && (c === '^' || c === '-'))) return `\\${c}`;
  return c;
}

/** Both cases of a letter, for case-insensitive matching. */
function caseFold(cp: number): number[] {
  const c = String.fromCodePoint(cp);
  const out = new Set([cp, c.toLowerCase().codePointAt(0)!, c.toUpperCase().codePointAt(0)!]);
  return [...out];
}

class Translator {
  readonly #re: string;
  #i = 0;
  #out = '';
  readonly #stack: Flags[] = [];
  #flags: Flags = { i: false, s: true, m: false, U: false };

  constructor(re: string) {
    this.#re = re;
  }

  run(): string {
    const re = this.#re;
    while (this.#i < re.length) {
      const c = re[this.#i]!;
      if (c === '\\') this.#escape();
      else if (c === '[') this.#class();
      else if (c === '(') this.#open();
      else if (c === ')') {
        this.#out += ')';
        this.#flags = this.#stack.pop() ?? this.#flags;
        this.#i++;
      } else if (c === '.') {
        this.#out += this.#flags.s ? '.' : '[^\\n]';
        this.#i++;
      } else if (c === '|' || ((c === '^' || c === '$') && !this.#flags.m)) {
        this.#out += c;
        this.#i++;
      } else if (c === '^' && this.#flags.m) {
        this.#out += '(?<=^|\\n)';
        this.#i++;
      } else if (c === '$' && this.#flags.m) {
        this.#out += '(?=$|\\n)';
        this.#i++;
      } else if (
        c === '*' ||
        c === '+' ||
        c === '?' ||
        (c === '{' && /^\{\d+(,\d*)?\}/.test(re.slice(this.#i)))
      ) {
        this.#quantifier();
      } else {
        const cp = re.codePointAt(this.#i)!;
        this.#i += cp > 0xffff ? 2 : 1;
        this.#out += this.#char(cp);
      }
    }
    return this.#out;
  }

  #char(cp: number): string {
    if (!this.#flags.i) return literal(cp, false);
    const folds = caseFold(cp);
    return folds.length === 1
      ? literal(cp, false)
      : `[${folds.map((f) => literal(f, true)).join('')}]`;
  }

  #quantifier(): void {
    const re = this.#re;
    let q = re[this.#i]!;
    if (q === '{') {
      const end = re.indexOf('}', this.#i);
      q = re.slice(this.#i, end + 1);
    }
    this.#i += q.length;
    let lazy = false;
    if (re[this.#i] === '?') {
      lazy = true;
      this.#i++;
    }
    // (?U) swaps greedy and lazy.
    this.#out += q + (lazy !== this.#flags.U ? '?' : '');
  }

  #open(): void {
    const re = this.#re;
    this.#stack.push({ ...this.#flags });
    if (re.startsWith('(?P<', this.#i)) {
      this.#out += '(?<';
      this.#i += 4;
      return;
    }
    const m = /^\(\?([imsU]*)(?:-([imsU]*))?(:|\))/.exec(re.slice(this.#i));
    if (m === null || (m[1] === '' && m[2] === undefined && m[3] === ':')) {
      // A plain group, (?:…), or a named group (?<name>…): JS reads them the same.
      this.#out += '(';
      this.#i++;
      return;
    }
    for (const f of m[1]!) this.#flags[f as keyof Flags] = true;
    for (const f of m[2] ?? '') this.#flags[f as keyof Flags] = false;
    this.#i += m[0].length;
    if (m[3] === ':') {
      this.#out += '(?:';
    } else {
      // (?i) applies to the rest of the enclosing group: keep the flags, drop the pushed frame.
      const flags = this.#flags;
      this.#stack.pop();
      this.#flags = flags;
    }
  }

  /** Reads an escape at `#i` (the backslash); returns a code point, or a class body/atom string. */
  #readEscape(inClass: boolean): number | { atom: string; classBody?: string } {
    const re = this.#re;
    const e = re[this.#i + 1]!;
    this.#i += 2;
    const simple: Record<string, number> = { a: 7, f: 12, n: 10, r: 13, t: 9, v: 11 };
    if (e in simple) return simple[e]!;
    if (e === 'x') {
      if (re[this.#i] === '{') {
        const end = re.indexOf('}', this.#i);
        const cp = parseInt(re.slice(this.#i + 1, end), 16);
        this.#i = end + 1;
        return cp;
      }
      const cp = parseInt(re.slice(this.#i, this.#i + 2), 16);
      this.#i += 2;
      return cp;
    }
    if (/[0-7]/.test(e)) {
      let digits = e;
      while (digits.length < 3 && /[0-7]/.test(re[this.#i] ?? '')) digits += re[this.#i++];
      return parseInt(digits, 8);
    }
    if (e === 'p' || e === 'P') {
      let name = re[this.#i]!;
      this.#i++;
      if (name === '{') {
        const end = re.indexOf('}', this.#i);
        name = re.slice(this.#i, end);
        this.#i = end + 1;
      }
      let negate = e === 'P';
      if (name.startsWith('^')) {
        negate = !negate;
        name = name.slice(1);
      }
      const prop = name.length <= 2 || name === 'Any' ? name : `Script=${name}`;
      const atom =
        prop === 'Any' ? (negate ? '[^\\s\\S]' : '[\\s\\S]') : `\\${negate ? 'P' : 'p'}{${prop}}`;
      return { atom, classBody: prop === 'Any' ? undefined : atom };
    }
    const perl = PERL_CLASS[e.toLowerCase()];
    if (perl !== undefined) {
      const negate = e !== e.toLowerCase();
      return { atom: `[${negate ? '^' : ''}${perl}]`, classBody: negate ? `\\${e}` : perl };
    }
    if (!inClass && (e === 'A' || e === 'z')) return { atom: e === 'A' ? '^' : '$' };
    if (!inClass && (e === 'b' || e === 'B')) return { atom: `\\${e}` };
    return e.codePointAt(0)!;
  }

  #escape(): void {
    const re = this.#re;
    if (re[this.#i + 1] === 'Q') {
      const end = re.indexOf('\\E', this.#i + 2);
      const text = re.slice(this.#i + 2, end < 0 ? re.length : end);
      for (const ch of text) this.#out += this.#char(ch.codePointAt(0)!);
      this.#i = end < 0 ? re.length : end + 2;
      return;
    }
    const r = this.#readEscape(false);
    this.#out += typeof r === 'number' ? this.#char(r) : r.atom;
  }

  #class(): void {
    const re = this.#re;
    this.#i++;
    let negate = false;
    if (re[this.#i] === '^') {
      negate = true;
      this.#i++;
    }
    let body = '';
    let first = true;
    while (this.#i < re.length && (re[this.#i] !== ']' || first)) {
      first = false;
      const posix = /^\[:(\^?)([a-z]+):\]/.exec(re.slice(this.#i));
      if (posix !== null && POSIX[posix[2]!] !== undefined) {
        body += posix[1] === '^' ? `\\P{ASCII}${invertAscii(POSIX[posix[2]!]!)}` : POSIX[posix[2]!];
        this.#i += posix[0].length;
        continue;
      }
      const lo = this.#classAtom();
      if (typeof lo !== 'number') {
        body += lo;
        continue;
      }
      if (re[this.#i] === '-' && re[this.#i + 1] !== ']' && this.#i + 1 < re.length) {
        this.#i++;
        const hi = this.#classAtom();
        if (typeof hi === 'number') {
          body += this.#range(lo, hi);
          continue;
        }
        body += this.#range(lo, lo) + '\\-' + hi;
        continue;
      }
      body += this.#range(lo, lo);
    }
    this.#i++;
    this.#out += `[${negate ? '^' : ''}${body}]`;
  }

  #classAtom(): number | string {
    const re = this.#re;
    if (re[this.#i] === '\\') {
      const r = this.#readEscape(true);
      return typeof r === 'number' ? r : (r.classBody ?? r.atom);
    }
    const cp = re.codePointAt(this.#i)!;
    this.#i += cp > 0xffff ? 2 : 1;
    return cp;
  }

  #range(lo: number, hi: number): string {
    const one = (a: number, b: number) =>
      a === b ? literal(a, true) : `${literal(a, true)}-${literal(b, true)}`;
    let out = one(lo, hi);
    if (this.#flags.i) {
      // Add the other case of the letters in the range (ASCII letters fold by a fixed offset).
      for (const [a, z, delta] of [
        [0x41, 0x5a, 0x20],
        [0x61, 0x7a, -0x20],
      ] as const) {
        const from = Math.max(lo, a);
        const to = Math.min(hi, z);
        if (from <= to) out += one(from + delta, to + delta);
      }
      if (lo === hi && lo > 0x7f)
        for (const f of caseFold(lo)) if (f !== lo) out += literal(f, true);
    }
    return out;
  }
}

/** The complement of an ASCII class body within ASCII, for negated POSIX classes. */
function invertAscii(body: string): string {
  const re = new RegExp(`[${body}]`, 'u');
  const out: string[] = [];
  for (let cp = 0; cp < 0x80; cp++)
    if (!re.test(String.fromCodePoint(cp))) out.push(literal(cp, true));
  return out.join('');
}

/**
 * The JavaScript source (for flags `su`) of an RE2 pattern.
 *
 * @example
 * new RegExp(`^(?:${translateRe2('(?i:err)or')})$`, 'su').test('ERRor'); // true
 */
export function translateRe2(pattern: string): string {
  return new Translator(pattern).run();
}
