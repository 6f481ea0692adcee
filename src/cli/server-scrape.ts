/**
 * @module
 * The scrape jobs `vigil server` runs on itself unless told not to: its own `/metrics`, the
 * host and container exporter (job `node`, as node_exporter's is usually named), and its
 * Pushgateway's groups, scraped like any target so that they land in the TSDB with `up`,
 * staleness and all. A job of the same name in `scrape_configs` replaces the built-in one.
 */

import { SCRAPE_PROTOCOLS, type ScrapeJobConfig } from '../config/scrape.js';
import { HttpClient, type HttpClientOptions } from '../lib/http-client/client.js';
import { EXPORTER_PATH, PUSHGATEWAY_PREFIX } from '../server/http.js';

/** The address to scrape ourselves on: a wildcard bind is reached through loopback. */
export function loopbackFor(address: string): string {
  if (address === '::' || address === '0.0.0.0' || address === '') return '127.0.0.1';
  return address;
}

function job(name: string, target: string, extra: Partial<ScrapeJobConfig>): ScrapeJobConfig {
  return {
    job_name: name,
    metrics_path: '/metrics',
    scheme: 'http',
    params: {},
    honor_labels: false,
    honor_timestamps: true,
    track_timestamps_staleness: false,
    scrape_protocols: [...SCRAPE_PROTOCOLS],
    enable_compression: true,
    enable_http2: true,
    keep_dropped_targets: 0,
    relabel_configs: [],
    metric_relabel_configs: [],
    tls_config: { insecure_skip_verify: false },
    follow_redirects: true,
    static_configs: [{ targets: [target], labels: {} }],
    file_sd_configs: [],
    kubernetes_sd_configs: [],
    ...extra,
  };
}

/**
 * How the server reaches itself: over HTTPS when it serves TLS (on loopback, so the certificate
 * — issued for the public name — is not checked), and with its in-memory token when auth is on.
 */
export interface SelfScrape {
  tls: boolean;
  bearerToken?: string;
}

function selfHttpOptions(self: SelfScrape): Partial<HttpClientOptions> {
  return {
    ...(self.tls ? { tls_config: { insecure_skip_verify: true } } : {}),
    ...(self.bearerToken === undefined
      ? {}
      : { authorization: { type: 'Bearer', credentials: self.bearerToken } }),
  };
}

/**
 * A client for the server's requests to itself (the notifier's to its built-in Alertmanager);
 * undefined when a plain request will do.
 */
export function selfClient(self: SelfScrape): HttpClient | undefined {
  if (!self.tls && self.bearerToken === undefined) return undefined;
  return new HttpClient({
    tls_config: { insecure_skip_verify: false },
    follow_redirects: false,
    ...selfHttpOptions(self),
  });
}

/** The built-in jobs for a server reachable at `address`, minus those `jobs` names itself. */
export function builtinJobs(
  address: string,
  jobs: readonly ScrapeJobConfig[],
  self: SelfScrape = { tls: false },
): ScrapeJobConfig[] {
  const taken = new Set(jobs.map((j) => j.job_name));
  const access: Partial<ScrapeJobConfig> = {
    ...(self.tls ? { scheme: 'https' } : {}),
    ...selfHttpOptions(self),
  };
  return [
    job('vigil', address, access),
    job('node', address, { ...access, metrics_path: EXPORTER_PATH }),
    // Pushed series carry their own job and instance: honor_labels keeps them, as the
    // Pushgateway's documentation asks of every Prometheus that scrapes it.
    job('pushgateway', address, {
      ...access,
      metrics_path: `${PUSHGATEWAY_PREFIX}/metrics`,
      honor_labels: true,
    }),
  ].filter((j) => !taken.has(j.job_name));
}
