/**
 * @module
 * One float64 scratch slot aliased as two uint32 halves, to move sample values between numbers
 * and their IEEE-754 bits without BigInt or a DataView call per sample. The bits survive exactly,
 * NaN payloads included: V8 keeps a NaN's payload in numbers and typed arrays, and only
 * canonicalises NaNs stored in plain double-element arrays, so encoders and decoders keep the
 * previous value as bits, never as a number in an Array.
 */

/**
 * The scratch float; write it, then read its halves from {@link U32} (or the reverse).
 *
 * @example
 * F64[0] = v;
 * const hi = U32[HI]!, lo = U32[LO]!;
 */
export const F64 = new Float64Array(1);

/** {@link F64}'s bytes as two uint32s, indexed by {@link HI} and {@link LO}. */
export const U32 = new Uint32Array(F64.buffer);

// Typed arrays use the host's byte order; every supported Node host is little-endian, but the
// check costs nothing and keeps big-endian hosts correct.
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Index in {@link U32} of the high half (sign, exponent, top 20 mantissa bits).
 *
 * @example
 * U32[HI] = 0x7ff00000; U32[LO] = 2; F64[0]; // Prometheus' staleness marker
 */
export const HI = LITTLE_ENDIAN ? 1 : 0;

/** Index in {@link U32} of the low half (low 32 mantissa bits). */
export const LO = LITTLE_ENDIAN ? 0 : 1;
