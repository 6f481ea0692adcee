/**
 * @module
 * Where the built web app is, and the address to tell the user to open.
 */

import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { formatListenAddress, type ListenAddress } from '../config/listen-address.js';

/** `dist/ui` beside the built `dist/cli`, or null when the web app has not been built. */
export function uiDirectory(): string | null {
  const dir = fileURLToPath(new URL('../ui/', import.meta.url));
  return existsSync(`${dir}index.html`) ? dir : null;
}

/** The URL a browser on this machine (or, for a wildcard address, the network) can open. */
export function uiUrl(
  bound: AddressInfo | string | null,
  configured: ListenAddress,
  tls = false,
): string {
  const port = typeof bound === 'object' && bound !== null ? bound.port : configured.port;
  const wildcard = ['', '0.0.0.0', '::'].includes(configured.host);
  const host = wildcard ? hostname() : configured.host;
  return `${tls ? 'https' : 'http'}://${formatListenAddress({ host, port })}/`;
}
