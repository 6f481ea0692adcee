/**
 * @module
 * An SMTP server for email notification tests: a real socket on 127.0.0.1 speaking enough of
 * RFC 5321 for a client to deliver — EHLO/HELO, STARTTLS with a self-signed certificate made by
 * `openssl req` in the test's temporary directory, AUTH PLAIN and LOGIN against one user,
 * MAIL/RCPT/DATA with dot-unstuffing — recording each message it accepts. Closed when the test
 * ends.
 */

import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type Socket } from 'node:net';
import { createSecureContext, TLSSocket } from 'node:tls';
import { selfSignedCert } from './tls.js';

export interface SmtpMessage {
  from: string;
  to: string[];
  /** The DATA, CRLF lines, dot-unstuffed. */
  data: string;
  /** Whether the session had done STARTTLS. */
  tls: boolean;
  /** The user that authenticated, or null. */
  user: string | null;
}

export interface SmtpServer {
  host: string;
  port: number;
  /** `host:port`, for `smarthost`. */
  address: string;
  /** The self-signed certificate (PEM file), for the client's `ca_file`; null without TLS. */
  certFile: string | null;
  messages: SmtpMessage[];
  /** Reply codes for the next DATA ends (e.g. 451), in order; 250 once used up. */
  failNext: number[];
  /** Every command line received, for checking the dialogue. */
  commands: string[];
  waitFor(n: number, timeoutMs?: number): Promise<SmtpMessage[]>;
}

export interface SmtpServerOptions {
  /** Offer STARTTLS (default true). */
  starttls?: boolean;
  /** Offer AUTH for this user and require it before MAIL. */
  auth?: { username: string; password: string };
  /** The mechanisms offered, in order (default PLAIN LOGIN); CRAM-MD5 checks the password as its secret. */
  mechanisms?: ('PLAIN' | 'LOGIN' | 'CRAM-MD5')[];
}

/**
 * @example
 * const smtp = await startSmtpServer(t, { auth: { username: 'u', password: 'p' } });
 * const [msg] = await smtp.waitFor(1);
 */
