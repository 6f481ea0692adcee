/**
 * @module
 * The schema of `vigil.yml`: one file for the whole server, every key with its default. Each
 * component owns one top-level section; the docs in docs/configuration.md list the same keys.
 */

import { z } from 'zod';
import { LOG_FORMATS, LOG_LEVELS } from '../lib/log/logger.js';
import { alertingSection } from './alerting.js';
import { alertmanagerSection } from './alertmanager.js';
import { remoteWriteSection } from './remote-write.js';
import { checkScrapeTimeouts, globalSection, scrapeConfigsSection } from './scrape.js';
import { duration, listenAddress, section, size } from './types.js';

export const DEFAULT_LISTEN = '127.0.0.1:9700';

/** Logins, sessions and API tokens; docs/security.md explains the model. */
const auth = section({
  /**
   * Require a login or an API token on every route but the public ones. Off by default, which
   * is safe only on loopback: a non-loopback `listen` without it refuses to start.
   */
  enabled: z.boolean().default(false),
  /** A session ends this long after its last use. */
  session_idle_timeout: duration.prefault('12h').refine((ms) => ms > 0, 'must be greater than 0'),
  /** A session ends this long after login, used or not. */
  session_max_age: duration.prefault('7d').refine((ms) => ms > 0, 'must be greater than 0'),
  /** Failed logins for one user, or from one address, before each further try must wait. */
  login_max_failures: z.number().int().positive().default(5),
  /** The first wait; it doubles with each further failure up to login_max_delay. */
  login_base_delay: duration.prefault('1s').refine((ms) => ms > 0, 'must be greater than 0'),
  login_max_delay: duration.prefault('15m').refine((ms) => ms > 0, 'must be greater than 0'),
  /** Bytes per second each API token may send to ingest routes; 0: no limit. */
  token_ingest_rate: size.prefault('0'),
});

/** HTTPS from PEM files; both files or neither. */
const tls = section({
  cert_file: z.string().default(''),
  key_file: z.string().default(''),
  /** How often the files are checked for changes; a changed pair is loaded without a restart. */
  reload_interval: duration.prefault('10s').refine((ms) => ms >= 100, 'must be at least 100ms'),
}).superRefine((v, ctx) => {
  if ((v.cert_file === '') !== (v.key_file === '')) {
    ctx.addIssue({ code: 'custom', message: 'cert_file and key_file must be given together' });
  }
});

const server = section({
  /** Overridden by `--listen`. */
  listen: listenAddress.prefault(DEFAULT_LISTEN),
  /** Longest time to receive a whole request, so slow clients cannot hold a connection; 0 disables. */
  request_timeout: duration.prefault('2m'),
  /** How long an idle keep-alive connection stays open. */
  idle_timeout: duration.prefault('75s'),
  max_request_body_size: size.prefault('32MiB').refine((b) => b > 0, 'must be greater than 0'),
  max_header_size: size.prefault('16KiB').refine((b) => b >= 1024, 'must be at least 1KiB'),
  /** On SIGTERM, how long in-flight work may take before the process exits anyway. */
  shutdown_timeout: duration.prefault('10s').refine((ms) => ms > 0, 'must be greater than 0'),
  /**
   * Scrape Vigil's own `/metrics` (job `vigil`), its host and container exporter (job `node`)
   * and its Pushgateway (job `pushgateway`, with honor_labels) without listing them in
   * scrape_configs; a job of the same name there wins.
   */
  builtin_scrape_jobs: z.boolean().default(true),
  /**
   * Addresses or CIDR ranges of reverse proxies (an Ingress controller) whose X-Forwarded-For
   * names the client; login limits and the audit log then see clients, not the proxy.
   */
  trusted_proxies: z.array(z.string().min(1)).default([]),
  /**
   * The log agent inside the server, collecting this host's logs into its own store: journald
   * and the container log files (/var/log/pods, else /var/log/containers). `--no-local-agent`
   * turns it off too.
   */
  local_agent: section({
    enabled: z.boolean().default(true),
    /**
     * An agent.yml (relative to this file) to run instead of the defaults: its inputs, parsers,
     * filters, kubernetes and node_name; its outputs, if any, get records too.
     */
    config: z.string().default(''),
    /** The index the host's logs are stored in. */
    index: z.string().min(1).default('logs-agent'),
  }),
  auth,
  tls,
});

const log = section({
  /** Overridden by `--log.level`. */
  level: z.enum(LOG_LEVELS).default('info'),
  /** Overridden by `--log.format`. */
  format: z.enum(LOG_FORMATS).default('logfmt'),
});

/**
 * Metric metadata (type, help, unit per metric family), kept in memory like Prometheus does;
 * the defaults and their reasons are DEFAULT_METADATA_LIMITS in metrics/storage/metadata.ts.
 */
