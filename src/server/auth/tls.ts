/**
 * @module
 * HTTPS from PEM files, reloaded while the server runs. The files are checked every
 * `reload_interval` (inode, size and mtime, so both an in-place rewrite and the symlink swap
 * Kubernetes does for mounted secrets are seen); a changed pair is validated first and then
 * installed with `setSecureContext`, so new connections get the new certificate and open ones
 * keep theirs. A pair that does not load (say the key was replaced before the certificate) is
 * logged and retried at the next check while the old one stays in force.
 */

import { readFileSync, statSync } from 'node:fs';
import { createSecureContext, type Server as TlsServer } from 'node:tls';
import type { Logger } from '../../lib/log/logger.js';

export interface TlsPair {
  cert: Buffer;
  key: Buffer;
}

function stampOf(path: string): string {
  const st = statSync(path);
  return `${st.ino}:${st.size}:${st.mtimeMs}`;
}

/**
 * Reads and validates a certificate and key.
 *
 * @throws {Error} "cannot load TLS certificate …" naming the files and the cause.
 * @example
 * const pair = loadTlsPair('/etc/vigil/tls.crt', '/etc/vigil/tls.key');
 */
export function loadTlsPair(certFile: string, keyFile: string): TlsPair {
  try {
    const pair = { cert: readFileSync(certFile), key: readFileSync(keyFile) };
    createSecureContext(pair);
    return pair;
  } catch (err) {
    throw new Error(
      `cannot load TLS certificate ${certFile} with key ${keyFile}: ${(err as Error).message}`,
      { cause: err },
    );
  }
}

/**
 * Watches the files and installs a changed pair on `server`; returns a function that stops.
 *
 * @example
 * const stop = watchTlsPair(app.server as tls.Server, cert, key, 10_000, log);
 */
export function watchTlsPair(
  server: TlsServer,
  certFile: string,
  keyFile: string,
  intervalMs: number,
  log: Logger,
): () => void {
  const stamp = () => `${stampOf(certFile)}|${stampOf(keyFile)}`;
  let current = stamp();
  let lastError = '';
  const timer = setInterval(() => {
    try {
      const next = stamp();
      if (next === current) return;
      const pair = loadTlsPair(certFile, keyFile);
      server.setSecureContext(pair);
      current = next;
      lastError = '';
      log.info('TLS certificate reloaded', { cert_file: certFile, key_file: keyFile });
    } catch (err) {
      const msg = (err as Error).message;
      // Log a persisting problem once, not at every check.
      if (msg !== lastError)
        log.warn('cannot reload TLS certificate; keeping the current one', { err });
      lastError = msg;
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
