/**
 * @module
 * Sorted lists of series refs (postings) and the set operations selects are made of. Lists are
 * Uint32Arrays — 4 bytes per entry, no object per ref — and every operation is a linear merge
 * of sorted inputs, allocating only its result.
 */

/** A sorted, duplicate-free list of series refs. */
export type Postings = Uint32Array;

export const EMPTY_POSTINGS: Postings = new Uint32Array(0);

/**
 * Refs in every list; smallest lists first keeps the work proportional to the rarest term.
 *
 * @example
 * intersect([Uint32Array.of(1, 3, 5), Uint32Array.of(3, 5, 7)]); // [3, 5]
 */
export function intersect(lists: readonly Postings[]): Postings {
  if (lists.length === 0) return EMPTY_POSTINGS;
  const sorted = [...lists].sort((a, b) => a.length - b.length);
  let acc = sorted[0]!;
  for (let k = 1; k < sorted.length && acc.length > 0; k++) {
    const b = sorted[k]!;
    const out = new Uint32Array(acc.length);
    let n = 0;
    let j = 0;
    for (let i = 0; i < acc.length; i++) {
      const v = acc[i]!;
      // Galloping would help for very skewed sizes; a plain merge is simpler and fast enough
      // while the smallest list drives the loop.
      while (j < b.length && b[j]! < v) j++;
      if (j === b.length) break;
      if (b[j] === v) out[n++] = v;
    }
    acc = out.subarray(0, n);
  }
  return acc;
}

/**
 * Refs in any list.
 *
 * @example
 * union([Uint32Array.of(1, 3), Uint32Array.of(2, 3)]); // [1, 2, 3]
 */
export function union(lists: readonly Postings[]): Postings {
  const nonEmpty = lists.filter((l) => l.length > 0);
  if (nonEmpty.length === 0) return EMPTY_POSTINGS;
  if (nonEmpty.length === 1) return nonEmpty[0]!;
  let total = 0;
  for (const l of nonEmpty) total += l.length;
  const out = new Uint32Array(total);
  let n = 0;
  for (const l of nonEmpty) {
    out.set(l, n);
    n += l.length;
  }
  out.sort();
  let w = 0;
  for (let i = 0; i < out.length; i++) if (i === 0 || out[i] !== out[i - 1]) out[w++] = out[i]!;
  return out.subarray(0, w);
}

/**
 * Refs in `a` but not in `b`.
 *
 * @example
 * subtract(Uint32Array.of(1, 2, 3), Uint32Array.of(2)); // [1, 3]
 */
export function subtract(a: Postings, b: Postings): Postings {
  if (b.length === 0 || a.length === 0) return a;
  const out = new Uint32Array(a.length);
  let n = 0;
  let j = 0;
  for (let i = 0; i < a.length; i++) {
    const v = a[i]!;
    while (j < b.length && b[j]! < v) j++;
    if (j < b.length && b[j] === v) continue;
    out[n++] = v;
  }
  return out.subarray(0, n);
}

/** A growable postings list for an index being built; refs are added in increasing order. */
export class PostingsBuilder {
  #refs = new Uint32Array(4);
  #len = 0;

  get length(): number {
    return this.#len;
  }

  /** Adds `ref`, which must be greater than every ref added before (head refs only grow). */
  add(ref: number): void {
    if (this.#len === this.#refs.length) {
      const next = new Uint32Array(this.#refs.length * 2);
      next.set(this.#refs);
      this.#refs = next;
    }
    this.#refs[this.#len++] = ref;
  }

  /** Removes the refs `drop` accepts; returns how many remain. */
  removeIf(drop: (ref: number) => boolean): number {
    let w = 0;
    for (let i = 0; i < this.#len; i++) {
      const r = this.#refs[i]!;
      if (!drop(r)) this.#refs[w++] = r;
    }
    this.#len = w;
    if (w * 4 < this.#refs.length && this.#refs.length > 4)
      this.#refs = this.#refs.slice(0, Math.max(4, w * 2));
    return w;
  }

  /** A view of the refs, valid until the next add or remove. */
  view(): Postings {
    return this.#refs.subarray(0, this.#len);
  }
}