const metadataStorage = section({
  /** An entry not reported again for this long is forgotten. */
  forget_after: duration.prefault('10m').refine((ms) => ms > 0, 'must be greater than 0'),
  /** Most metric families held; entries of further families are dropped. */
  max_metrics: z.number().int().positive().default(50_000),
  /** Most distinct entries per family; a new one replaces the least recently reported. */
  max_entries_per_metric: z.number().int().positive().default(10),
});

const metricsStorage = section({
  /** Blocks whose newest sample is older than this are deleted. 0 keeps data forever. */
  retention: duration.prefault('15d'),
  /** Oldest blocks are deleted while all blocks together are larger than this. 0 disables. */
  retention_size: size.prefault('0'),
  /** Time range of the head cut into each new block; compaction merges them into larger ones. */
  block_duration: duration.prefault('2h').refine((ms) => ms >= 60_000, 'must be at least 1m'),
  /**
   * `write`: a commit resolves once its WAL records are handed to the OS — they survive a crash
   * of Vigil, not of the machine (Prometheus' behaviour). `fsync`: a commit resolves after
   * fdatasync; concurrent commits share one.
   */
  wal_sync: z.enum(['write', 'fsync']).default('write'),
  /** A multiple of the WAL's 32KiB page. */
  wal_segment_size: size
    .prefault('128MiB')
    .refine(
      (b) => b >= 64 * 1024 && b % (32 * 1024) === 0,
      'must be a multiple of 32KiB, at least 64KiB',
    ),
  metadata: metadataStorage,
});

/** One retention rule; the first whose `indices` pattern matches an index applies to it. */
const logRetentionRule = section({
  /** An index name or a `*` pattern. */
  indices: z.string().min(1),
  /** Whole days of an index older than this are deleted. 0 keeps them. */
  max_age: duration.prefault('0'),
  /** The oldest days of an index are deleted while it takes more than this. 0 disables. */
  max_size: size.prefault('0'),
});

const logsStorage = section({
  /** Paths indexed per index; further fields stay in the documents but are not searchable. */
  field_limit: z.number().int().positive().default(1000),
  /** Largest document (its JSON); larger ones are refused, alone, with `document_too_large`. */
  max_document_size: size.prefault('10MiB').refine((b) => b > 0, 'must be greater than 0'),
  /** Most documents one search may read; more fails it, as a query limit. */
  max_docs_scanned: z.number().int().positive().default(100_000_000),
  /** Longest a search may run. */
  query_timeout: duration.prefault('30s').refine((ms) => ms > 0, 'must be greater than 0'),
  /** The index Loki push entries (`/loki/api/v1/push`) are written to. */
  loki_index: z.string().min(1).default('logs-loki'),
  /** Retention rules; an index no rule matches is kept forever. */
  retention: z
    .array(logRetentionRule)
    .default([{ indices: '*', max_age: 30 * 86_400_000, max_size: 0 }]),
});

const storage = section({ metrics: metricsStorage, logs: logsStorage });

const query = section({
  /** How far back an instant selector looks for a sample (Prometheus' --query.lookback-delta). */
  lookback_delta: duration.prefault('5m').refine((ms) => ms > 0, 'must be greater than 0'),
  /** Most samples one query may hold in memory (--query.max-samples). */
  max_samples: z.number().int().positive().default(50_000_000),
  /** Longest a query may run (--query.timeout); a request's `timeout` can only shorten it. */
  timeout: duration.prefault('2m').refine((ms) => ms > 0, 'must be greater than 0'),
  /** Queries evaluated at once; more wait their turn (--query.max-concurrency). */
  max_concurrency: z.number().int().positive().default(20),
});

const dashboards = section({
  /**
   * A folder of dashboard JSON files loaded read-only at start (relative to this file); empty
   * for none.
   */
  provisioning_dir: z.string().default(''),
  /** Provide the built-in dashboards (Kubernetes cluster, Node, Vigil itself). */
  builtin: z.boolean().default(true),
});

export const configSchema = section({
  server,
  log,
  storage,
  query,
  dashboards,
  /** Prometheus' `global` section: scrape defaults and external labels. */
  global: globalSection,
  /** Prometheus' `scrape_configs`: the jobs Vigil scrapes. */
  scrape_configs: scrapeConfigsSection,
  /** Remote endpoints every sample is sent to, in Prometheus' `remote_write` format. */
  remote_write: remoteWriteSection,
  /** Prometheus rule files (the last path element may be a pattern), relative to this file. */
  rule_files: z.array(z.string().min(1)).default([]),
  /** Prometheus' `alerting` section: where alerts from rules are sent. */
  alerting: alertingSection,
  /** The Alertmanager built into the server. */
  alertmanager: alertmanagerSection,
}).superRefine((config, ctx) => checkScrapeTimeouts(config, ctx));

/** The validated configuration with defaults filled in; durations in ms, sizes in bytes. */
export type Config = z.output<typeof configSchema>;
