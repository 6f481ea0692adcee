/**
 * @module
 * The agents shipping logs to this server, as seen from their ingest requests: `vigil agent`
 * names itself in {@link AGENT_HEADER} (its node name), {@link AGENT_VERSION_HEADER},
 * {@link AGENT_BUFFERED_HEADER} and {@link AGENT_UNREAD_HEADER} on every batch, and the native
 * ingest route records each request here; the agent inside `vigil server` reports each batch it
 * stores (address `local`). Nothing is stored on disk: the registry is what the Status page shows ("which nodes
 * ship, when did each last send, how far behind was it"), rebuilt within one batch interval of a
 * restart. Requests without the header (curl, other shippers) are not agents and not recorded.
 *
 * `GET /api/v1/status/agents` lists the agents seen, newest first.
 */

import type { FastifyInstance, FastifyRequest } from 'fastify';
import { principalName } from './auth/access.js';
import { sendData } from './api/prom-v1/envelope.js';

/** The agent's node name; its presence marks a request as an agent's. */
export const AGENT_HEADER = 'x-vigil-agent';
export const AGENT_VERSION_HEADER = 'x-vigil-agent-version';
/** Bytes the agent has read and not yet had acknowledged (its buffer), the batch sent included. */
export const AGENT_BUFFERED_HEADER = 'x-vigil-agent-buffered-bytes';
/** Bytes written to the files the agent follows and not read yet (`vigil_agent_lag_bytes`). */
export const AGENT_UNREAD_HEADER = 'x-vigil-agent-unread-bytes';

/** An agent unheard of for this long is dropped: a node gone for a day is not "connected". */
const FORGET_AFTER_MS = 24 * 3_600_000;
/**
 * Most agents kept: a cluster of a few thousand nodes fits; a client inventing names cannot
 * grow the registry without bound (the least recently seen goes first).
 */
const MAX_AGENTS = 10_000;
/** Longest node name or version kept, in characters. */
const MAX_NAME = 253;

export interface AgentInfo {
  /** The node name the agent reports (`node_name`, `$NODE_NAME` or its hostname). */
  node: string;
  version: string;
  /** The address its latest request came from. */
  address: string;
  /** Who it authenticated as (`token:<name>`), or null with auth off. */
  principal: string | null;
  /** The index its latest batch went to. */
  index: string;
  /** ms since the epoch */
  firstSeen: number;
  lastSeen: number;
  requests: number;
  /** Documents received (stored, already stored or refused). */
  documents: number;
  /** Request body bytes as sent (compressed when the agent gzips). */
  bytes: number;
  /**
   * Bytes in the agent's buffer (read, not yet acknowledged) when it sent its latest batch, that
   * batch included: how far behind it was. Null when it did not say.
   */
  bufferedBytes: number | null;
  /** Bytes in its files not read yet, as of its latest batch; null when it did not say. */
  unreadBytes: number | null;
}

/** One ingest request, as the ingest route reports it. */
export interface IngestSeen {
  index: string;
  documents: number;
  bytes: number;
}

/** One batch an agent delivered, with what it said about itself. */
export type AgentBatch = IngestSeen &
  Pick<AgentInfo, 'node' | 'version' | 'address' | 'principal' | 'bufferedBytes' | 'unreadBytes'>;

export class AgentRegistry {
  // Map order is recency order: a seen agent is re-inserted at the end.
  readonly #agents = new Map<string, AgentInfo>();
  readonly #clock: () => number;

  constructor(clock: () => number = Date.now) {
    this.#clock = clock;
  }

  /**
   * Records an ingest request; does nothing when it does not carry {@link AGENT_HEADER}.
   *
   * @example
   * agents.record(request, { index: 'logs-k8s', documents: 500, bytes: 41_233 });
   */
  record(request: FastifyRequest, seen: IngestSeen): void {
    const node = header(request, AGENT_HEADER);
    if (node === '') return;
    this.see({
      ...seen,
      node,
      version: header(request, AGENT_VERSION_HEADER) || 'unknown',
      address: request.ip,
      principal: request.principal === null ? null : principalName(request.principal),
      bufferedBytes: bytes(header(request, AGENT_BUFFERED_HEADER)),
      unreadBytes: bytes(header(request, AGENT_UNREAD_HEADER)),
    });
  }

  /**
   * Records a batch from an agent that did not come over HTTP: the one inside `vigil server`.
   *
   * @example
   * agents.see({ node: 'host-a', version, address: 'local', principal: null, index, documents: 500, bytes: 41_233, bufferedBytes: 0, unreadBytes: 0 });
   */
  see(batch: AgentBatch): void {
    const now = this.#clock();
    const prior = this.#agents.get(batch.node);
    this.#agents.delete(batch.node);
    this.#agents.set(batch.node, {
      node: batch.node,
      version: batch.version,
      address: batch.address,
      principal: batch.principal,
      index: batch.index,
      firstSeen: prior?.firstSeen ?? now,
      lastSeen: now,
      requests: (prior?.requests ?? 0) + 1,
      documents: (prior?.documents ?? 0) + batch.documents,
      bytes: (prior?.bytes ?? 0) + batch.bytes,
      bufferedBytes: batch.bufferedBytes,
      unreadBytes: batch.unreadBytes,
    });
    if (this.#agents.size > MAX_AGENTS) this.#agents.delete(this.#agents.keys().next().value!);
  }

  /** The agents seen in the last day, most recently seen first. */
  list(): AgentInfo[] {
    const cutoff = this.#clock() - FORGET_AFTER_MS;
    for (const [node, a] of this.#agents) {
      if (a.lastSeen >= cutoff) break;
      this.#agents.delete(node);
    }
    return [...this.#agents.values()].reverse();
  }
}

/** A byte count from a header; null when absent or not a count. */
function bytes(text: string): number | null {
  const n = Number(text || NaN);
  return Number.isSafeInteger(n) && n >= 0 ? n : null;
}

function header(request: FastifyRequest, name: string): string {
  const v = request.headers[name];
  return (Array.isArray(v) ? (v[0] ?? '') : (v ?? '')).trim().slice(0, MAX_NAME);
}

/**
 * Registers `GET /api/v1/status/agents`.
 *
 * @example
 * registerAgentsRoute(app, agents);
 */
export function registerAgentsRoute(app: FastifyInstance, agents: AgentRegistry): void {
  app.get('/api/v1/status/agents', (_request, reply) => {
    const now = Date.now();
    return sendData(
      reply,
      agents.list().map((a) => ({
        ...a,
        firstSeen: new Date(a.firstSeen).toISOString(),
        lastSeen: new Date(a.lastSeen).toISOString(),
        // Lets the page say "3 s ago" without trusting the browser's clock.
        secondsSinceLastSeen: Math.max(0, (now - a.lastSeen) / 1000),
      })),
    );
  });
}
