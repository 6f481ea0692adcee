/**
 * The first index `k < end` with `a[k] ≥ value` in `a[0, end)`, sorted ascending; `end` when
 * there is none.
 *
 * @example
 * lowerBound(Int32Array.of(1, 3, 3, 7), 3); // 1
 * lowerBound(Int32Array.of(1, 3, 3, 7), 4); // 3
 */
export function lowerBound(a: ArrayLike<number>, value: number, end = a.length): number {
  let lo = 0;
  let hi = end;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
