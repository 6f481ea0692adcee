/**
 * @module
 * Security headers on every response. The web app gets a Content-Security-Policy that fits a
 * Vite-built React app: scripts only from our own origin (the build emits no inline scripts),
 * styles from our origin plus inline `style` attributes (CodeMirror and uPlot set them), images
 * and fonts also as `data:` URLs, requests only to our own origin, and no framing by anyone
 * (clickjacking). Under TLS, HSTS tells browsers to keep using HTTPS.
 */

import type { FastifyInstance } from 'fastify';

/** The web app's Content-Security-Policy. */
export const UI_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Adds the headers to every response of `app`.
 *
 * @example
 * addSecurityHeaders(app, { tls: true });
 */
export function addSecurityHeaders(app: FastifyInstance, opts: { tls: boolean }): void {
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'same-origin');
    if (opts.tls) reply.header('strict-transport-security', 'max-age=31536000');
    const type = reply.getHeader('content-type');
    if (typeof type === 'string' && type.startsWith('text/html')) {
      reply.header('content-security-policy', UI_CSP);
    }
    return payload;
  });
}