export async function startSmtpServer(
  t: { after: (fn: () => void | Promise<void>) => void },
  opts: SmtpServerOptions = {},
): Promise<SmtpServer> {
  const starttls = opts.starttls ?? true;
  const mechanisms = opts.mechanisms ?? ['PLAIN', 'LOGIN'];
  let certFile: string | null = null;
  let context: ReturnType<typeof createSecureContext> | null = null;
  if (starttls) {
    const made = selfSignedCert(t);
    certFile = made.certFile;
    context = createSecureContext({ cert: made.cert, key: made.key });
  }
  const messages: SmtpMessage[] = [];
  const failNext: number[] = [];
  const commands: string[] = [];
  const sockets = new Set<Socket>();

  const serve = (raw: Socket) => {
    sockets.add(raw);
    raw.on('close', () => sockets.delete(raw));
    raw.on('error', () => {});
    let socket: Socket = raw;
    let tls = false;
    let user: string | null = null;
    let from: string | null = null;
    let to: string[] = [];
    let data: string[] | null = null;
    let login: 'user' | 'password' | 'cram' | null = null;
    let challenge = '';
    let loginUser = '';
    let buffer = '';
    const say = (line: string) => socket.write(`${line}\r\n`);
    const onLine = (line: string) => {
      if (data !== null) {
        if (line === '.') {
          const code = failNext.shift() ?? 250;
          if (code === 250) messages.push({ from: from!, to, data: data.join('\r\n'), tls, user });
          data = null;
          from = null;
          to = [];
          say(code === 250 ? '250 OK queued' : `${code} try again later`);
        } else data.push(line.startsWith('.') ? line.slice(1) : line);
        return;
      }
      commands.push(line);
      if (login !== null) {
        const v = Buffer.from(line, 'base64').toString();
        if (login === 'cram') {
          login = null;
          const [u, digest] = v.split(' ');
          const want = createHmac('md5', opts.auth?.password ?? '')
            .update(challenge)
            .digest('hex');
          if (u === opts.auth?.username && digest === want) {
            user = u;
            say('235 2.7.0 Authentication successful');
          } else say('535 5.7.8 Authentication credentials invalid');
          return;
        }
        if (login === 'user') {
          loginUser = v;
          login = 'password';
          say(`334 ${Buffer.from('Password:').toString('base64')}`);
        } else {
          login = null;
          if (loginUser === opts.auth?.username && v === opts.auth.password) {
            user = loginUser;
            say('235 2.7.0 Authentication successful');
          } else say('535 5.7.8 Authentication credentials invalid');
        }
        return;
      }
      const [verb = '', ...rest] = line.split(' ');
      const arg = rest.join(' ');
      switch (verb.toUpperCase()) {
        case 'EHLO': {
          const ext = ['8BITMIME'];
          if (context !== null && !tls) ext.push('STARTTLS');
          if (opts.auth !== undefined) ext.push(`AUTH ${mechanisms.join(' ')}`);
          say(`250-test.smtp greets ${arg}`);
          ext.forEach((e, i) => say(`250${i === ext.length - 1 ? ' ' : '-'}${e}`));
          return;
        }
        case 'HELO':
          return say('250 test.smtp');
        case 'STARTTLS': {
          if (context === null || tls) return say('502 not offered');
          say('220 ready to start TLS');
          raw.removeAllListeners('data');
          const secure = new TLSSocket(raw, { isServer: true, secureContext: context });
          secure.on('error', () => {});
          secure.setEncoding('utf8');
          secure.on('data', onData);
          socket = secure;
          tls = true;
          user = null;
          return;
        }
        case 'AUTH': {
          const [mech = '', initial] = rest;
          if (!(mechanisms as string[]).includes(mech.toUpperCase())) {
            return say('504 unrecognized authentication type');
          }
          if (mech.toUpperCase() === 'CRAM-MD5') {
            login = 'cram';
            challenge = `<${randomBytes(8).toString('hex')}@test.smtp>`;
            return say(`334 ${Buffer.from(challenge).toString('base64')}`);
          }
          if (mech.toUpperCase() === 'PLAIN' && initial !== undefined) {
            const [, u, p] = Buffer.from(initial, 'base64').toString().split('\0');
            if (u === opts.auth?.username && p === opts.auth.password) {
              user = u;
              return say('235 2.7.0 Authentication successful');
            }
            return say('535 5.7.8 Authentication credentials invalid');
          }
          if (mech.toUpperCase() === 'LOGIN') {
            login = 'user';
            return say(`334 ${Buffer.from('Username:').toString('base64')}`);
          }
          return say('504 unrecognized authentication type');
        }
        case 'MAIL':
          if (opts.auth !== undefined && user === null)
            return say('530 5.7.0 Authentication required');
          from = /<(.*)>/.exec(arg)?.[1] ?? '';
          return say('250 OK');
        case 'RCPT':
          if (from === null) return say('503 need MAIL first');
          to.push(/<(.*)>/.exec(arg)?.[1] ?? '');
          return say('250 OK');
        case 'DATA':
          if (to.length === 0) return say('503 need RCPT first');
          data = [];
          return say('354 end with <CRLF>.<CRLF>');
        case 'QUIT':
          say('221 bye');
          socket.end();
          return;
        case 'NOOP':
        case 'RSET':
          return say('250 OK');
        default:
          return say('500 unknown command');
      }
    };
    const onData = (chunk: string) => {
      buffer += chunk;
      let nl: number;
      while ((nl = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 2);
        onLine(line);
      }
    };
    raw.setEncoding('utf8');
    raw.on('data', onData);
    say('220 test.smtp ESMTP ready');
  };

  const server = createServer(serve);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(
    () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  );
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('smtp server has no port');
  return {
    host: '127.0.0.1',
    port: address.port,
    address: `127.0.0.1:${address.port}`,
    certFile,
    messages,
    failNext,
    commands,
    async waitFor(n, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (messages.length < n) {
        if (Date.now() > deadline) {
          throw new Error(`smtp server got ${messages.length} of ${n} messages in ${timeoutMs} ms`);
        }
        await new Promise((r) => setTimeout(r, 20));
      }
      return messages;
    },
  };
}

/** A received message taken apart: headers (lower-case names) and its decoded MIME parts. */
export function parseMessage(data: string): {
  headers: Record<string, string>;
  parts: { type: string; body: string }[];
} {
  const [head = '', ...rest] = data.split('\r\n\r\n');
  const headers: Record<string, string> = {};
  for (const line of head.split('\r\n')) {
    const i = line.indexOf(':');
    headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
  }
  const boundary = /boundary=(\S+)/.exec(headers['content-type'] ?? '')?.[1];
  const parts: { type: string; body: string }[] = [];
  if (boundary !== undefined) {
    const body = rest.join('\r\n\r\n');
    for (const chunk of body.split(`--${boundary}`).slice(1)) {
      if (chunk.startsWith('--')) break;
      const [ph = '', ...pb] = chunk.replace(/^\r\n/, '').split('\r\n\r\n');
      const type = /Content-Type: ([^;\r\n]+)/i.exec(ph)?.[1] ?? '';
      const qp = pb.join('\r\n\r\n').replace(/\r\n$/, '');
      const bytes = qp
        .replace(/=\r\n/g, '')
        .replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
      parts.push({ type, body: Buffer.from(bytes, 'latin1').toString('utf8') });
    }
  }
  return { headers, parts };
}
