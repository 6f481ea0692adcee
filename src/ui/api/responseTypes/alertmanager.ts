/**
 * @module
 * Alertmanager API v2 shapes the Alerts page reads and writes (from Alertmanager's OpenAPI
 * spec): alerts with their silenced/inhibited status, silences, receivers.
 */

/** One matcher of a silence. `isEqual` false negates it (`!=`, `!~`). */
export interface Matcher {
  name: string;
  value: string;
  isRegex: boolean;
  isEqual?: boolean;
}

/** A silence as `POST /silences` takes it; `id` set edits (replaces) that silence. */
export interface PostableSilence {
  id?: string;
  matchers: Matcher[];
  /** RFC 3339. */
  startsAt: string;
  endsAt: string;
  createdBy: string;
  comment: string;
}

export interface GettableSilence extends PostableSilence {
  id: string;
  status: { state: 'active' | 'pending' | 'expired' };
  updatedAt: string;
}

/** An alert as the Alertmanager holds it. */
export interface GettableAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  updatedAt: string;
  fingerprint: string;
  generatorURL?: string;
  receivers: { name: string }[];
  status: {
    state: 'unprocessed' | 'active' | 'suppressed';
    silencedBy: string[];
    inhibitedBy: string[];
  };
}

export interface Receiver {
  name: string;
}

/** `GET /status` (the parts shown). */
export interface AlertmanagerStatus {
  versionInfo?: { version?: string };
  uptime?: string;
  config?: { original?: string };
}
