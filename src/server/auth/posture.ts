/**
 * @module
 * The default posture: a server on loopback may run without authentication (only this machine
 * reaches it, as with a database's local socket); on any other address it refuses to start
 * until authentication is on — the message says how — unless the operator says `--insecure`
 * because something in front of Vigil already restricts who can reach it.
 */

import { isIP } from 'node:net';
import { formatListenAddress, type ListenAddress } from '../../config/listen-address.js';

/**
 * Whether only this machine can reach `host`.
 *
 * @example
 * isLoopback('127.0.0.1'); // true
 * isLoopback('0.0.0.0'); // false
 */
export function isLoopback(host: string): boolean {
  if (host === 'localhost' || host === '::1') return true;
  const v4 = host.startsWith('::ffff:') ? host.slice(7) : host;
  return isIP(v4) === 4 && v4.startsWith('127.');
}

/**
 * Why the server must not start as configured, or null when it may.
 *
 * @example
 * postureProblem({ host: '0.0.0.0', port: 9700 }, false, false); // 'refusing to listen on …'
 */
export function postureProblem(
  listen: ListenAddress,
  authEnabled: boolean,
  insecure: boolean,
): string | null {
  if (authEnabled || insecure || isLoopback(listen.host)) return null;
  const addr = formatListenAddress(listen);
  return [
    `refusing to listen on ${addr} without authentication: anyone who can reach it could read`,
    'and change all data. Do one of:',
    '  - turn authentication on: `server: {auth: {enabled: true}}` in vigil.yml; the first',
    '    admin password comes from --admin-password-file FILE or VIGIL_ADMIN_PASSWORD, or is',
    '    generated and printed once (see docs/security.md);',
    '  - listen on loopback only: --listen 127.0.0.1:9700;',
    '  - pass --insecure if a proxy or network policy in front of Vigil already restricts access.',
  ].join('\n');
}

/**
 * Why a standalone component (`vigil pushgateway`, `vigil alertmanager`), which has no
 * authentication of its own, must not start on `listen`, or null when it may: like the server,
 * it takes loopback, or any address with `--insecure`.
 *
 * @example
 * standalonePostureProblem('vigil pushgateway', { host: '0.0.0.0', port: 9091 }, false); // 'refusing …'
 */
export function standalonePostureProblem(
  command: string,
  listen: ListenAddress,
  insecure: boolean,
): string | null {
  if (insecure || isLoopback(listen.host)) return null;
  const addr = formatListenAddress(listen);
  return [
    `refusing to listen on ${addr}: ${command} has no authentication of its own, so anyone who`,
    'can reach it could change its data. Do one of:',
    '  - use the same API inside `vigil server`, which has users, tokens and TLS;',
    `  - listen on loopback only (the default) and reach it through a proxy that authenticates;`,
    '  - pass --insecure if a proxy or network policy in front of it already restricts access.',
  ].join('\n');
}
