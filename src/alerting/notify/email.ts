/**
 * @module
 * The email integration (`email_configs`), as Alertmanager sends: to `smarthost` (TLS from the
 * first byte on port 465), EHLO with `hello`, STARTTLS unless `require_tls: false` (then only
 * when offered), AUTH when the server offers it and `auth_username` is set, then one message to
 * every address of `to` with the rendered headers (`Subject`, `To`, `From` by default) and a
 * `multipart/alternative` body of the rendered `text` and `html`. Unset keys take the `global`
 * section's `smtp_*` values.
 */

import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import type { AlertmanagerConfig } from '../config/schema.js';
import type { EmailConfig } from '../config/receivers.js';
import type { NotifyContext } from '../group.js';
import type { Alert } from '../model/alert.js';
import { templateData } from '../template/data.js';
import type { NotificationTemplates } from '../template/template.js';
import { notificationData } from './data.js';
import { NotifyError, type Integration } from './integration.js';
import { buildMessage } from './mime.js';
import { SmtpError, SmtpSession } from './smtp.js';

type Global = AlertmanagerConfig['global'];

/** Longest wait for one SMTP reply. */
const REPLY_TIMEOUT_MS = 60_000;
const TLS_NAMES = { TLS10: 'TLSv1', TLS11: 'TLSv1.1', TLS12: 'TLSv1.2', TLS13: 'TLSv1.3' } as const;

/**
 * The addresses of an address list (`a@x, Team <b@y>`), without display names.
 *
 * @throws {Error} when an entry holds no address.
 * @example
 * parseAddressList('ops@example.org, "On, Call" <oncall@example.org>'); // ['ops@example.org', 'oncall@example.org']
 */
export function parseAddressList(list: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  let angle = false;
  for (const ch of `${list},`) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === '<') angle = true;
    else if (!quoted && ch === '>') angle = false;
    if (ch === ',' && !quoted && !angle) {
      const entry = cur.trim();
      cur = '';
      if (entry === '') continue;
      const m = /<([^<>]*)>\s*$/.exec(entry);
      const addr = (m === null ? entry : m[1]!).trim();
      if (!/^[^\s@]+@[^\s@]+$/.test(addr))
        throw new Error(`invalid address ${JSON.stringify(entry)}`);
      out.push(addr);
    } else cur += ch;
  }
  return out;
}

/** Go's textproto.CanonicalMIMEHeaderKey: `message-id` → `Message-Id`. */
function canonicalHeader(name: string): string {
  return name
    .toLowerCase()
    .replace(/(^|-)([a-z])/g, (_m, d: string, c: string) => d + c.toUpperCase());
}

/** The email config with `global`'s SMTP settings filled in. */
export interface ResolvedEmailConfig extends EmailConfig {
  from: string;
  smarthost: string;
  hello: string;
  require_tls: boolean;
}

/**
 * @example
 * resolveEmailConfig(receiver.email_configs[0], config.global).smarthost; // 'smtp.example.org:587'
 */
export function resolveEmailConfig(c: EmailConfig, g: Global): ResolvedEmailConfig {
  return {
    ...c,
    from: c.from ?? g.smtp_from ?? '',
    smarthost: c.smarthost ?? g.smtp_smarthost ?? '',
    hello: c.hello ?? g.smtp_hello,
    auth_username: c.auth_username ?? g.smtp_auth_username,
    auth_password: c.auth_password ?? g.smtp_auth_password,
    auth_password_file: c.auth_password_file ?? g.smtp_auth_password_file,
    auth_secret: c.auth_secret ?? g.smtp_auth_secret,
    auth_identity: c.auth_identity ?? g.smtp_auth_identity,
    require_tls: c.require_tls ?? g.smtp_require_tls,
  };
}

export class EmailIntegration implements Integration {
  readonly name = 'email';
  readonly sendResolved: boolean;
  readonly #c: ResolvedEmailConfig;
  readonly #templates: NotificationTemplates;
  readonly #externalURL: () => string;
  readonly #headers: [string, string][];

  /**
   * @example
   * new EmailIntegration(resolveEmailConfig(cfg, global), 0, templates, () => 'http://127.0.0.1:9093');
   */
  constructor(
    config: ResolvedEmailConfig,
    readonly index: number,
    templates: NotificationTemplates,
    externalURL: () => string,
  ) {
    this.#c = config;
    this.sendResolved = config.send_resolved;
    this.#templates = templates;
    this.#externalURL = externalURL;
    const headers = new Map<string, string>();
    for (const [k, v] of Object.entries(config.headers)) headers.set(canonicalHeader(k), v);
    if (!headers.has('Subject')) headers.set('Subject', '{{ template "email.default.subject" . }}');
    if (!headers.has('To')) headers.set('To', config.to);
    if (!headers.has('From')) headers.set('From', config.from);
    this.#headers = [...headers].sort(([a], [b]) => (a < b ? -1 : 1));
  }

