/**
 * @module
 * The Kubernetes API as discovery uses it: paged lists through the project's HTTP client, and
 * watches as one long streaming GET whose body is newline-delimited JSON watch events. Both
 * honour the entry's auth and TLS settings; without `api_server` they use the pod's service
 * account (token re-read on every request, so a rotated token is picked up by the next list
 * or watch).
 */

import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { HttpClientOptions } from '../../../lib/http-client/client.js';
import { HttpClient } from '../../../lib/http-client/client.js';
import type { KubeObject, WatchEvent } from './api-types.js';
import type { KubernetesSdConfig } from './config.js';
import { joinHostPort } from './meta.js';

export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** An answer of the API server other than success; `status` 410 means "relist". */
export class KubeApiError extends Error {
  constructor(
    readonly status: number,
    readonly url: string,
    detail: string,
  ) {
    super(`cannot read ${url}: status ${status}: ${detail.slice(0, 300)}`);
    this.name = 'KubeApiError';
  }
}

/** Where the API server is and how to reach it. */
export interface ApiEndpoint {
  baseUrl: string;
  options: HttpClientOptions;
}

/**
 * `api_server` with the entry's HTTP settings, or the in-cluster API server named by
 * `KUBERNETES_SERVICE_HOST`/`_PORT` with the service account's token and CA from `saDir`.
 *
 * @example
 * resolveApiEndpoint({ ...config, api_server: undefined }, { KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443' });
 * // { baseUrl: 'https://10.96.0.1:443', options: { bearer_token_file: '/var/run/…/token', … } }
 */
export function resolveApiEndpoint(
  config: KubernetesSdConfig,
  env: NodeJS.ProcessEnv = process.env,
  saDir = SERVICE_ACCOUNT_DIR,
): ApiEndpoint {
  if (config.api_server !== undefined) {
    return { baseUrl: config.api_server.replace(/\/+$/, ''), options: config };
  }
  return inClusterEndpoint(env, saDir);
}

/**
 * The in-cluster API server named by `KUBERNETES_SERVICE_HOST`/`_PORT`, with the service
 * account's token (re-read on every request) and CA from `saDir`. Throws outside a cluster.
 * Shared by discovery and the log agent's pod metadata.
 *
 * @example
 * inClusterEndpoint({ KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443' });
 */
export function inClusterEndpoint(
  env: NodeJS.ProcessEnv = process.env,
  saDir = SERVICE_ACCOUNT_DIR,
): ApiEndpoint {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  if (!host || !port) {
    throw new Error(
      'cannot find the Kubernetes API server: api_server is not set and KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not in the environment (not running in a cluster)',
    );
  }
  return {
    baseUrl: `https://${joinHostPort(host, port)}`,
    options: {
      bearer_token_file: `${saDir}/token`,
      tls_config: { ca_file: `${saDir}/ca.crt`, insecure_skip_verify: false },
      follow_redirects: true,
    },
  };
}

export interface ListResult {
  items: KubeObject[];
  resourceVersion: string;
}

/** Longest list page kept; a bigger one is an error rather than silently cut. */
const MAX_LIST_BYTES = 512 * 1024 * 1024;
/** Objects per list page: the API server's own suggestion for informers. */
const PAGE_SIZE = 500;
const LIST_TIMEOUT_MS = 60_000;

export class KubeClient {
  readonly #base: string;
  readonly #http: HttpClient;
  readonly #agent: http.Agent;

  /** Reads the TLS files now; a missing or unreadable one throws, naming it. */
  constructor(api: ApiEndpoint) {
    this.#base = api.baseUrl;
    this.#http = new HttpClient(api.options);
    this.#agent = api.baseUrl.startsWith('https:')
      ? new https.Agent(tlsAgentOptions(api.options.tls_config))
      : new http.Agent();
  }

