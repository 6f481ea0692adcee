/**
 * @module
 * GET over plain HTTP/1.1 with kept-alive connections, reading every response into a buffer the
 * caller owns and reuses. It exists for scraping: Node's `http` module hands each socket read to
 * JavaScript as a fresh ArrayBuffer, and with a million series in the heap those buffers (~90 KiB
 * per scrape) were promoted and freed only by full collections, which V8 started every ~10 s
 * for them (its trigger: 64 MiB more external memory than after the last one). Here all sockets
 * read into one static buffer (`net.connect`'s `onread`), whose bytes are copied into the
 * caller's buffer before the next read, so a steady scrape allocates no ArrayBuffer at all.
 *
 * It speaks just what a scrape needs: a GET, `Content-Length`, chunked or close-delimited
 * bodies, informational responses skipped, `Connection: close` honoured. TLS and redirects are
 * left to `HttpClient`, which uses this for plain `http:` URLs.
 */

import net from 'node:net';

/** A growable byte buffer that is refilled on each request; `bytes()` is valid until then. */
export class BodyBuffer {
  #buf = Buffer.allocUnsafe(0);
  #len = 0;

  /** The bytes of the last response body. */
  bytes(): Buffer {
    return this.#buf.subarray(0, this.#len);
  }

  /** Empties the buffer, keeping its memory. */
  clear(): void {
    this.#len = 0;
  }

  /** Appends `src[start, end)`. */
  append(src: Uint8Array, start: number, end: number): void {
    const n = end - start;
    if (this.#len + n > this.#buf.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.#len + n, this.#buf.length * 2, 4096));
      this.#buf.copy(grown, 0, 0, this.#len);
      this.#buf = grown;
    }
    this.#buf.set(src.subarray(start, end), this.#len);
    this.#len += n;
  }

  get length(): number {
    return this.#len;
  }
}

/** A response whose body is in the request's {@link BodyBuffer}. */
export interface PlainResponse {
  status: number;
  /** Lowercased names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** The body was longer than the limit: the buffer holds its first `maxBodyBytes` bytes. */
  truncated: boolean;
}

export interface PlainGet {
  url: URL;
  /** Extra request headers, lowercased names. */
  headers: Record<string, string>;
  body: BodyBuffer;
  maxBodyBytes: number;
}

/** What stops a request before it has a whole response; the message is Node's or Go's. */
export class PlainGetError extends Error {
  constructor(
    message: string,
    /** Nothing was received on a reused connection: the request may be sent again. */
    readonly retriable = false,
  ) {
    super(message);
    this.name = 'PlainGetError';
  }
}

// One read buffer for every socket: `onread` calls back synchronously with the bytes of one
// read, which are copied out before the event loop reads anything else.
const READ_BUFFER = Buffer.allocUnsafe(64 * 1024);
const MAX_HEAD_BYTES = 64 * 1024;
const CRLF2 = Buffer.from('\r\n\r\n', 'latin1');

const Phase = {
  Idle: 0,
  Head: 1,
  Length: 2,
  ChunkSize: 3,
  ChunkData: 4,
  ChunkDataEnd: 5,
  Trailer: 6,
  UntilClose: 7,
} as const;
type Phase = (typeof Phase)[keyof typeof Phase];

/** How a connection ends a request: with an error or a response, and whether it can be reused. */
type Done = (err: PlainGetError | null, res: PlainResponse | null, reuse: boolean) => void;

/** One kept-alive connection; it serves one request at a time. */
class Connection {
  readonly socket: net.Socket;
  #phase: Phase = Phase.Idle;
  #head = Buffer.allocUnsafe(1024);
  #headLen = 0;
  #remaining = 0;
  #line = '';
  #received = false;
  #req: PlainGet | null = null;
  #res: PlainResponse | null = null;
  /** Whether the response being read lets the connection serve another. */
  #keepAlive = true;
  #done: Done | null = null;
  /** Whether this connection already served a response (so a close before any byte may be a stale keep-alive). */
  reused = false;

