/**
 * @module
 * Distinct counting as Elasticsearch's `cardinality` does it: exact up to a threshold, then
 * HyperLogLog (2^14 registers of 6 bits' range, standard error ≈ 0.8 %) with the small-range
 * correction. Values are hashed with 64 bits (two independent 32-bit FNV-1a variants) so
 * collisions stay negligible at billions of values.
 */

const P = 14;
const M = 1 << P;
const ALPHA_M = 0.7213 / (1 + 1.079 / M);

/**
 * @example
 * const c = new CardinalitySketch(3000);
 * for (const v of ['a', 'b', 'a']) c.add(v);
 * c.estimate(); // 2
 */
export class CardinalitySketch {
  #exact: Set<string> | null = new Set();
  #registers: Uint8Array | null = null;

  constructor(readonly threshold: number) {}

  add(value: string): void {
    if (this.#exact !== null) {
      this.#exact.add(value);
      if (this.#exact.size <= this.threshold) return;
      this.#registers = new Uint8Array(M);
      for (const v of this.#exact) this.#insert(v);
      this.#exact = null;
      return;
    }
    this.#insert(value);
  }

  estimate(): number {
    if (this.#exact !== null) return this.#exact.size;
    const r = this.#registers!;
    let sum = 0;
    let zeros = 0;
    for (let i = 0; i < M; i++) {
      sum += Math.pow(2, -r[i]!);
      if (r[i] === 0) zeros++;
    }
    const raw = (ALPHA_M * M * M) / sum;
    if (raw <= 2.5 * M && zeros > 0) return Math.round(M * Math.log(M / zeros));
    return Math.round(raw);
  }

  #insert(value: string): void {
    const [hi, lo] = hash64(value);
    const index = hi >>> (32 - P);
    // The rank is the position of the first 1 bit in the 50 bits after the index.
    const rest = ((hi << P) >>> 0) | 0;
    let rank: number;
    if (rest !== 0) rank = Math.clz32(rest) + 1;
    else rank = 32 - P + (lo === 0 ? 32 : Math.clz32(lo)) + 1;
    const r = this.#registers!;
    if (rank > r[index]!) r[index] = rank;
  }
}

function hash64(s: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x050c5d1f;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193) ^ (b >>> 15);
  }
  // Final avalanche so short strings spread over all bits.
  return [fmix(a) >>> 0, fmix(b ^ 0x9e3779b9) >>> 0];
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}
