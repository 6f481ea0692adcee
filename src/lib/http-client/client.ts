/**
 * @module
 * An outgoing HTTP(S) client configured the way Prometheus configures its clients: basic auth,
 * an Authorization header (or the older bearer_token), TLS with a CA, a client certificate, a
 * server name and minimum version, redirects followed or not. Secrets in files are read on every
 * request, so rotating a token file needs no reload. Connections are kept alive.
 *
 * Leaf library: the option names are Prometheus' configuration keys, so a parsed configuration
 * passes straight through without this module importing it.
 */

import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { BodyBuffer, PlainGetError, PlainGetPool } from './plain-get.js';

export { BodyBuffer };

export interface HttpClientOptions {
  basic_auth?: {
    username: string;
    username_file?: string;
    password?: string;
    password_file?: string;
  };
  authorization?: { type: string; credentials?: string; credentials_file?: string };
  bearer_token?: string;
  bearer_token_file?: string;
  tls_config: {
    ca?: string;
    ca_file?: string;
    cert?: string;
    cert_file?: string;
    key?: string;
    key_file?: string;
    server_name?: string;
    insecure_skip_verify: boolean;
    min_version?: 'TLS10' | 'TLS11' | 'TLS12' | 'TLS13';
    max_version?: 'TLS10' | 'TLS11' | 'TLS12' | 'TLS13';
  };
  follow_redirects: boolean;
}

export interface HttpRequest {
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: Uint8Array;
  /** Whole request, response body included; 0 for none. */
  timeoutMs: number;
  /** Aborts the request; it then rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Longest response body kept; the rest is read and dropped. Default 1 MiB. */
  maxBodyBytes?: number;
}

/** A response whose body was read into the caller's {@link BodyBuffer}. */
export interface BufferedResponse {
  status: number;
  headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The body was longer than `maxBodyBytes` and was cut. */
  truncated: boolean;
}

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  /** The body was longer than `maxBodyBytes` and was cut. */
  truncated: boolean;
}

/** Thrown for what stops a request before it has a response: DNS, connect, TLS, timeout. */
export class HttpClientError extends Error {
  constructor(
    readonly url: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(`${url}: ${message}`, options);
    this.name = 'HttpClientError';
  }
}

const TLS_NAMES = { TLS10: 'TLSv1', TLS11: 'TLSv1.1', TLS12: 'TLSv1.2', TLS13: 'TLSv1.3' } as const;
const MAX_REDIRECTS = 10;
/** More than a scrape pool's targets; past it the cache starts again. */
const MAX_CACHED_URLS = 100_000;

function readSecret(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (err) {
    throw new Error(`cannot read ${what} ${file}: ${(err as Error).message}`, { cause: err });
  }
}

export class HttpClient {
  readonly #options: HttpClientOptions;
  readonly #httpAgent: http.Agent;
  readonly #httpsAgent: https.Agent;
  readonly #plain = new PlainGetPool();
  /** Parsed URLs of {@link getInto}: a scraper asks for the same ones every interval. */
  readonly #urls = new Map<string, URL | null>();