  constructor(host: string, port: number, onIdleClose: (c: Connection) => void) {
    this.socket = net.connect({
      host,
      port,
      noDelay: true,
      onread: { buffer: READ_BUFFER, callback: (n: number) => this.#read(n) },
    });
    this.socket.on('error', (err) => this.#fail(err.message));
    this.socket.on('close', () => {
      if (this.#phase === Phase.UntilClose) this.#finish(false);
      else if (this.#phase === Phase.Idle) onIdleClose(this);
      else this.#fail(this.#received ? 'unexpected EOF' : 'EOF', !this.#received && this.reused);
    });
  }

  send(req: PlainGet, done: Done): void {
    this.#req = req;
    this.#done = done;
    this.#phase = Phase.Head;
    this.#headLen = 0;
    this.#received = false;
    req.body.clear();
    const u = req.url;
    let head = `GET ${u.pathname}${u.search} HTTP/1.1\r\nhost: ${u.host}\r\n`;
    for (const name in req.headers) head += `${name}: ${req.headers[name]}\r\n`;
    this.socket.write(`${head}\r\n`, 'latin1');
  }

  destroy(): void {
    this.#done = null;
    this.socket.destroy();
  }

  #read(n: number): boolean {
    if (this.#phase === Phase.Idle) {
      // Bytes nobody asked for: the connection cannot be trusted with the next response.
      this.socket.destroy();
      return false;
    }
    this.#received = true;
    this.#consume(READ_BUFFER, 0, n);
    return true;
  }

  #consume(src: Buffer, start: number, end: number): void {
    let i = start;
    while (i < end && this.#done !== null) {
      switch (this.#phase) {
        case Phase.Head:
          i = this.#readHead(src, i, end);
          break;
        case Phase.Length: {
          const take = Math.min(this.#remaining, end - i);
          this.#body(src, i, i + take);
          i += take;
          this.#remaining -= take;
          if (this.#remaining === 0) this.#finish(true);
          break;
        }
        case Phase.UntilClose:
          this.#body(src, i, end);
          i = end;
          break;
        case Phase.ChunkData: {
          const take = Math.min(this.#remaining, end - i);
          this.#body(src, i, i + take);
          i += take;
          this.#remaining -= take;
          if (this.#remaining === 0) {
            this.#phase = Phase.ChunkDataEnd;
            this.#line = '';
          }
          break;
        }
        default:
          i = this.#readLine(src, i, end);
      }
    }
  }

  /** Chunk-size lines, the CRLF after a chunk's data, and trailer lines. */
  #readLine(src: Buffer, start: number, end: number): number {
    const nl = src.indexOf(10, start);
    const stop = nl === -1 || nl >= end ? end : nl;
    this.#line += src.toString('latin1', start, stop);
    if (this.#line.length > 4096) {
      this.#fail('malformed chunked encoding: line too long');
      return end;
    }
    if (stop === end) return end;
    const line = this.#line.endsWith('\r') ? this.#line.slice(0, -1) : this.#line;
    this.#line = '';
    if (this.#phase === Phase.ChunkDataEnd) {
      if (line !== '') this.#fail('malformed chunked encoding');
      else this.#phase = Phase.ChunkSize;
    } else if (this.#phase === Phase.ChunkSize) {
      const hex = line.split(';', 1)[0]!.trim();
      const size = /^[0-9a-fA-F]{1,12}$/.test(hex) ? parseInt(hex, 16) : NaN;
      if (Number.isNaN(size)) this.#fail('malformed chunked encoding');
      else if (size === 0) this.#phase = Phase.Trailer;
      else {
        this.#remaining = size;
        this.#phase = Phase.ChunkData;
      }
    } else if (line === '') {
      this.#finish(true);
    }
    return stop + 1;
  }

  #readHead(src: Buffer, start: number, end: number): number {
    const n = end - start;
    // Bounded: a head still incomplete past MAX_HEAD_BYTES fails below, and a read is 64 KiB.
    if (this.#headLen + n > this.#head.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.#head.length * 2, this.#headLen + n));
      this.#head.copy(grown, 0, 0, this.#headLen);
      this.#head = grown;
    }
    const from = Math.max(0, this.#headLen - 3);
    src.copy(this.#head, this.#headLen, start, end);
    this.#headLen += n;
    const at = this.#head.indexOf(CRLF2, from);
    const complete = at !== -1 && at < this.#headLen;
    if ((complete ? at : this.#headLen) > MAX_HEAD_BYTES) {
      this.#fail('server response headers exceeded the limit');
      return end;
    }
    if (!complete) return end;
    const headEnd = at + 4;
    // The body bytes that came with the head are in #head; hand them on from there.
    const rest = this.#headLen - headEnd;
    this.#startBody(this.#head.toString('latin1', 0, at));
    if (rest > 0 && this.#done !== null && this.#phase !== Phase.Head) {
      this.#consume(this.#head, headEnd, headEnd + rest);
    } else if (rest > 0 && this.#phase === Phase.Head) {
      // An informational response: the real one follows in the same bytes.
      this.#head.copy(this.#head, 0, headEnd, headEnd + rest);
      this.#headLen = 0;
      this.#readHead(this.#head, 0, rest);
    }
    return end;
  }

  #startBody(head: string): void {
    const lines = head.split('\r\n');
    const m = /^HTTP\/1\.([01]) (\d{3})(?: |$)/.exec(lines[0]!);
    if (m === null) {
      this.#fail(`malformed HTTP response ${JSON.stringify(lines[0]!.slice(0, 64))}`);
      return;
    }
    const status = Number(m[2]);
    const headers: Record<string, string> = {};
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i]!;
      const colon = line.indexOf(':');
      if (colon <= 0) {
        this.#fail(`malformed MIME header line: ${line.slice(0, 64)}`);
        return;
      }
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
    }
    if (status >= 100 && status < 200) {
      this.#headLen = 0;
      return;
    }
    const keepAlive =
      m[1] === '1'
        ? !/(^|,)\s*close\s*($|,)/i.test(headers.connection ?? '')
        : /(^|,)\s*keep-alive\s*($|,)/i.test(headers.connection ?? '');
    this.#res = { status, headers, truncated: false };
    if (status === 204 || status === 304) {
      this.#finish(keepAlive);
      return;
    }
    if (/(^|,)\s*chunked\s*$/i.test(headers['transfer-encoding'] ?? '')) {
      this.#phase = Phase.ChunkSize;
      this.#line = '';
      this.#keepAlive = keepAlive;
      return;
    }
    const length = headers['content-length'];
    if (length !== undefined) {
      if (!/^\d{1,15}$/.test(length)) {
        this.#fail(`bad Content-Length ${JSON.stringify(length)}`);
        return;
      }
      this.#remaining = Number(length);
      this.#keepAlive = keepAlive;
      this.#phase = Phase.Length;
      if (this.#remaining === 0) this.#finish(keepAlive);
      return;
    }
    this.#phase = Phase.UntilClose;
  }

  #body(src: Buffer, start: number, end: number): void {
    const req = this.#req!;
    const room = req.maxBodyBytes - req.body.length;
    if (end - start > room) {
      req.body.append(src, start, start + room);
      this.#res!.truncated = true;
      // The rest is not read: the connection cannot serve another request.
      this.#finish(false);
      return;
    }
    req.body.append(src, start, end);
  }

  #finish(reuse: boolean): void {
    const res = this.#res;
    const keep = reuse && this.#keepAlive;
    const done = this.#idle();
    this.reused = true;
    if (!keep) this.socket.destroy();
    done?.(null, res, keep);
  }

  #fail(message: string, retriable = false): void {
    const done = this.#idle();
    this.socket.destroy();
    done?.(new PlainGetError(message, retriable), null, false);
  }

  /** Ends the request in hand; returns its callback, not yet called. */
  #idle(): Done | null {
    const done = this.#done;
    this.#phase = Phase.Idle;
    this.#done = null;
    this.#req = null;
    this.#res = null;
    this.#keepAlive = true;
    return done;
  }
}

