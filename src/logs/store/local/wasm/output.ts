import { grown } from './memory';

// The bytes an encoder of the core writes for JavaScript to take (`columnBytes`): one buffer,
// which the block columns' encoder (`column-encode.ts`) and the token index (`tokens.ts`) write
// in turn.

export let out: usize = 0;
let outCap: i32 = 0;
/** Bytes written. */
export let outN: i32 = 0;

/** Makes room for `n` bytes past {@link outN}. */
export function outRoom(n: i32): void {
  if (outN + n <= outCap) return;
  let cap = outCap == 0 ? 65536 : outCap * 2;
  while (cap < outN + n) cap *= 2;
  out = grown(out, outN, cap);
  outCap = cap;
}

/**
 * Sets the bytes written to `n`: 0 to begin, or past bytes stored directly (after
 * {@link outRoom}), or back to take bytes out.
 */
export function setOutLength(n: i32): void {
  outN = n;
}

export function outByte(b: u32): void {
  outRoom(1);
  store<u8>(out + <usize>outN, <u8>b);
  outN++;
}

export function outUvarint(v: u64): void {
  outRoom(10);
  while (v >= 0x80) {
    store<u8>(out + <usize>outN, <u8>((v & 0x7f) | 0x80));
    outN++;
    v >>= 7;
  }
  store<u8>(out + <usize>outN, <u8>v);
  outN++;
}

export function outF64(v: f64): void {
  outRoom(8);
  store<u64>(out + <usize>outN, bswap<u64>(reinterpret<u64>(v)));
  outN += 8;
}

export function outU32At(at: i32, v: u32): void {
  store<u32>(out + <usize>at, bswap<u32>(v));
}

/** Forgets the buffer, another instance's (see `loadState`). */
export function forgetOutput(): void {
  out = 0;
  outCap = outN = 0;
}
