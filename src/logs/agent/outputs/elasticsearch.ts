/**
 * @module
 * The Elasticsearch/OpenSearch output: batches to `POST <url>/_bulk` as `create` actions with the
 * record's deterministic `_id`, into a daily index (`logs-agent-%Y.%m.%d`, the day of the
 * record's `@timestamp` in UTC). `create` of an existing id answers 409, which counts as
 * delivered: a batch sent again after a timeout or a crash stores no line twice. Items answered
 * 429 or 5xx are sent again, alone; any other item error (a mapping conflict, a document the
 * cluster cannot parse) is final and the record goes to the dead-letter file with the reason.
 */

import type { HttpResponse } from '../../../lib/http-client/client.js';
import type { AgentRecord, Output } from '../stage.js';
import { HttpBatchSender, type BatchAnswer, type HttpBatchOptions } from './http-batch.js';

export type ElasticsearchOutputOptions = Omit<
  HttpBatchOptions,
  'endpoint' | 'encode' | 'accept' | 'maxAnswerBytes'
> & {
  /** The cluster's base URL, `https://es:9200`. */
  url: string;
  /** Index name; `%Y`, `%m`, `%d` are the record's UTC year, month and day. */
  index: string;
};

interface BulkAnswer {
  errors?: boolean;
  items?: Record<string, { status?: number; error?: { type?: string; reason?: string } }>[];
}

export class ElasticsearchOutput implements Output {
  readonly name: string;
  readonly #sender: HttpBatchSender;

  constructor(options: ElasticsearchOutputOptions) {
    this.name = options.name;
    const base = options.url.replace(/\/+$/, '');
    const index = indexNamer(options.index);
    this.#sender = new HttpBatchSender({
      ...options,
      // filter_path keeps Elasticsearch's answer to what is read: a few bytes per item.
      endpoint: `${base}/_bulk?filter_path=errors,items.*.status,items.*.error`,
      encode: (records) => [bulkBody(records, index)],
      accept,
      // One item per record, a few hundred bytes each when they fail (servers that ignore
      // filter_path, Vigil's included, send whole items).
      maxAnswerBytes: 256 << 20,
    });
  }

  send(records: readonly AgentRecord[], signal: AbortSignal): Promise<void> {
    return this.#sender.send(records, signal);
  }
}

/**
 * The index of a record, from its JSON: inputs put `@timestamp` first, so the day is read from
 * the text without parsing the document.
 *
 * @example
 * indexNamer('logs-%Y.%m.%d')('{"@timestamp":"2024-05-06T07:08:09Z",…}'); // 'logs-2024.05.06'
 */
export function indexNamer(pattern: string): (json: string) => string {
  if (!pattern.includes('%')) return () => pattern;
  let lastDay = '';
  let lastName = '';
  return (json) => {
    let day: string;
    const m = /^\{"@timestamp":"(\d{4}-\d\d-\d\d)T[^"]*Z"/.exec(json.slice(0, 64));
    if (m !== null) day = m[1]!;
    else {
      const t = /^\{"@timestamp":"([^"]+)"/.exec(json.slice(0, 64));
      const ms = t === null ? NaN : Date.parse(t[1]!);
      day = new Date(Number.isNaN(ms) ? Date.now() : ms).toISOString().slice(0, 10);
    }
    if (day !== lastDay) {
      lastDay = day;
      lastName = pattern
        .replaceAll('%Y', day.slice(0, 4))
        .replaceAll('%m', day.slice(5, 7))
        .replaceAll('%d', day.slice(8, 10));
    }
    return lastName;
  };
}

function bulkBody(records: readonly AgentRecord[], index: (json: string) => string): Buffer {
  let text = '';
  for (const r of records) {
    text += `{"create":{"_index":${JSON.stringify(index(r.json))},"_id":${JSON.stringify(r.id)}}}\n${r.json}\n`;
  }
  return Buffer.from(text);
}

function accept(records: readonly AgentRecord[], res: HttpResponse): BatchAnswer {
  let answer: BulkAnswer;
  if (res.truncated) return { delivered: 0, refused: [], retry: [...records] };
  try {
    answer = JSON.parse(res.body.toString('utf8')) as BulkAnswer;
  } catch {
    // A 2xx that is not a bulk answer (a proxy's page): nothing is known to be stored.
    return { delivered: 0, refused: [], retry: [...records] };
  }
  if (answer.errors === false) return { delivered: records.length, refused: [], retry: [] };
  const out: BatchAnswer = { delivered: 0, refused: [], retry: [] };
  records.forEach((record, i) => {
    const item = answer.items?.[i];
    const result = item === undefined ? undefined : Object.values(item)[0];
    const status = result?.status ?? 0;
    if ((status >= 200 && status < 300) || status === 409) out.delivered++;
    else if (status === 429 || status >= 500 || result === undefined) out.retry.push(record);
    else {
      const e = result.error;
      out.refused.push({
        record,
        reason: `${status} ${e?.type ?? 'error'}: ${e?.reason ?? 'no reason given'}`,
      });
    }
  });
  return out;
}