/**
 * Kept-alive connections per host, each serving one request at a time.
 *
 * @example
 * const pool = new PlainGetPool();
 * const body = new BodyBuffer();
 * const res = await pool.get({ url: new URL('http://127.0.0.1:9100/metrics'), headers: {}, body, maxBodyBytes: 1 << 20 }, 10_000);
 * parse(body.bytes());
 */
export class PlainGetPool {
  readonly #idle = new Map<string, Connection[]>();
  #closed = false;

  /**
   * Sends a GET; resolves with the response once its body is in `req.body`. Rejects with a
   * {@link PlainGetError}, the signal's reason when aborted, or a timeout error from `onTimeout`.
   */
  get(
    req: PlainGet,
    timeoutMs: number,
    signal: AbortSignal | undefined,
    onTimeout: () => Error,
  ): Promise<PlainResponse> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      let conn: Connection | null = null;
      let timer: NodeJS.Timeout | undefined;
      const settle = (err: Error | null, res: PlainResponse | null) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        if (err !== null) reject(err);
        else resolve(res!);
      };
      const stop = (err: Error) => {
        conn?.destroy();
        settle(err, null);
      };
      const onAbort = () => stop(signal!.reason as Error);
      signal?.addEventListener('abort', onAbort, { once: true });
      if (timeoutMs > 0) timer = setTimeout(() => stop(onTimeout()), timeoutMs);
      const attempt = (fresh: boolean) => {
        conn = this.#take(req.url, fresh);
        conn.send(req, (err, res, reuse) => {
          if (err !== null && err.retriable && !fresh) {
            attempt(true);
            return;
          }
          if (reuse) this.#release(req.url, conn!);
          settle(err, res);
        });
      };
      attempt(false);
    });
  }

  #take(url: URL, fresh: boolean): Connection {
    const key = url.host;
    const idle = this.#idle.get(key);
    if (!fresh && idle !== undefined && idle.length > 0) return idle.pop()!;
    const port = url.port === '' ? 80 : Number(url.port);
    const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
    return new Connection(host, port, (c) => this.#forget(key, c));
  }

  #release(url: URL, conn: Connection): void {
    if (this.#closed) {
      conn.destroy();
      return;
    }
    const key = url.host;
    let idle = this.#idle.get(key);
    if (idle === undefined) this.#idle.set(key, (idle = []));
    idle.push(conn);
  }

  #forget(key: string, conn: Connection): void {
    const idle = this.#idle.get(key);
    if (idle === undefined) return;
    const i = idle.indexOf(conn);
    if (i !== -1) idle.splice(i, 1);
    if (idle.length === 0) this.#idle.delete(key);
  }

  /** Closes the idle connections; later responses close theirs. */
  close(): void {
    this.#closed = true;
    for (const idle of this.#idle.values()) for (const c of idle) c.destroy();
    this.#idle.clear();
  }
}
