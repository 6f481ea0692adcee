/**
 * @module
 * The Loki output: batches to Loki's push API (`POST <url>/loki/api/v1/push`, JSON, gzipped),
 * grouped into streams by labels taken from the record's fields — by default namespace, pod,
 * container and host, low-cardinality values as Loki wants its labels. The fields used as
 * labels and `@timestamp` (the entry's time, in nanoseconds) leave the record; the rest of it is
 * the line, as JSON, so LogQL's `| json` gives every field back.
 *
 * Retries, splitting and the dead-letter file are `http-batch.ts`'s; a 400 (a line Loki refuses:
 * too old, too long, a rate limit per stream) is final for the batch, as Loki does not say which
 * entries it refused. Loki has no document ids: a batch sent again after a timeout or a crash
 * is pushed again. Its entries are identical to the first (same stream, time, and line, which
 * carries the file and offset), which Loki deduplicates; other receivers of the push API
 * (Vigil's own among them) may store them twice.
 */

import type { HttpResponse } from '../../../lib/http-client/client.js';
import { parseTime } from '../../model/timestamp.js';
import { getPath, removePath, type Doc } from '../filters/field-path.js';
import type { AgentRecord, Output } from '../stage.js';
import { HttpBatchSender, type BatchAnswer, type HttpBatchOptions } from './http-batch.js';

export type LokiOutputOptions = Omit<
  HttpBatchOptions,
  'endpoint' | 'encode' | 'accept' | 'maxAnswerBytes' | 'contentType' | 'headers'
> & {
  /** Loki's base URL, `http://loki:3100`. */
  url: string;
  /** Label name to the record field (dotted path) it takes its value from. */
  labels: Readonly<Record<string, string>>;
  /** Labels every stream gets. */
  staticLabels: Readonly<Record<string, string>>;
  /** X-Scope-OrgID, or '' for none. */
  tenantId: string;
};

interface Stream {
  stream: Record<string, string>;
  values: [string, string][];
}

/**
 * The push body for a batch: one stream per distinct label set, entries in time order within
 * each (stable: records of the same time keep their order).
 *
 * @example
 * lokiPushBody(records, { namespace: 'kubernetes.namespace' }, { cluster: 'eu-1' });
 * // { streams: [{ stream: { cluster: 'eu-1', namespace: 'shop' }, values: [['1714979289123456789', '{"message":…}']] }] }
 */
export function lokiPushBody(
  records: readonly AgentRecord[],
  labels: Readonly<Record<string, string>>,
  staticLabels: Readonly<Record<string, string>>,
): { streams: Stream[] } {
  const streams = new Map<string, { stream: Stream; ns: bigint[] }>();
  const labelEntries = Object.entries(labels);
  const now = BigInt(Date.now()) * 1_000_000n;
  for (const r of records) {
    const doc = JSON.parse(r.json) as Doc;
    const set: Record<string, string> = { ...staticLabels };
    for (const [name, path] of labelEntries) {
      const v = getPath(doc, path);
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') {
        set[name] = String(v);
        removePath(doc, path);
      }
    }
    const t = parseTime(doc['@timestamp']);
    delete doc['@timestamp'];
    const ns = t === undefined ? now : BigInt(t.ms) * 1_000_000n + BigInt(t.ns);
    const key = JSON.stringify(Object.entries(set).sort(([a], [b]) => (a < b ? -1 : 1)));
    let s = streams.get(key);
    if (s === undefined) {
      s = { stream: { stream: set, values: [] }, ns: [] };
      streams.set(key, s);
    }
    s.stream.values.push([ns.toString(), JSON.stringify(doc)]);
    s.ns.push(ns);
  }
  const out: Stream[] = [];
  for (const { stream, ns } of streams.values()) {
    const order = stream.values
      .map((_, i) => i)
      .sort((a, b) => (ns[a]! < ns[b]! ? -1 : ns[a]! > ns[b]! ? 1 : a - b));
    out.push({ stream: stream.stream, values: order.map((i) => stream.values[i]!) });
  }
  return { streams: out };
}

export class LokiOutput implements Output {
  readonly name: string;
  readonly #sender: HttpBatchSender;

  constructor(options: LokiOutputOptions) {
    this.name = options.name;
    const base = options.url.replace(/\/+$/, '');
    const tenant: Record<string, string> =
      options.tenantId === '' ? {} : { 'x-scope-orgid': options.tenantId };
    this.#sender = new HttpBatchSender({
      ...options,
      endpoint: `${base}/loki/api/v1/push`,
      contentType: 'application/json',
      headers: () => tenant,
      encode: (records) => [
        Buffer.from(JSON.stringify(lokiPushBody(records, options.labels, options.staticLabels))),
      ],
      accept,
      maxAnswerBytes: 64 << 10,
    });
  }

  send(records: readonly AgentRecord[], signal: AbortSignal): Promise<void> {
    return this.#sender.send(records, signal);
  }
}

/** Loki answers 204 for a push it stored whole. */
function accept(records: readonly AgentRecord[], _res: HttpResponse): BatchAnswer {
  return { delivered: records.length, refused: [], retry: [] };
}
