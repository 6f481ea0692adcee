/**
 * @module
 * The security parts of `vigil server`, assembled before it listens: the default-posture check
 * (no unauthenticated non-loopback listener), the users file, the first admin, sessions and
 * login limits, the in-memory token the server scrapes itself with, and the TLS certificate with
 * its reloader.
 */

import { randomBytes } from 'node:crypto';
import type { Server as TlsServer } from 'node:tls';
import type { Config } from '../config/schema.js';
import type { ListenAddress } from '../config/listen-address.js';
import type { Logger } from '../lib/log/logger.js';
import { AuditLog } from '../server/auth/audit.js';
import { Authenticator } from '../server/auth/authenticator.js';
import { ensureFirstAdmin } from '../server/auth/first-admin.js';
import { LoginLimiter } from '../server/auth/login-limiter.js';
import { postureProblem } from '../server/auth/posture.js';
import { SessionStore } from '../server/auth/sessions.js';
import { AuthStore } from '../server/auth/store.js';
import { loadTlsPair, watchTlsPair, type TlsPair } from '../server/auth/tls.js';
import { IngestLimiter } from '../server/auth/ingest-limiter.js';
import type { HttpServerOptions } from '../server/http.js';
import type { SelfScrape } from './server-scrape.js';

export interface ServerAuth {
  http: HttpServerOptions['auth'];
  tls: TlsPair | undefined;
  selfScrape: SelfScrape;
  /** Starts watching the certificate files (when TLS is on) of the listening server. */
  watchTls(server: unknown): void;
  stop(): void;
}

/**
 * Prepares authentication and TLS; prints why and returns null when the server must not start.
 *
 * @example
 * const auth = await openServerAuth(config.server, listen, dataDir, flags, log);
 * if (auth === null) return 1;
 */
export async function openServerAuth(
  config: Config['server'],
  listen: ListenAddress,
  dataDir: string,
  flags: { adminPasswordFile?: string | undefined; insecure?: boolean },
  log: Logger,
): Promise<ServerAuth | null> {
  const authConfig = config.auth;
  const problem = postureProblem(listen, authConfig.enabled, flags.insecure === true);
  if (problem !== null) {
    process.stderr.write(`vigil: ${problem}\n`);
    return null;
  }
  if (!authConfig.enabled && flags.insecure === true) {
    log.warn('serving without authentication on a non-loopback address (--insecure)', {
      listen: `${listen.host}:${listen.port}`,
    });
  }
  let tls: TlsPair | undefined;
  const { cert_file: certFile, key_file: keyFile } = config.tls;
  if (certFile !== '') {
    try {
      tls = loadTlsPair(certFile, keyFile);
    } catch (err) {
      process.stderr.write(`vigil: ${(err as Error).message}\n`);
      return null;
    }
  }
  let store: AuthStore;
  try {
    store = AuthStore.open(dataDir);
  } catch (err) {
    process.stderr.write(`vigil: cannot open the users file: ${(err as Error).message}\n`);
    return null;
  }
  const audit = new AuditLog(store.dir);
  let authenticator: Authenticator | null = null;
  let internalToken: string | undefined;
  if (authConfig.enabled) {
    try {
      const source = await ensureFirstAdmin(store, audit, {
        passwordFile: flags.adminPasswordFile,
        env: process.env,
        print: (text) => process.stderr.write(`${text}\n`),
      });
      if (source !== null)
        log.info('created the first admin', { user: 'admin', password_from: source });
    } catch (err) {
      process.stderr.write(`vigil: cannot create the first admin: ${(err as Error).message}\n`);
      return null;
    }
    internalToken = `vgi_${randomBytes(32).toString('base64url')}`;
    authenticator = new Authenticator({
      store,
      sessions: new SessionStore(authConfig.session_idle_timeout, authConfig.session_max_age),
      limiter: new LoginLimiter({
        maxFailures: authConfig.login_max_failures,
        baseDelayMs: authConfig.login_base_delay,
        maxDelayMs: authConfig.login_max_delay,
      }),
      // Read for the self-scrape; metrics:write for the notifier posting to the built-in
      // Alertmanager.
      internal: { token: internalToken, scopes: ['read', 'metrics:write'] },
    });
  }
  let stopWatch = () => {};
  return {
    http: {
      authenticator,
      store,
      audit,
      secureCookies: tls !== undefined,
      sessionMaxAgeMs: authConfig.session_max_age,
      ...(authConfig.token_ingest_rate > 0
        ? { ingestLimiter: new IngestLimiter(authConfig.token_ingest_rate) }
        : {}),
    },
    tls,
    selfScrape: {
      tls: tls !== undefined,
      ...(internalToken === undefined ? {} : { bearerToken: internalToken }),
    },
    watchTls(server) {
      if (tls === undefined) return;
      stopWatch = watchTlsPair(
        server as TlsServer,
        certFile,
        keyFile,
        config.tls.reload_interval,
        log.child({ component: 'tls' }),
      );
    },
    stop: () => stopWatch(),
  };
}