  /**
   * Reads the TLS files now; a missing or unreadable one throws here, naming it.
   *
   * @example
   * const client = new HttpClient({ tls_config: { insecure_skip_verify: false }, follow_redirects: true });
   * const res = await client.request('http://127.0.0.1:8428/api/v1/write', { method: 'POST', body, timeoutMs: 30_000 });
   */
  constructor(options: HttpClientOptions, maxSockets = Infinity) {
    this.#options = options;
    const tls = options.tls_config;
    const file = (path: string | undefined, what: string) =>
      path === undefined ? undefined : readSecret(path, what);
    this.#httpAgent = new http.Agent({ keepAlive: true, maxSockets });
    this.#httpsAgent = new https.Agent({
      keepAlive: true,
      maxSockets,
      ca: tls.ca ?? file(tls.ca_file, 'CA file'),
      cert: tls.cert ?? file(tls.cert_file, 'certificate file'),
      key: tls.key ?? file(tls.key_file, 'key file'),
      servername: tls.server_name,
      rejectUnauthorized: !tls.insecure_skip_verify,
      minVersion: TLS_NAMES[tls.min_version ?? 'TLS12'],
      maxVersion: tls.max_version === undefined ? undefined : TLS_NAMES[tls.max_version],
    });
  }

  /** The Authorization header value, read afresh from files; undefined when none is set. */
  authorization(): string | undefined {
    const o = this.#options;
    if (o.basic_auth !== undefined) {
      const b = o.basic_auth;
      const user =
        b.username_file !== undefined ? readSecret(b.username_file, 'username file') : b.username;
      const password =
        b.password_file !== undefined
          ? readSecret(b.password_file, 'password file')
          : (b.password ?? '');
      return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
    }
    if (o.authorization !== undefined) {
      const a = o.authorization;
      const credentials =
        a.credentials_file !== undefined
          ? readSecret(a.credentials_file, 'credentials file')
          : (a.credentials ?? '');
      return `${a.type} ${credentials}`;
    }
    if (o.bearer_token !== undefined) return `Bearer ${o.bearer_token}`;
    if (o.bearer_token_file !== undefined) {
      return `Bearer ${readSecret(o.bearer_token_file, 'bearer token file')}`;
    }
    return undefined;
  }

  /**
   * Sends a request and reads the response. Any status is a response; only what prevents one
   * rejects, with an {@link HttpClientError} naming the URL.
   */
  async request(url: string, req: HttpRequest): Promise<HttpResponse> {
    const headers = this.#withAuthorization(url, { ...req.headers });
    let target = url;
    for (let hop = 0; ; hop++) {
      const res = await this.#once(target, req, headers);
      const location = res.headers.location;
      if (!this.#options.follow_redirects || !isRedirect(res.status, req.method) || !location) {
        return res;
      }
      if (hop === MAX_REDIRECTS) {
        throw new HttpClientError(url, `stopped after ${MAX_REDIRECTS} redirects`);
      }
      target = new URL(location, target).toString();
    }
  }

  /**
   * A GET whose body lands in `body`, reusing its memory: what a scrape does every few seconds
   * to the same URL. Plain `http:` URLs go through {@link PlainGetPool}, which allocates nothing
   * per response; others, and redirects, through {@link request}, with the body copied over.
   */
  async getInto(
    url: string,
    req: Omit<HttpRequest, 'method' | 'body'>,
    body: BodyBuffer,
  ): Promise<BufferedResponse> {
    const parsed = this.#parse(url);
    let target = url;
    if (parsed?.protocol === 'http:') {
      const headers: Record<string, string> = {};
      for (const name in req.headers) headers[name.toLowerCase()] = req.headers[name]!;
      this.#withAuthorization(url, headers);
      let res;
      try {
        res = await this.#plain.get(
          { url: parsed, headers, body, maxBodyBytes: req.maxBodyBytes ?? 1024 * 1024 },
          req.timeoutMs,
          req.signal,
          () => new HttpClientError(url, `no complete response within ${req.timeoutMs}ms`),
        );
      } catch (err) {
        if (err instanceof PlainGetError) throw new HttpClientError(url, err.message);
        throw err;
      }
      const redirect = this.#options.follow_redirects && isRedirect(res.status, 'GET');
      const location = res.headers.location;
      if (!redirect || location === undefined) return res;
      target = new URL(location, parsed).toString();
    }
    const res = await this.request(target, { ...req, method: 'GET' });
    body.clear();
    body.append(res.body, 0, res.body.length);
    return res;
  }

  /** Adds the Authorization header to `headers`, read afresh; a secret file's error names `url`. */
  #withAuthorization(url: string, headers: Record<string, string>): Record<string, string> {
    let auth: string | undefined;
    try {
      auth = this.authorization();
    } catch (err) {
      throw new HttpClientError(url, (err as Error).message, { cause: err });
    }
    if (auth !== undefined) headers.authorization = auth;
    return headers;
  }

  #parse(url: string): URL | null {
    let parsed = this.#urls.get(url);
    if (parsed !== undefined) return parsed;
    try {
      parsed = new URL(url);
    } catch {
      // request() reports it.
      parsed = null;
    }
    if (this.#urls.size >= MAX_CACHED_URLS) this.#urls.clear();
    this.#urls.set(url, parsed);
    return parsed;
  }

  #once(url: string, req: HttpRequest, headers: Record<string, string>): Promise<HttpResponse> {
    return new Promise((resolve, reject) => {
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch {
        reject(new HttpClientError(url, 'invalid URL'));
        return;
      }
      const secure = parsed.protocol === 'https:';
      if (!secure && parsed.protocol !== 'http:') {
        reject(new HttpClientError(url, `unsupported scheme ${parsed.protocol}`));
        return;
      }
      const body = req.body;
      const outgoing = (secure ? https : http).request(parsed, {
        method: req.method,
        agent: secure ? this.#httpsAgent : this.#httpAgent,
        headers: body === undefined ? headers : { ...headers, 'content-length': body.length },
        signal: req.signal,
        timeout: req.timeoutMs > 0 ? req.timeoutMs : undefined,
      });
      let timer: NodeJS.Timeout | undefined;
      const fail = (err: Error) => {
        clearTimeout(timer);
        outgoing.destroy();
        reject(
          err instanceof HttpClientError || err.name === 'AbortError'
            ? err
            : new HttpClientError(url, err.message, { cause: err }),
        );
      };
      if (req.timeoutMs > 0) {
        timer = setTimeout(
          () => fail(new HttpClientError(url, `no complete response within ${req.timeoutMs}ms`)),
          req.timeoutMs,
        );
      }
      outgoing.on('error', fail);
      outgoing.on('response', (res) => {
        const max = req.maxBodyBytes ?? 1024 * 1024;
        const chunks: Buffer[] = [];
        let kept = 0;
        let truncated = false;
        res.on('data', (chunk: Buffer) => {
          if (kept >= max) {
            truncated = true;
            return;
          }
          const part = chunk.subarray(0, max - kept);
          truncated ||= part.length < chunk.length;
          chunks.push(part);
          kept += part.length;
        });
        res.on('error', fail);
        res.on('end', () => {
          clearTimeout(timer);
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
            truncated,
          });
        });
      });
      outgoing.end(body);
    });
  }

  /** Closes idle kept-alive connections. */
  close(): void {
    this.#httpAgent.destroy();
    this.#httpsAgent.destroy();
    this.#plain.close();
  }
}

/** Redirects a client follows: 307 and 308 keep the method and body, the others only for GET. */
function isRedirect(status: number, method: string): boolean {
  if (status === 307 || status === 308) return true;
  return method === 'GET' && (status === 301 || status === 302 || status === 303);
}
