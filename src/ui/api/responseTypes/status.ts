/**
 * @module
 * Shapes of the `data` field of the `/api/v1/status/*` responses, mirroring the server. Times are
 * RFC 3339 strings as sent; parse them where they are shown.
 */

/** `GET /api/v1/status/buildinfo`: what binary is running. */
export interface BuildInfo {
  version: string;
  revision: string;
  branch: string;
  buildUser: string;
  buildDate: string;
  nodeVersion: string;
}

/** `GET /api/v1/status/runtimeinfo`: the running process and its configuration state. */
export interface RuntimeInfo {
  /** When the process started (RFC 3339). */
  startTime: string;
  /** The server's clock when it answered (RFC 3339); uptime is `serverTime - startTime`. */
  serverTime: string;
  CWD: string;
  hostname: string;
  pid: number;
  dataDir: string;
  /** Path of the loaded config file, or null when running on built-in defaults. */
  configFile: string | null;
  /** Whether the most recent config (re)load succeeded. */
  reloadConfigSuccess: boolean;
  /** When the config was last (re)loaded successfully (RFC 3339). */
  lastConfigTime: string;
}

/** Lifecycle state of one server component; values are the wire form. */
export type ComponentState = 'starting' | 'running' | 'stopping' | 'stopped' | 'failed';

/** One component (TSDB, scrape manager, log store, …) as reported by the server. */
export interface ComponentStatus {
  name: string;
  state: ComponentState;
  /** When the component entered `state` (RFC 3339). */
  since: string;
  /** Why the component failed or is degraded; absent when healthy. */
  error?: string;
}

/** `GET /api/v1/status/components`: readiness of the server as a whole and of each part. */
export interface ComponentsStatus {
  /** True when every component needed to serve requests is running. */
  ready: boolean;
  components: ComponentStatus[];
}

/** `GET /api/v1/status/flags`: command-line flags with their effective values. */
export type Flags = Record<string, string>;

/** `GET /api/v1/status/config`: the configuration as loaded, re-serialised as YAML. */
export interface ConfigYaml {
  yaml: string;
}

/** One `{name, value}` entry of a TSDB cardinality list. */
export interface NameValue {
  name: string;
  value: number;
}

/** `GET /api/v1/status/tsdb`: head figures and top cardinality contributors (Prometheus' shape). */
export interface TsdbStatus {
  /** `minTime`/`maxTime` in ms since the epoch; an empty head reports them inverted. */
  headStats: { numSeries: number; chunkCount: number; minTime: number; maxTime: number };
  seriesCountByMetricName: NameValue[];
  labelValueCountByLabelName: NameValue[];
  memoryInBytesByLabelName: NameValue[];
  seriesCountByLabelValuePair: NameValue[];
}

/** The retention rule an index falls under: its pattern and limits (absent: no limit). */
export interface IndexRetention {
  indices: string;
  maxAgeMs?: number;
  maxBytes?: number;
}

/** One entry of `GET /api/v1/logs/indices`. */
export interface LogIndex {
  name: string;
  docs: number;
  /** Bytes on disk, WAL included. */
  bytes: number;
  /** Oldest and newest document, ms since the epoch; absent when empty. */
  minMs?: number;
  maxMs?: number;
  /** Null: no rule matches, kept forever. */
  retention: IndexRetention | null;
}

/** One entry of `GET /api/v1/status/agents`: a `vigil agent` shipping to this server. */
export interface AgentInfo {
  node: string;
  version: string;
  address: string;
  principal: string | null;
  index: string;
  firstSeen: string;
  lastSeen: string;
  /** By the server's clock, so the browser's own clock does not matter. */
  secondsSinceLastSeen: number;
  requests: number;
  documents: number;
  bytes: number;
  /** Bytes read by the agent and not yet delivered, as of its latest batch. */
  bufferedBytes: number | null;
  /** Bytes in the agent's files not read yet, as of its latest batch. */
  unreadBytes: number | null;
}
