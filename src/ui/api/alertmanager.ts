/**
 * @module
 * The UI's client for Alertmanager API v2 (`/api/v2/alerts`, `/silences`, `/silence/<id>`,
 * `/receivers`, `/status`), the API `amtool` speaks. The Alertmanager is reached on the UI's own
 * origin under {@link ALERTMANAGER_BASE}, where `vigil server` mounts its embedded Alertmanager;
 * a server without one answers 404 there, which {@link AlertmanagerUnavailable} reports.
 */

import { toLogin } from './client';
import { sessionHeaders } from './session-helpers';

/**
 * Where the server serves the Alertmanager, so its API v2 is at `<base>/api/v2`. Same-origin on
 * purpose: the browser sends the UI's credentials and needs no CORS.
 */
export const ALERTMANAGER_BASE = '/alertmanager';

/** How long one request may take (as the main API client). */
const TIMEOUT_MS = 10_000;

/** A failed Alertmanager call: the request, and the message the Alertmanager answered with. */
export class AlertmanagerError extends Error {
  override name = 'AlertmanagerError';
  readonly httpStatus: number | undefined;
  /** The Alertmanager's own words (a JSON string or `{code, message}` body), or the failure. */
  readonly detail: string;
  constructor(request: string, detail: string, httpStatus?: number, cause?: unknown) {
    super(`cannot ${request}: ${detail}`, { cause });
    this.detail = detail;
    this.httpStatus = httpStatus;
  }
}

/** The server has no Alertmanager at {@link ALERTMANAGER_BASE} (it answered 404 there). */
export class AlertmanagerUnavailable extends AlertmanagerError {
  override name = 'AlertmanagerUnavailable';
}

function errorText(body: string): string {
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed === 'string') return parsed;
    if (typeof parsed === 'object' && parsed !== null && 'message' in parsed) {
      return String(parsed.message);
    }
  } catch {
    // Not JSON: fall through to the raw text.
  }
  return body.trim() || 'empty response';
}

async function call<T>(
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  body?: unknown,
  signal?: AbortSignal,
): Promise<T> {
  const url = `${ALERTMANAGER_BASE}/api/v2${path}`;
  const request = `${method} ${url}`;
  const timeout = AbortSignal.timeout(TIMEOUT_MS);
  let response: Response;
  let text: string;
  try {
    response = await fetch(url, {
      method,
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      headers: {
        Accept: 'application/json',
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...sessionHeaders(method, document.cookie),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    text = await response.text();
    if (response.status === 401) toLogin();
  } catch (err) {
    if (signal?.aborted) throw signal.reason;
    const why = timeout.aborted ? `no response within ${TIMEOUT_MS} ms` : 'server unreachable';
    throw new AlertmanagerError(request, why, undefined, err);
  }
  // Without an Alertmanager the path is the app's: a 404, or index.html from the fallback that
  // serves the app's own routes. Neither is an API answer.
  const html = (response.headers.get('content-type') ?? '').startsWith('text/html');
  if ((response.status === 404 && !path.startsWith('/silence/')) || html) {
    throw new AlertmanagerUnavailable(request, 'this server has no Alertmanager', response.status);
  }
  if (!response.ok) throw new AlertmanagerError(request, errorText(text), response.status);
  if (text === '') return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw new AlertmanagerError(request, 'response is not JSON', response.status, err);
  }
}

/**
 * GETs an API v2 path.
 *
 * @throws AlertmanagerUnavailable when the server has no Alertmanager
 * @example
 * const silences = await amGet<GettableSilence[]>('/silences', signal);
 */
export function amGet<T>(path: string, signal?: AbortSignal): Promise<T> {
  return call<T>('GET', path, undefined, signal);
}

/**
 * POSTs JSON to an API v2 path.
 *
 * @example
 * const { silenceID } = await amPost<{ silenceID: string }>('/silences', silence);
 */
export function amPost<T>(path: string, body: unknown): Promise<T> {
  return call<T>('POST', path, body);
}

/**
 * DELETEs an API v2 resource (a silence, which expires it).
 *
 * @example
 * await amDelete(`/silence/${encodeURIComponent(id)}`);
 */
export function amDelete(path: string): Promise<void> {
  return call<void>('DELETE', path);
}
