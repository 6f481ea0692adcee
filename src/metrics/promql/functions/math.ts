/**
 * @module
 * Element-wise math on instant vectors: `abs`, `ceil`, `floor`, `exp`, `sqrt`, logarithms,
 * trigonometry, `deg`/`rad`, `sgn`, `round`, `clamp*`. Where Go's `math` computes differently
 * from JavaScript's `Math` the Go formula is used (`log10(1000)` is 2.9999999999999996 in
 * Prometheus), so results match to the bit.
 */

import type { ElementwiseFunction } from './registry.js';

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
const SMALLEST_NORMAL = 2.2250738585072014e-308;

/** Exponent of the last {@link frexp} call. */
let frexpExp = 0;

/** Go's `math.Frexp`: the fraction in [0.5, 1); the exponent goes to `frexpExp`. */
function frexp(x: number): number {
  frexpExp = 0;
  if (x === 0 || !Number.isFinite(x)) return x;
  if (Math.abs(x) < SMALLEST_NORMAL) {
    x *= 2 ** 52;
    frexpExp = -52;
  }
  f64[0] = x;
  const hi = u32[HI]!;
  frexpExp += ((hi >>> 20) & 0x7ff) - 1022;
  u32[HI] = (hi & ~(0x7ff << 20)) | (1022 << 20);
  return f64[0]!;
}

/**
 * Go's `math.Log2`: exact for powers of two, `Log(frac)/Ln2 + exp` otherwise.
 *
 * @example
 * goLog2(8); // 3
 */
export function goLog2(x: number): number {
  const frac = frexp(x);
  if (frac === 0.5) return frexpExp - 1;
  return Math.log(frac) * Math.LOG2E + frexpExp;
}

/**
 * Go's `math.Log10`: `Log(x) * (1/Ln10)`.
 *
 * @example
 * goLog10(1000); // 2.9999999999999996
 */
export function goLog10(x: number): number {
  return Math.log(x) * Math.LOG10E;
}

function clamp(v: number, min: number, max: number): number | undefined {
  if (max < min) return undefined;
  return Math.max(min, Math.min(max, v));
}

const simple = (name: string, fn: (v: number) => number): ElementwiseFunction => ({
  kind: 'elementwise',
  name,
  fn: (v) => fn(v),
});

export const MATH_FUNCTIONS: readonly ElementwiseFunction[] = [
  simple('abs', Math.abs),
  simple('ceil', Math.ceil),
  simple('floor', Math.floor),
  simple('exp', Math.exp),
  simple('sqrt', Math.sqrt),
  simple('ln', Math.log),
  simple('log2', goLog2),
  simple('log10', goLog10),
  simple('sin', Math.sin),
  simple('cos', Math.cos),
  simple('tan', Math.tan),
  simple('asin', Math.asin),
  simple('acos', Math.acos),
  simple('atan', Math.atan),
  simple('sinh', Math.sinh),
  simple('cosh', Math.cosh),
  simple('tanh', Math.tanh),
  simple('asinh', Math.asinh),
  simple('acosh', Math.acosh),
  simple('atanh', Math.atanh),
  simple('rad', (v) => (v * Math.PI) / 180),
  simple('deg', (v) => (v * 180) / Math.PI),
  simple('sgn', (v) => (v < 0 ? -1 : v > 0 ? 1 : v)),
  {
    kind: 'elementwise',
    name: 'round',
    fn: (v, args) => {
      // Prometheus divides by the inverse: fewer floating point surprises than multiplying.
      const inverse = 1 / (args.length > 0 ? args[0]! : 1);
      return Math.floor(v * inverse + 0.5) / inverse;
    },
  },
  { kind: 'elementwise', name: 'clamp', fn: (v, args) => clamp(v, args[0]!, args[1]!) },
  { kind: 'elementwise', name: 'clamp_min', fn: (v, args) => clamp(v, args[0]!, Infinity) },
  { kind: 'elementwise', name: 'clamp_max', fn: (v, args) => clamp(v, -Infinity, args[0]!) },
];
