/**
 * @module
 * A small SMTP client (RFC 5321) for email notifications: greeting, EHLO (HELO when the server
 * knows no ESMTP), STARTTLS (RFC 3207) or TLS from the first byte, AUTH PLAIN / LOGIN /
 * CRAM-MD5 (RFC 4954), MAIL, RCPT, DATA with dot-stuffing, QUIT. One {@link SmtpSession} is one
 * connection; commands run one at a time, each awaiting the server's reply.
 */

import { createHmac } from 'node:crypto';
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions, type TLSSocket } from 'node:tls';

/** A reply the client did not expect, or a broken connection. */
export class SmtpError extends Error {
  constructor(
    message: string,
    /** The reply code; 0 when the connection failed. 4xx may succeed later, 5xx will not. */
    readonly code: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'SmtpError';
  }
}

export interface SmtpReply {
  code: number;
  /** The text of each line, without the code. */
  lines: string[];
}

export interface SmtpConnectOptions {
  host: string;
  port: number;
  /** TLS from the first byte (port 465, "SMTPS"). */
  implicitTls: boolean;
  tls: ConnectionOptions;
  signal: AbortSignal;
  /** Longest wait for one reply. */
  timeoutMs: number;
}

/** Longest line a server may send; a longer one means we are not talking to SMTP. */
const MAX_LINE = 64 * 1024;

export class SmtpSession {
  #socket: Socket | TLSSocket;
  #buffer = '';
  #waiting: { resolve: (r: SmtpReply) => void; reject: (e: Error) => void } | null = null;
  #pending: SmtpReply[] = [];
  #partial: string[] = [];
  #failure: Error | null = null;
  readonly #o: SmtpConnectOptions;
  /** Extensions from the last EHLO, upper-cased name to parameters. */
  extensions = new Map<string, string>();
  tls: boolean;

