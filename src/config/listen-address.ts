/**
 * @module
 * Listen addresses (`host:port`) as the command line and configuration give them. Kept apart from
 * the configuration schema so that a process that only parses a `--listen` flag (the agent) does
 * not load the schema library.
 */

/** `host:port`, `[v6]:port` or `:port` (all interfaces); port 0 asks the OS for a free one. */
export interface ListenAddress {
  host: string;
  port: number;
}

const LISTEN_RE = /^(?:\[([0-9A-Fa-f:.]+)\]|([^\s:[\]]*)):(\d{1,5})$/;

/**
 * Parses a listen address.
 *
 * @example
 * parseListenAddress('127.0.0.1:9700'); // { host: '127.0.0.1', port: 9700 }
 * parseListenAddress('[::1]:0'); // { host: '::1', port: 0 }
 */
export function parseListenAddress(s: string): ListenAddress | string {
  const m = LISTEN_RE.exec(s);
  if (m === null) return `invalid address ${JSON.stringify(s)}: want host:port`;
  const port = Number(m[3]);
  if (port > 65535) return `invalid address ${JSON.stringify(s)}: port ${port} out of range`;
  return { host: m[1] ?? m[2] ?? '', port };
}

/** Formats an address for display and URLs (IPv6 hosts bracketed). */
export function formatListenAddress(a: ListenAddress): string {
  return a.host.includes(':') ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`;
}
