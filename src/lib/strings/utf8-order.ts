/**
 * @module
 * String order as Go compares strings: by UTF-8 bytes, which is code point order. JS compares
 * UTF-16 code units, which differs when a character above U+FFFF (a surrogate pair, e.g. an
 * emoji) meets one in U+E000–U+FFFF: JS puts the pair first, Go last. Prometheus binary-searches
 * sorted symbols, postings offsets and label sets, so everything that sorts for its formats
 * goes through here. The loops compare code units and only adjust at the first difference, so
 * the common case costs what `<` does.
 */

/** Surrogates move above every BMP unit, which puts pairs where their code points belong. */
function rank(unit: number): number {
  return unit >= 0xd800 && unit <= 0xdfff ? unit + 0x10000 : unit;
}

/**
 * Compares `a[i, i+al)` with `b[j, j+bl)` in UTF-8 byte order without slicing.
 *
 * @example
 * compareUtf8Range('xab', 1, 2, 'ab', 0, 2); // 0
 */
export function compareUtf8Range(
  a: string,
  i: number,
  al: number,
  b: string,
  j: number,
  bl: number,
): number {
  const n = Math.min(al, bl);
  for (let k = 0; k < n; k++) {
    const x = a.charCodeAt(i + k);
    const y = b.charCodeAt(j + k);
    if (x !== y) return rank(x) - rank(y);
  }
  return al - bl;
}

/**
 * Negative, zero or positive as `a` sorts before, equal to or after `b` in UTF-8 byte order.
 *
 * @example
 * compareUtf8('\u{1F600}', '\uFFFD'); // > 0 (JS's `<` says the emoji comes first)
 */
export function compareUtf8(a: string, b: string): number {
  return compareUtf8Range(a, 0, a.length, b, 0, b.length);
}