  /** Every object at `path` (all pages), and the resource version to watch from. */
  async list(path: string, query: URLSearchParams, signal: AbortSignal): Promise<ListResult> {
    const items: KubeObject[] = [];
    let cont = '';
    for (;;) {
      const q = new URLSearchParams(query);
      q.set('limit', String(PAGE_SIZE));
      if (cont !== '') q.set('continue', cont);
      const url = `${this.#base}${path}?${q}`;
      const res = await this.#http.request(url, {
        method: 'GET',
        headers: { accept: 'application/json' },
        timeoutMs: LIST_TIMEOUT_MS,
        signal,
        maxBodyBytes: MAX_LIST_BYTES,
      });
      if (res.status !== 200) throw new KubeApiError(res.status, url, res.body.toString('utf8'));
      if (res.truncated) throw new KubeApiError(res.status, url, 'list larger than 512MiB');
      const body = JSON.parse(res.body.toString('utf8')) as {
        items?: KubeObject[] | null;
        metadata?: { resourceVersion?: string; continue?: string };
      };
      items.push(...(body.items ?? []));
      cont = body.metadata?.continue ?? '';
      if (cont === '') return { items, resourceVersion: body.metadata?.resourceVersion ?? '' };
    }
  }

  /**
   * Streams the watch events of `path` from `resourceVersion` until the server ends the
   * stream, `signal` aborts (the iteration then throws an AbortError) or no byte arrives for
   * `idleMs`. A non-200 answer throws a {@link KubeApiError}.
   */
  async *watch(
    path: string,
    query: URLSearchParams,
    signal: AbortSignal,
    idleMs: number,
  ): AsyncGenerator<WatchEvent> {
    const url = new URL(`${this.#base}${path}?${query}`);
    const headers: Record<string, string> = { accept: 'application/json' };
    const auth = this.#http.authorization();
    if (auth !== undefined) headers.authorization = auth;
    const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
      const req = (url.protocol === 'https:' ? https : http).request(url, {
        method: 'GET',
        headers,
        agent: this.#agent,
        signal,
      });
      req.setTimeout(idleMs, () => req.destroy(new Error(`watch idle for ${idleMs}ms`)));
      req.on('error', reject);
      req.on('response', resolve);
      req.end();
    });
    if (res.statusCode !== 200) {
      let body = '';
      for await (const chunk of res) body += String(chunk);
      throw new KubeApiError(res.statusCode ?? 0, url.toString(), body);
    }
    res.setEncoding('utf8');
    let pending = '';
    for await (const chunk of res) {
      pending += chunk as string;
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        if (line.trim() !== '') yield JSON.parse(line) as WatchEvent;
      }
    }
    if (pending.trim() !== '') yield JSON.parse(pending) as WatchEvent;
  }

  close(): void {
    this.#http.close();
    this.#agent.destroy();
  }
}

const TLS_NAMES = { TLS10: 'TLSv1', TLS11: 'TLSv1.1', TLS12: 'TLSv1.2', TLS13: 'TLSv1.3' } as const;

/** The same TLS settings HttpClient applies, for the watch connections it does not make. */
function tlsAgentOptions(tls: HttpClientOptions['tls_config']): https.AgentOptions {
  const file = (path: string | undefined, what: string) => {
    if (path === undefined) return undefined;
    try {
      return readFileSync(path, 'utf8');
    } catch (err) {
      throw new Error(`cannot read ${what} ${path}: ${(err as Error).message}`, { cause: err });
    }
  };
  return {
    ca: tls.ca ?? file(tls.ca_file, 'CA file'),
    cert: tls.cert ?? file(tls.cert_file, 'certificate file'),
    key: tls.key ?? file(tls.key_file, 'key file'),
    servername: tls.server_name,
    rejectUnauthorized: !tls.insecure_skip_verify,
    minVersion: TLS_NAMES[tls.min_version ?? 'TLS12'],
    maxVersion: tls.max_version === undefined ? undefined : TLS_NAMES[tls.max_version],
  };
}
