/**
 * @module
 * Case mapping as Go's `strings.ToLower`/`strings.ToUpper` do it, for the `lowercase` and
 * `uppercase` actions: one code point maps to one code point (Unicode's simple mappings).
 * JavaScript's `toLowerCase`/`toUpperCase` apply the full mappings instead — `ß` → `SS`, `İ` →
 * `i̇`, and a final `Σ` → `ς` by context — which would give label values Prometheus never
 * produces. ASCII-only strings, the common case, take the built-in path, where both agree.
 */

const NON_ASCII = /[^\0-\x7f]/;

function single(s: string): boolean {
  return s.length === 1 || (s.length === 2 && s.codePointAt(0)! > 0xffff);
}

/** Simple uppercase mappings of the code points whose full mapping has several. */
function simpleUpper(cp: number): number {
  // Greek letters with ypogegrammeni map to their titlecase forms, 8 code points on.
  if ((cp >= 0x1f80 && cp <= 0x1f87) || (cp >= 0x1f90 && cp <= 0x1f97)) return cp + 8;
  if (cp >= 0x1fa0 && cp <= 0x1fa7) return cp + 8;
  if (cp === 0x1fb3 || cp === 0x1fc3 || cp === 0x1ff3) return cp + 9;
  return cp;
}

/**
 * @example
 * goToLower('ΟΔΟΣ İ'); // 'οδοσ i'
 */
export function goToLower(s: string): string {
  if (!NON_ASCII.test(s)) return s.toLowerCase();
  let out = '';
  for (const ch of s) {
    const lower = ch.toLowerCase();
    // U+0130 is the one code point whose full lowercase mapping has several.
    out += single(lower) ? lower : ch === '\u0130' ? 'i' : ch;
  }
  return out;
}

/**
 * @example
 * goToUpper('straße'); // 'STRAßE'
 */
export function goToUpper(s: string): string {
  if (!NON_ASCII.test(s)) return s.toUpperCase();
  let out = '';
  for (const ch of s) {
    const upper = ch.toUpperCase();
    out += single(upper) ? upper : String.fromCodePoint(simpleUpper(ch.codePointAt(0)!));
  }
  return out;
}