  async notify(ctx: NotifyContext, alerts: readonly Alert[]): Promise<void> {
    const c = this.#c;
    const data = templateData(notificationData(ctx, alerts, this.#externalURL()));
    let message: string;
    let to: string[];
    let from: string;
    try {
      const headers: [string, string][] = [];
      for (const [name, src] of this.#headers) {
        headers.push([name, await this.#templates.text(src, data)]);
      }
      const html = await this.#templates.html(c.html, data);
      const text = c.text === undefined ? '' : await this.#templates.text(c.text, data);
      to = parseAddressList(await this.#templates.text(c.to, data));
      [from = ''] = parseAddressList(await this.#templates.text(c.from, data));
      message = buildMessage({ headers, text, html }, c.hello);
    } catch (err) {
      throw new NotifyError(`cannot render email: ${(err as Error).message}`, false, {
        cause: err,
      });
    }
    const [host, port] = splitHostPort(c.smarthost);
    const tls = this.#tlsOptions(host);
    let session: SmtpSession | undefined;
    try {
      session = await SmtpSession.connect({
        host,
        port,
        implicitTls: port === 465,
        tls,
        signal: ctx.signal,
        timeoutMs: REPLY_TIMEOUT_MS,
      });
      await session.hello(c.hello);
      if (!session.tls) {
        if (session.extensions.has('STARTTLS')) {
          await session.startTls(tls);
          await session.hello(c.hello);
        } else if (c.require_tls) {
          throw new SmtpError(
            `'require_tls' is true (default) but "${c.smarthost}" does not advertise the STARTTLS extension`,
            0,
          );
        }
      }
      const mechanisms = session.extensions.get('AUTH');
      if (mechanisms !== undefined && (c.auth_username ?? '') !== '') {
        await session.auth(mechanisms, {
          username: c.auth_username!,
          password: this.#password(),
          identity: c.auth_identity ?? '',
          secret: c.auth_secret ?? '',
        });
      }
      await session.send(from, to, message);
      await session.quit();
    } catch (err) {
      session?.close();
      if (err instanceof NotifyError) throw err;
      const code = err instanceof SmtpError ? err.code : 0;
      // 5xx replies are permanent (RFC 5321 §4.2.1): the same message would be refused again.
      throw new NotifyError(
        `cannot send email via ${c.smarthost}: ${(err as Error).message}`,
        code < 500,
        {
          cause: err,
        },
      );
    }
  }

  #password(): string {
    const c = this.#c;
    if (c.auth_password_file === undefined) return c.auth_password ?? '';
    try {
      return readFileSync(c.auth_password_file, 'utf8').trim();
    } catch (err) {
      throw new NotifyError(
        `cannot read auth_password_file ${c.auth_password_file}: ${(err as Error).message}`,
        false,
        { cause: err },
      );
    }
  }

  #tlsOptions(host: string): ConnectionOptions {
    const t = this.#c.tls_config;
    const file = (path: string | undefined) => {
      if (path === undefined) return undefined;
      try {
        return readFileSync(path, 'utf8');
      } catch (err) {
        throw new NotifyError(`cannot read TLS file ${path}: ${(err as Error).message}`, false, {
          cause: err,
        });
      }
    };
    const name = t.server_name ?? host;
    return {
      host,
      // SNI carries names only (RFC 6066); an IP is still checked against the certificate.
      servername: isIP(name) === 0 ? name : undefined,
      ca: t.ca ?? file(t.ca_file),
      cert: t.cert ?? file(t.cert_file),
      key: t.key ?? file(t.key_file),
      rejectUnauthorized: !t.insecure_skip_verify,
      minVersion: TLS_NAMES[t.min_version ?? 'TLS12'],
      maxVersion: t.max_version === undefined ? undefined : TLS_NAMES[t.max_version],
    };
  }
}

/**
 * `host:port` or `[v6]:port`.
 *
 * @throws {NotifyError} when there is no port.
 */
function splitHostPort(s: string): [string, number] {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(s);
  if (m === null)
    throw new NotifyError(`invalid smarthost ${JSON.stringify(s)}: want host:port`, false);
  return [m[1] ?? m[2]!, Number(m[3])];
}
