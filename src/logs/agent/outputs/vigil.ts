/**
 * @module
 * The Vigil output: batches to a Vigil server's native ingest API
 * (`POST <url>/api/v1/logs/ingest?index=<index>`, JSON lines, gzipped), each line carrying the
 * record's deterministic `_id`. The server stores an id once, so a batch sent again after a
 * timeout, a crash or a restart does not duplicate a line. Retries, splitting and the
 * dead-letter file are `http-batch.ts`'s; a line the server lists in `rejected` is refused for
 * good.
 */

import type { HttpResponse } from '../../../lib/http-client/client.js';
import type { AgentRecord, Output } from '../stage.js';
import { HttpBatchSender, type BatchAnswer, type HttpBatchOptions } from './http-batch.js';
import { ChunkPool, idLineChunks } from './id-lines.js';

export type VigilOutputOptions = Omit<
  HttpBatchOptions,
  'endpoint' | 'encode' | 'accept' | 'maxAnswerBytes' | 'headers'
> & {
  /** The server's base URL, `http://vigil:9700`. */
  url: string;
  index: string;
  /**
   * Who is sending, told to the server in `X-Vigil-Agent` (node), `X-Vigil-Agent-Version`,
   * `X-Vigil-Agent-Buffered-Bytes` (read, not yet acknowledged) and
   * `X-Vigil-Agent-Unread-Bytes` (in its files, not read yet), which its Status page lists as
   * connected agents.
   */
  agent?: {
    node: string;
    version: string;
    bufferedBytes: () => number;
    unreadBytes: () => number;
  };
};

interface IngestAnswer {
  data?: { rejected?: { line: number; type: string; reason: string }[] };
}

export class VigilOutput implements Output {
  readonly name: string;
  readonly #sender: HttpBatchSender;

  constructor(options: VigilOutputOptions) {
    this.name = options.name;
    const base = options.url.replace(/\/+$/, '');
    const pool = new ChunkPool();
    this.#sender = new HttpBatchSender({
      ...options,
      endpoint: `${base}/api/v1/logs/ingest?index=${encodeURIComponent(options.index)}`,
      ...(options.agent === undefined ? {} : { headers: agentHeaders(options.agent) }),
      encode: (records) => idLineChunks(records, pool),
      accept,
      // The answer lists refused lines only; a batch refused whole still fits.
      maxAnswerBytes: 64 << 20,
    });
  }

  send(records: readonly AgentRecord[], signal: AbortSignal): Promise<void> {
    return this.#sender.send(records, signal);
  }
}

function agentHeaders(agent: NonNullable<VigilOutputOptions['agent']>) {
  // Header values must be Latin-1 without control characters; a node name is a DNS name.
  const node = agent.node.replace(/[^\x20-\x7e]/g, '?');
  return () => ({
    'x-vigil-agent': node,
    'x-vigil-agent-version': agent.version,
    'x-vigil-agent-buffered-bytes': String(agent.bufferedBytes()),
    'x-vigil-agent-unread-bytes': String(agent.unreadBytes()),
  });
}

function accept(records: readonly AgentRecord[], res: HttpResponse): BatchAnswer {
  let answer: IngestAnswer;
  // Cut short, the answer cannot say which lines were refused: send the batch again (ids make
  // that safe) rather than count refused lines as delivered.
  if (res.truncated) return { delivered: 0, refused: [], retry: [...records] };
  try {
    answer = JSON.parse(res.body.toString('utf8')) as IngestAnswer;
  } catch {
    answer = {};
  }
  const refused = (answer.data?.rejected ?? [])
    .filter((r) => records[r.line - 1] !== undefined)
    .map((r) => ({ record: records[r.line - 1]!, reason: `${r.type}: ${r.reason}` }));
  return { delivered: records.length - refused.length, refused, retry: [] };
}
