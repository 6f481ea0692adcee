// The ingest core's memory: allocation by a bump pointer, and the hashing and comparison of
// bytes every table of the core uses.

/**
 * The next free byte. The core allocates by moving it (never by the runtime's allocator), so
 * that a part's whole state is its memory below `top` and the globals `saveState` writes
 * (`part.ts`): what a flush job carries to the worker thread.
 */
export let top: usize = 0;

/** Allocates from `at` on: the end of another instance's part, read in place. */
export function resumeAt(at: usize): void {
  top = at;
}

export function alloc(bytes: i32): usize {
  if (top == 0) top = (__heap_base + 15) & ~(<usize>15);
  const at = top;
  top = (top + <usize>max(bytes, 8) + 15) & ~(<usize>15);
  const pages = <i32>((top + 0xffff) >> 16);
  const have = memory.size();
  // By at least the memory's size (each growth costs V8 a new buffer: growing by what each
  // allocation needed made the scan three times slower), or by what is needed near the limit.
  if (pages > have && memory.grow(max(pages - have, have)) < 0 && memory.grow(pages - have) < 0)
    unreachable();
  return at;
}

export function grown(ptr: usize, bytes: i32, need: i32): usize {
  const out = alloc(need);
  if (bytes > 0) memory.copy(out, ptr, <usize>bytes);
  return out;
}

export function mix(h: u32): u32 {
  h ^= h >>> 16;
  h *= 0x85ebca6b;
  h ^= h >>> 13;
  h *= 0xc2b2ae35;
  return h ^ (h >>> 16);
}

export function hashBytes(p: usize, n: i32): u32 {
  let h64: u64 = 0xcbf29ce484222325 ^ (<u64>n);
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    h64 = (h64 ^ load<u64>(p + <usize>i)) * 0x9e3779b97f4a7c15;
    h64 ^= h64 >>> 29;
  }
  let h = <u32>(h64 ^ (h64 >>> 32));
  for (; i < n; i++) h = (h ^ (<u32>load<u8>(p + <usize>i))) * 0x01000193;
  return mix(h);
}

export function bytesEqual(a: usize, b: usize, n: i32): bool {
  let i = 0;
  for (; i + 8 <= n; i += 8) if (load<u64>(a + <usize>i) != load<u64>(b + <usize>i)) return false;
  for (; i < n; i++) if (load<u8>(a + <usize>i) != load<u8>(b + <usize>i)) return false;
  return true;
}

export function keep(p: usize, n: i32): usize {
  const out = alloc(n);
  memory.copy(out, p, <usize>n);
  return out;
}