  private constructor(socket: Socket | TLSSocket, o: SmtpConnectOptions) {
    this.#socket = socket;
    this.#o = o;
    this.tls = o.implicitTls;
    this.#attach(socket);
    o.signal.addEventListener('abort', () => this.#fail(new SmtpError('aborted', 0)), {
      once: true,
    });
  }

  /**
   * Connects and reads the greeting.
   *
   * @throws {SmtpError} when the connection fails or the server does not greet with 220.
   * @example
   * const s = await SmtpSession.connect({ host: '127.0.0.1', port: 25, implicitTls: false, tls: {}, signal, timeoutMs: 30_000 });
   */
  static async connect(o: SmtpConnectOptions): Promise<SmtpSession> {
    if (o.signal.aborted) throw new SmtpError('aborted', 0);
    const socket = o.implicitTls
      ? tlsConnect({ ...o.tls, host: o.host, port: o.port })
      : netConnect({ host: o.host, port: o.port });
    socket.setTimeout(o.timeoutMs);
    const session = new SmtpSession(socket, o);
    await session.expect(220, 'greeting');
    return session;
  }

  #attach(socket: Socket | TLSSocket): void {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => this.#onData(chunk));
    socket.on('error', (err) => this.#fail(new SmtpError(err.message, 0, { cause: err })));
    socket.on('timeout', () => this.#fail(new SmtpError('timed out waiting for the server', 0)));
    socket.on('close', () => this.#fail(new SmtpError('connection closed by the server', 0)));
  }

  #onData(chunk: string): void {
    this.#buffer += chunk;
    let nl: number;
    while ((nl = this.#buffer.indexOf('\n')) >= 0) {
      const line = this.#buffer.slice(0, nl).replace(/\r$/, '');
      this.#buffer = this.#buffer.slice(nl + 1);
      const m = /^(\d{3})([ -]?)(.*)$/.exec(line);
      if (m === null) {
        this.#fail(new SmtpError(`malformed reply line ${JSON.stringify(line)}`, 0));
        return;
      }
      this.#partial.push(m[3]!);
      if (m[2] === '-') continue;
      const reply = { code: Number(m[1]), lines: this.#partial };
      this.#partial = [];
      if (this.#waiting !== null) {
        const w = this.#waiting;
        this.#waiting = null;
        w.resolve(reply);
      } else this.#pending.push(reply);
    }
    if (this.#buffer.length > MAX_LINE) this.#fail(new SmtpError('reply line too long', 0));
  }

  #fail(err: Error): void {
    if (this.#failure !== null) return;
    this.#failure = err;
    this.#socket.destroy();
    const w = this.#waiting;
    this.#waiting = null;
    w?.reject(err);
  }

  #reply(): Promise<SmtpReply> {
    const next = this.#pending.shift();
    if (next !== undefined) return Promise.resolve(next);
    if (this.#failure !== null) return Promise.reject(this.#failure);
    return new Promise((resolve, reject) => (this.#waiting = { resolve, reject }));
  }

  /** Reads a reply and checks its code. */
  async expect(code: number, what: string): Promise<SmtpReply> {
    const r = await this.#reply();
    if (r.code !== code) {
      throw new SmtpError(`${what}: server replied ${r.code} ${r.lines.join(' ')}`, r.code);
    }
    return r;
  }

  /** Sends one command line and checks the reply's code. */
  async command(line: string, code: number, what = line.split(' ')[0]!): Promise<SmtpReply> {
    if (this.#failure !== null) throw this.#failure;
    this.#socket.write(`${line}\r\n`);
    return this.expect(code, what);
  }

  /** EHLO, or HELO when the server refuses it; records the extensions. */
  async hello(name: string): Promise<void> {
    this.extensions = new Map();
    try {
      const r = await this.command(`EHLO ${name}`, 250);
      for (const l of r.lines.slice(1)) {
        const [ext, ...params] = l.split(' ');
        this.extensions.set(ext!.toUpperCase(), params.join(' '));
      }
    } catch (err) {
      if (!(err instanceof SmtpError) || err.code === 0) throw err;
      await this.command(`HELO ${name}`, 250);
    }
  }

  /** Upgrades the connection with STARTTLS; say {@link hello} again afterwards. */
  async startTls(options: ConnectionOptions): Promise<void> {
    await this.command('STARTTLS', 220);
    const plain = this.#socket;
    plain.removeAllListeners('data');
    plain.removeAllListeners('close');
    plain.removeAllListeners('timeout');
    const secure = tlsConnect({ ...options, socket: plain });
    secure.setTimeout(this.#o.timeoutMs);
    this.#socket = secure;
    await new Promise<void>((resolve, reject) => {
      secure.once('secureConnect', resolve);
      secure.once('error', reject);
    }).catch((err: Error) => {
      this.#fail(new SmtpError(`STARTTLS: ${err.message}`, 0, { cause: err }));
      throw this.#failure!;
    });
    this.#attach(secure);
    this.tls = true;
  }

  /**
   * Authenticates with the first mechanism of `mechanisms` (the server's AUTH parameters, in
   * its order) for which credentials are given.
   *
   * @throws {SmtpError} when none fits or the server refuses the credentials.
   */
  async auth(
    mechanisms: string,
    c: { username: string; password: string; identity: string; secret: string },
  ): Promise<void> {
    for (const mech of mechanisms.toUpperCase().split(/\s+/)) {
      if (mech === 'CRAM-MD5' && c.secret !== '') {
        const r = await this.command('AUTH CRAM-MD5', 334, 'AUTH');
        const challenge = Buffer.from(r.lines[0] ?? '', 'base64');
        const digest = createHmac('md5', c.secret).update(challenge).digest('hex');
        await this.command(b64(`${c.username} ${digest}`), 235, 'AUTH');
        return;
      }
      if (mech === 'PLAIN' && c.password !== '') {
        this.#checkEncrypted();
        await this.command(
          `AUTH PLAIN ${b64(`${c.identity}\0${c.username}\0${c.password}`)}`,
          235,
          'AUTH',
        );
        return;
      }
      if (mech === 'LOGIN' && c.password !== '') {
        this.#checkEncrypted();
        await this.command('AUTH LOGIN', 334, 'AUTH');
        await this.command(b64(c.username), 334, 'AUTH');
        await this.command(b64(c.password), 235, 'AUTH');
        return;
      }
    }
    throw new SmtpError(`unknown auth mechanism: ${mechanisms}`, 0);
  }

  /** As Go's smtp package: passwords travel in clear only to this machine. */
  #checkEncrypted(): void {
    const local = ['localhost', '127.0.0.1', '::1'].includes(this.#o.host);
    if (!this.tls && !local) throw new SmtpError('unencrypted connection', 0);
  }

  /** MAIL, RCPT for each recipient, DATA with the message (CRLF lines, dot-stuffed). */
  async send(from: string, to: readonly string[], message: string): Promise<void> {
    await this.command(`MAIL FROM:<${from}>`, 250, 'MAIL');
    for (const rcpt of to) await this.command(`RCPT TO:<${rcpt}>`, 250, 'RCPT');
    await this.command('DATA', 354);
    const body = message.replace(/\r?\n/g, '\r\n').replace(/^\./gm, '..').replace(/\r\n$/, '');
    this.#socket.write(`${body}\r\n.\r\n`);
    await this.expect(250, 'DATA');
  }

  /** QUIT, then closes; never throws. */
  async quit(): Promise<void> {
    try {
      await this.command('QUIT', 221);
    } catch {
      // The message is already accepted; a server that hangs up first has done no harm.
    }
    this.close();
  }

  close(): void {
    this.#failure ??= new SmtpError('closed', 0);
    this.#socket.destroy();
  }
}

function b64(s: string): string {
  return Buffer.from(s, 'utf8').toString('base64');
}
