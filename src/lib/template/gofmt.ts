/**
 * @module
 * Go's `fmt` formatting for the values templates print: `%v` of a float64 (`1e+06`, `0.5`),
 * `%g` with a precision (`%.4g`, which Prometheus' humanize functions use) and `Sprintf` with the
 * verbs users put in `printf`. Output matches Go's for finite numbers, NaN and ±Inf.
 */

/**
 * A float as Go's `%g` prints it: shortest digits when `prec` is -1 (`%v`), else `prec`
 * significant digits with trailing zeros removed; exponent form below 1e-4 and from 10^prec
 * (10^6 for `%v`, as Go's strconv does for shortest formatting).
 *
 * @example
 * formatG(1234567, 4); // '1.235e+06'
 * formatG(0.5, -1); // '0.5'
 */
export function formatG(v: number, prec: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const sign = v < 0 ? '-' : '';
  const p = prec === 0 ? 1 : prec;
  const [mant, e] = (
    prec < 0 ? Math.abs(v).toExponential() : Math.abs(v).toExponential(p - 1)
  ).split('e') as [string, string];
  const digits = mant.replace('.', '').replace(/0+$/, '') || '0';
  const exp = Number(e);
  let eprec = prec < 0 ? 6 : p;
  if (prec >= 0 && eprec > digits.length && digits.length >= exp + 1) eprec = digits.length;
  if (exp < -4 || exp >= eprec) {
    const frac = digits.length > 1 ? `.${digits.slice(1)}` : '';
    const ae = Math.abs(exp);
    return `${sign}${digits[0]}${frac}e${exp < 0 ? '-' : '+'}${ae < 10 ? '0' : ''}${ae}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
  const fracPart = digits.slice(exp + 1);
  return `${sign}${intPart}${fracPart === '' ? '' : `.${fracPart}`}`;
}

/** A value as Go's `%v` prints it (template output, `print`). */
export function formatValue(v: unknown): string {
  if (v === null || v === undefined) return '<no value>';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return formatG(v, -1);
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(formatValue).join(' ')}]`;
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object') {
    // Go's fmt.Stringer: values such as times print through their String method.
    const str = (v as { String?: unknown }).String;
    if (typeof str === 'function') return String(str.call(v));
    const keys = Object.keys(v).sort();
    const rec = v as Record<string, unknown>;
    return `map[${keys.map((k) => `${k}:${formatValue(rec[k])}`).join(' ')}]`;
  }
  return String(v);
}

const VERB_RE = /%([-+# 0]*)(\d+|\*)?(?:\.(\d*))?([a-zA-Z%])/g;

/**
 * Go's `fmt.Sprintf` for the verbs `%v %s %q %d %f %F %e %g %x %X %t %%`, with flags, width and
 * precision. A verb with no argument prints `%!v(MISSING)` as in Go.
 *
 * @example
 * sprintf('%.2f%%', [99.5]); // '99.50%'
 */
export function sprintf(format: string, args: readonly unknown[]): string {
  let n = 0;
  let out = format.replace(
    VERB_RE,
    (_m, flags: string, width: string | undefined, prec: string | undefined, verb: string) => {
      if (verb === '%') return '%';
      if (n >= args.length) return `%!${verb}(MISSING)`;
      const a = args[n++];
      const p = prec === undefined ? -1 : prec === '' ? 0 : Number(prec);
      let s: string;
      switch (verb) {
        case 'd':
          s =
            typeof a === 'number' && Number.isInteger(a)
              ? String(a)
              : `%!d(${goType(a)}=${formatValue(a)})`;
          break;
        case 'f':
        case 'F':
          s = typeof a === 'number' ? fixed(a, p < 0 ? 6 : p) : bad(verb, a);
          break;
        case 'e':
          s = typeof a === 'number' ? expo(a, p < 0 ? 6 : p) : bad(verb, a);
          break;
        case 'g':
          s = typeof a === 'number' ? formatG(a, p) : bad(verb, a);
          break;
        case 'q':
          s = JSON.stringify(typeof a === 'string' ? a : formatValue(a));
          break;
        case 'x':
        case 'X': {
          const h =
            typeof a === 'number'
              ? Math.trunc(a).toString(16)
              : Buffer.from(formatValue(a)).toString('hex');
          s = verb === 'X' ? h.toUpperCase() : h;
          break;
        }
        case 't':
          s = typeof a === 'boolean' ? String(a) : bad(verb, a);
          break;
        case 's':
        case 'v':
          s = formatValue(a);
          if (verb === 's' && p >= 0) s = s.slice(0, p);
          break;
        default:
          s = bad(verb, a);
      }
      if (flags.includes('+') && typeof a === 'number' && a >= 0 && 'dfFeg'.includes(verb))
        s = `+${s}`;
      const w = width === undefined || width === '*' ? 0 : Number(width);
      if (s.length < w) {
        if (flags.includes('-')) s = s.padEnd(w);
        else if (flags.includes('0') && typeof a === 'number') {
          const neg = s.startsWith('-') || s.startsWith('+');
          s = neg ? s[0] + s.slice(1).padStart(w - 1, '0') : s.padStart(w, '0');
        } else s = s.padStart(w);
      }
      return s;
    },
  );
  if (n < args.length)
    out += `%!(EXTRA ${args
      .slice(n)
      .map((a) => `${goType(a)}=${formatValue(a)}`)
      .join(', ')})`;
  return out;
}

function fixed(v: number, p: number): string {
  if (!Number.isFinite(v)) return formatG(v, -1);
  return v.toFixed(Math.min(p, 100));
}

function expo(v: number, p: number): string {
  if (!Number.isFinite(v)) return formatG(v, -1);
  return v.toExponential(Math.min(p, 100)).replace(/e([+-])(\d)$/, 'e$10$2');
}

function bad(verb: string, a: unknown): string {
  return `%!${verb}(${goType(a)}=${formatValue(a)})`;
}

function goType(a: unknown): string {
  if (typeof a === 'number') return Number.isInteger(a) ? 'int' : 'float64';
  if (typeof a === 'string') return 'string';
  if (typeof a === 'boolean') return 'bool';
  if (a === null || a === undefined) return '<nil>';
  return Array.isArray(a) ? '[]interface {}' : 'map[string]interface {}';
}
