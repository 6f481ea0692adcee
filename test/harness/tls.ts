/**
 * @module
 * A self-signed certificate for 127.0.0.1 and localhost, made by `openssl req` in the test's
 * temporary directory, for servers that tests talk TLS to.
 */

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './temp.js';

export interface TestCert {
  /** PEM files; `certFile` is also the CA clients trust. */
  certFile: string;
  keyFile: string;
  cert: Buffer;
  key: Buffer;
}

/**
 * @example
 * const { cert, key, certFile } = selfSignedCert(t);
 * https.createServer({ cert, key }, handler);
 */
export function selfSignedCert(t: { after: (fn: () => void) => void }): TestCert {
  const dir = tempDir(t, 'vigil-cert-');
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ],
    { stdio: 'ignore' },
  );
  return { certFile, keyFile, cert: readFileSync(certFile), key: readFileSync(keyFile) };
}
