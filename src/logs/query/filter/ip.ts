/**
 * @module
 * IP addresses and CIDR blocks for match filters on IP values. Every address is held as 16
 * bytes, IPv4 as its IPv4-mapped IPv6 form (`::ffff:a.b.c.d`), so `10.0.0.1` and
 * `::ffff:10.0.0.1` are one address, as in Elasticsearch's `ip` type.
 */

/** An address block: the first `bits` bits of `bytes`. A single address has 128. */
export interface Cidr {
  readonly bytes: Uint8Array;
  readonly bits: number;
}

const V4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function parseV4(s: string, out: Uint8Array, at: number): boolean {
  const m = V4.exec(s);
  if (m === null) return false;
  for (let k = 0; k < 4; k++) {
    const part = m[k + 1]!;
    const n = Number(part);
    if (n > 255 || (part.length > 1 && part.charCodeAt(0) === 48)) return false;
    out[at + k] = n;
  }
  return true;
}

function parseGroups(s: string, out: number[]): boolean {
  if (s === '') return true;
  for (const g of s.split(':')) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return false;
    out.push(parseInt(g, 16));
  }
  return true;
}

/**
 * Reads an IPv4 or IPv6 address into `out` (16 bytes).
 *
 * @returns false when `s` is not an address; `out` is then unspecified.
 * @example
 * const b = new Uint8Array(16);
 * parseIp('10.0.0.1', b); // true; b is ::ffff:10.0.0.1
 */
export function parseIp(s: string, out: Uint8Array): boolean {
  out.fill(0);
  if (!s.includes(':')) {
    out[10] = out[11] = 0xff;
    return parseV4(s, out, 12);
  }
  const halves = s.split('::');
  if (halves.length > 2) return false;
  let tail = halves[halves.length - 1]!;
  let v4 = false;
  const lastColon = tail.lastIndexOf(':');
  if (tail.includes('.')) {
    if (!parseV4(tail.slice(lastColon + 1), out, 12)) return false;
    tail = lastColon < 0 ? '' : tail.slice(0, lastColon);
    v4 = true;
  }
  const head: number[] = [];
  const rest: number[] = [];
  if (halves.length === 2) {
    if (!parseGroups(halves[0]!, head) || !parseGroups(tail, rest)) return false;
  } else if (!parseGroups(tail, head)) return false;
  const room = v4 ? 6 : 8;
  const used = head.length + rest.length;
  if (halves.length === 2 ? used >= room : used !== room) return false;
  for (let k = 0; k < head.length; k++) writeGroup(out, k, head[k]!);
  for (let k = 0; k < rest.length; k++) writeGroup(out, room - rest.length + k, rest[k]!);
  return true;
}

function writeGroup(out: Uint8Array, k: number, g: number): void {
  out[2 * k] = g >> 8;
  out[2 * k + 1] = g & 0xff;
}

/**
 * Reads an address (`10.0.0.1`, `fe80::1`) or a block (`10.0.0.0/8`, `2001:db8::/32`).
 *
 * @returns undefined when `text` is neither.
 * @example
 * parseCidr('10.0.0.0/8'); // { bytes: ::ffff:10.0.0.0, bits: 104 }
 */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  const addr = slash < 0 ? text : text.slice(0, slash);
  const bytes = new Uint8Array(16);
  if (!parseIp(addr, bytes)) return undefined;
  if (slash < 0) return { bytes, bits: 128 };
  const len = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(len)) return undefined;
  const v4 = !addr.includes(':');
  const bits = Number(len) + (v4 ? 96 : 0);
  return bits > 128 || (v4 && Number(len) > 32) ? undefined : { bytes, bits };
}

/**
 * Whether the 16-byte address `addr` lies in `block`.
 *
 * @example
 * const b = new Uint8Array(16);
 * parseIp('10.1.2.3', b);
 * inCidr(parseCidr('10.0.0.0/8')!, b); // true
 */
export function inCidr(block: Cidr, addr: Uint8Array): boolean {
  const full = block.bits >> 3;
  for (let k = 0; k < full; k++) if (block.bytes[k] !== addr[k]) return false;
  const rest = block.bits & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return (block.bytes[full]! & mask) === (addr[full]! & mask);
}
