/**
 * @module
 * One HTTP scrape: the GET Prometheus makes (its Accept header preferring OpenMetrics, gzip,
 * `X-Prometheus-Scrape-Timeout-Seconds`), the body size limit applied to the compressed and the
 * decompressed body, and failures worded as Prometheus words them in `lastError`.
 */

import { STATUS_CODES } from 'node:http';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { buildInfo } from '../../lib/buildinfo.js';
import type { HttpClient } from '../../lib/http-client/client.js';
import { HttpClientError } from '../../lib/http-client/client.js';

const gunzipAsync = promisify(gunzip);

export const SCRAPE_ACCEPT =
  'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

/** Node's Buffer cannot be larger; "no limit" means this. */
const NO_LIMIT = 2 ** 31 - 1;

export interface ScrapeResult {
  body: Buffer;
  contentType: string;
}

/** A scrape that produced no usable body; `message` is what `lastError` shows. */
export class ScrapeError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ScrapeError';
  }
}

/**
 * Fetches `url`. A timeout, a connection error, a status other than 200, or a body over
 * `bodyLimit` bytes (0: no limit) rejects with a {@link ScrapeError}.
 */
export async function scrape(
  client: HttpClient,
  url: string,
  timeoutMs: number,
  bodyLimit: number,
  signal?: AbortSignal,
): Promise<ScrapeResult> {
  const limit = bodyLimit > 0 ? bodyLimit : NO_LIMIT;
  let res;
  try {
    res = await client.request(url, {
      method: 'GET',
      headers: {
        accept: SCRAPE_ACCEPT,
        'accept-encoding': 'gzip',
        'user-agent': `Vigil/${buildInfo().version}`,
        'x-prometheus-scrape-timeout-seconds': String(timeoutMs / 1000),
      },
      timeoutMs,
      signal,
      maxBodyBytes: limit,
    });
  } catch (err) {
    if (err instanceof HttpClientError && /no complete response within/.test(err.message)) {
      throw new ScrapeError(`Get "${url}": context deadline exceeded`, { cause: err });
    }
    throw new ScrapeError(
      err instanceof HttpClientError
        ? `Get "${url}": ${err.message.slice(url.length + 2)}`
        : String(err),
      { cause: err },
    );
  }
  if (res.status !== 200) {
    throw new ScrapeError(
      `server returned HTTP status ${res.status} ${STATUS_CODES[res.status] ?? ''}`.trimEnd(),
    );
  }
  if (res.truncated) throw new ScrapeError('body size limit exceeded');
  let body = res.body;
  if (String(res.headers['content-encoding'] ?? '').toLowerCase() === 'gzip') {
    try {
      body = await gunzipAsync(body, { maxOutputLength: limit });
    } catch (err) {
      if (
        err instanceof RangeError ||
        (err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE'
      ) {
        throw new ScrapeError('body size limit exceeded', { cause: err });
      }
      throw new ScrapeError(`cannot decompress gzip body: ${(err as Error).message}`, {
        cause: err,
      });
    }
  }
  return { body, contentType: String(res.headers['content-type'] ?? '') };
}
