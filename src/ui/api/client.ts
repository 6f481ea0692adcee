/**
 * @module
 * The one HTTP client of the UI. Every call to the Vigil server goes through {@link apiGet}, which
 * unwraps the Prometheus-style envelope the server answers with and turns every kind of failure —
 * no connection, a timeout, a body that is not an envelope, an error envelope — into one
 * {@link ApiError}, so pages handle a single error type.
 */

import { navigate } from '../state/location';
import { loginRedirect, sessionHeaders } from './session-helpers';

/** Prefix of the server's JSON API, same as Prometheus so its clients work unchanged. */
export const API_PREFIX = '/api/v1';

/**
 * The server's response envelope, as on the wire. `errorType` values follow Prometheus
 * (`bad_data`, `execution`, `internal`, `unavailable`, `not_found`, `timeout`, `canceled`, …).
 */
export type ApiResponse<T> =
  { status: 'success'; data: T } | { status: 'error'; errorType: string; error: string };

/** A failed API call. Branch on `errorType`; `httpStatus` is set when a response arrived. */
export class ApiError extends Error {
  override name = 'ApiError';
  readonly path: string;
  /**
   * The server's `errorType` from an error envelope, or one the client assigns when there was
   * none: `network` (no HTTP response at all), `timeout` (no response within
   * {@link REQUEST_TIMEOUT_MS}) or `bad_response` (a response that is not an envelope).
   */
  readonly errorType: string;
  /** What went wrong, without the request: lets a page group requests that failed alike. */
  readonly detail: string;
  readonly httpStatus: number | undefined;
  /** The `error` text of the server's error envelope, when there was one. */
  readonly serverError: string | undefined;

  constructor(
    path: string,
    errorType: string,
    detail: string,
    options?: { httpStatus?: number; cause?: unknown; serverError?: string; method?: string },
  ) {
    super(`cannot ${options?.method ?? 'GET'} ${path}: ${detail}`, { cause: options?.cause });
    this.path = path;
    this.errorType = errorType;
    this.detail = detail;
    this.httpStatus = options?.httpStatus;
    this.serverError = options?.serverError;
  }
}

/**
 * How long one request may take. Long enough for a busy single-core server, short enough that a
 * hung connection does not stall a page's refresh loop for minutes.
 */
export const REQUEST_TIMEOUT_MS = 10_000;

/**
 * Fetches `API_PREFIX + path` and returns the envelope's `data`.
 *
 * The type parameter is trusted, not checked: response shapes live in `responseTypes/` and mirror
 * the server's. Aborting `signal` rejects with the signal's reason (an `AbortError`), not an
 * ApiError, because an abort is the caller's own decision and never something to display.
 *
 * @param path API path after the prefix, starting with `/`
 * @param signal cancels the request, e.g. when the page that asked unmounts
 * @throws ApiError on any failure other than an abort through `signal`
 * @example
 * const info = await apiGet<BuildInfo>('/status/buildinfo', controller.signal);
 */
export async function apiGet<T>(path: string, signal?: AbortSignal): Promise<T> {
  return apiRequest<T>('GET', path, undefined, signal);
}

/**
 * Posts `body` as JSON to `API_PREFIX + path` and returns the envelope's `data`, failing as
 * {@link apiGet} does.
 *
 * @example
 * const out = await apiPost<SearchResult>('/logs/aggregate', { q: 'level:error', aggs }, signal);
 */
export async function apiPost<T>(path: string, body: unknown, signal?: AbortSignal): Promise<T> {
  return apiRequest<T>('POST', path, body, signal);
}

/**
 * Sends `body` (JSON, when given) with PUT and returns the envelope's `data`, failing as
 * {@link apiGet} does.
 *
 * @example
 * await apiPut('/auth/users/alice/role', { role: 'editor' });
 */
export async function apiPut<T>(path: string, body: unknown, signal?: AbortSignal): Promise<T> {
  return apiRequest<T>('PUT', path, body, signal);
}

/**
 * Deletes `API_PREFIX + path` and returns the envelope's `data`, failing as {@link apiGet} does.
 *
 * @example
 * await apiDelete(`/auth/tokens/${id}`);
 */
export async function apiDelete<T>(path: string, signal?: AbortSignal): Promise<T> {
  return apiRequest<T>('DELETE', path, undefined, signal);
}

async function apiRequest<T>(
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  requestBody: unknown,
  signal: AbortSignal | undefined,
): Promise<T> {
  const url = API_PREFIX + path;
  const timeout = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  let response: Response;
  let text: string;
  try {
    response = await fetch(url, {
      method,
      signal: combined,
      headers: {
        Accept: 'application/json',
        ...(requestBody === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...sessionHeaders(method, document.cookie),
      },
      ...(requestBody === undefined ? {} : { body: JSON.stringify(requestBody) }),
    });
    text = await response.text();
    if (response.status === 401) toLogin();
  } catch (err) {
    if (signal?.aborted) throw signal.reason;
    if (timeout.aborted) {
      throw new ApiError(url, 'timeout', `no response within ${REQUEST_TIMEOUT_MS} ms`, {
        cause: err,
        method,
      });
    }
    throw new ApiError(url, 'network', `server unreachable (${describe(err)})`, {
      cause: err,
      method,
    });
  }
  const body = parseJson(text);
  if (!isEnvelope(body)) {
    const detail = `HTTP ${response.status} with a body that is not an API envelope`;
    throw new ApiError(url, 'bad_response', detail, { httpStatus: response.status, method });
  }
  if (body.status === 'error') {
    const detail = `${body.error} (${body.errorType}, HTTP ${response.status})`;
    throw new ApiError(url, body.errorType, detail, {
      httpStatus: response.status,
      serverError: body.error,
      method,
    });
  }
  return body.data as T;
}

/** Sends the browser to the login page, to come back here: the session is gone or never was. */
export function toLogin(): void {
  const target = loginRedirect(window.location.pathname + window.location.search);
  if (target !== null) navigate(target);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isEnvelope(body: unknown): body is ApiResponse<unknown> {
  if (typeof body !== 'object' || body === null || !('status' in body)) return false;
  if (body.status === 'success') return 'data' in body;
  return (
    body.status === 'error' &&
    'errorType' in body &&
    typeof body.errorType === 'string' &&
    'error' in body &&
    typeof body.error === 'string'
  );
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
