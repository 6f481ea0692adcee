/**
 * @module
 * Loki's push API (`POST /loki/api/v1/push`) mapped onto {@link WriteRequest}s, so Promtail,
 * Grafana Alloy, Fluent Bit's `loki` output and the Docker driver ship to Vigil unchanged. Both
 * encodings Loki accepts are read: JSON (`{"streams":[{"stream":{…},"values":[["<ns>","<line>",
 * {<structured metadata>}]]}]}`) and the snappy-compressed protobuf `logproto.PushRequest`.
 *
 * Each entry becomes one document: `@timestamp` (nanoseconds kept), `message` (the line), and
 * the stream's labels and the entry's structured metadata as top-level fields, so the labels
 * users filter by in LogQL (`namespace`, `pod`, `job`) are fields for KQL. A label named like one
 * of the two reserved fields is kept under `labels.<name>` rather than lost.
 */

import { ProtoReader, WireType } from '../../lib/encoding/protobuf-reader.js';
import { formatTime } from '../model/timestamp.js';
import type { WriteRequest } from '../store/interface.js';

/** A push body that cannot be read, with what and where. */
export class LokiPushError extends Error {
  constructor(reason: string) {
    super(`cannot read Loki push request: ${reason}`);
    this.name = 'LokiPushError';
  }
}

const RESERVED = new Set(['@timestamp', 'message']);

/**
 * Reads a JSON push body into documents for `index`.
 *
 * @throws {LokiPushError} naming the stream and entry that are malformed.
 * @example
 * decodeLokiJson('{"streams":[{"stream":{"job":"a"},"values":[["1700000000000000001","hi"]]}]}', 'logs-loki');
 * // [{ index: 'logs-loki', op: 'index',
 * //    source: { '@timestamp': '2023-11-14T22:13:20.000000001Z', message: 'hi', job: 'a' } }]
 */
export function decodeLokiJson(body: string, index: string): WriteRequest[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (err) {
    throw new LokiPushError(`invalid JSON: ${(err as Error).message}`);
  }
  const streams = (parsed as { streams?: unknown } | null)?.streams;
  if (!Array.isArray(streams)) throw new LokiPushError('"streams" must be an array');
  const out: WriteRequest[] = [];
  streams.forEach((stream: unknown, s) => {
    const labels = (stream as { stream?: unknown } | null)?.stream ?? {};
    const values = (stream as { values?: unknown } | null)?.values;
    if (typeof labels !== 'object' || labels === null || Array.isArray(labels)) {
      throw new LokiPushError(`streams[${s}].stream must be an object of labels`);
    }
    const pairs = Object.entries(labels).map(([k, v]): [string, string] => {
      if (typeof v !== 'string')
        throw new LokiPushError(`streams[${s}].stream.${k} must be a string`);
      return [k, v];
    });
    if (!Array.isArray(values)) throw new LokiPushError(`streams[${s}].values must be an array`);
    values.forEach((entry: unknown, e) => {
      const at = `streams[${s}].values[${e}]`;
      if (!Array.isArray(entry) || entry.length < 2 || entry.length > 3) {
        throw new LokiPushError(`${at} must be ["<unix ns>", "<line>"(, {metadata})]`);
      }
      const [ts, line, meta] = entry as unknown[];
      if (typeof ts !== 'string' || !/^\d{1,19}$/.test(ts)) {
        throw new LokiPushError(
          `${at}[0] must be a string of Unix nanoseconds, got ${JSON.stringify(ts)}`,
        );
      }
      if (typeof line !== 'string') throw new LokiPushError(`${at}[1] must be a string`);
      const metadata: [string, string][] = [];
      if (meta !== undefined) {
        if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) {
          throw new LokiPushError(`${at}[2] must be an object of structured metadata`);
        }
        for (const [k, v] of Object.entries(meta)) metadata.push([k, String(v)]);
      }
      out.push(document(index, timeOfNanos(BigInt(ts)), line, pairs, metadata));
    });
  });
  return out;
}

/**
 * Reads a protobuf `logproto.PushRequest` (already snappy-decoded) into documents for `index`.
 *
 * @throws {ProtobufError} for bytes that are not the message; {LokiPushError} for a stream
 *   whose labels do not parse.
 * @example
 * decodeLokiProtobuf(snappyDecode(body, limit), 'logs-loki');
 */
export function decodeLokiProtobuf(buf: Uint8Array, index: string): WriteRequest[] {
  const r = new ProtoReader(buf, 'Loki push request');
  const out: WriteRequest[] = [];
  while (r.more()) {
    if (r.key() !== 1) {
      r.skip();
      continue;
    }
    r.expect(WireType.Len, 'PushRequest.streams');
    const outer = r.enter();
    let labels: [string, string][] = [];
    const entries: { ns: bigint; line: string; metadata: [string, string][] }[] = [];
    while (r.more()) {
      const field = r.key();
      if (field === 1) {
        r.expect(WireType.Len, 'StreamAdapter.labels');
        labels = parseLabels(text(r, 'StreamAdapter.labels'));
      } else if (field === 2) {
        r.expect(WireType.Len, 'StreamAdapter.entries');
        const o = r.enter();
        entries.push(readEntry(r));
        r.leave(o);
      } else {
        r.skip();
      }
    }
    r.leave(outer);
    for (const e of entries)
      out.push(document(index, timeOfNanos(e.ns), e.line, labels, e.metadata));
  }
  return out;
}

function readEntry(r: ProtoReader): { ns: bigint; line: string; metadata: [string, string][] } {
  let seconds = 0;
  let nanos = 0;
  let line = '';
  const metadata: [string, string][] = [];
  while (r.more()) {
    const field = r.key();
    if (field === 1) {
      r.expect(WireType.Len, 'EntryAdapter.timestamp');
      const o = r.enter();
      while (r.more()) {
        const f = r.key();
        if (f === 1) {
          r.expect(WireType.Varint, 'Timestamp.seconds');
          seconds = r.int64();
        } else if (f === 2) {
          r.expect(WireType.Varint, 'Timestamp.nanos');
          nanos = r.int64();
        } else r.skip();
      }
      r.leave(o);
    } else if (field === 2) {
      r.expect(WireType.Len, 'EntryAdapter.line');
      line = text(r, 'EntryAdapter.line');
    } else if (field === 3) {
      r.expect(WireType.Len, 'EntryAdapter.structuredMetadata');
      const o = r.enter();
      let name = '';
      let value = '';
      while (r.more()) {
        const f = r.key();
        if (f === 1) {
          r.expect(WireType.Len, 'LabelPairAdapter.name');
          name = text(r, 'LabelPairAdapter.name');
        } else if (f === 2) {
          r.expect(WireType.Len, 'LabelPairAdapter.value');
          value = text(r, 'LabelPairAdapter.value');
        } else r.skip();
      }
      r.leave(o);
      metadata.push([name, value]);
    } else {
      r.skip();
    }
  }
  return { ns: BigInt(seconds) * 1_000_000_000n + BigInt(nanos), line, metadata };
}

function text(r: ProtoReader, field: string): string {
  const at = r.pos;
  const s = r.string();
  if (s === null) throw new LokiPushError(`${field} at offset ${at} is not valid UTF-8`);
  return s;
}

function timeOfNanos(ns: bigint): string {
  const ms = ns / 1_000_000n;
  return formatTime({ ms: Number(ms), ns: Number(ns - ms * 1_000_000n) });
}

function document(
  index: string,
  timestamp: string,
  line: string,
  labels: readonly [string, string][],
  metadata: readonly [string, string][],
): WriteRequest {
  const source: Record<string, unknown> = { '@timestamp': timestamp, message: line };
  const nested: Record<string, string> = {};
  for (const [k, v] of [...labels, ...metadata]) {
    if (RESERVED.has(k)) nested[k] = v;
    else source[k] = v;
  }
  if (Object.keys(nested).length > 0) source.labels = nested;
  return { index, op: 'index', source };
}

/**
 * Parses a stream selector as Loki's protobuf carries it: `{job="a", pod="b-1"}`, values in Go
 * string syntax.
 *
 * @example
 * parseLabels('{job="varlogs", path="/var/log/a\\"b"}'); // [['job','varlogs'],['path','/var/log/a"b']]
 */
export function parseLabels(s: string): [string, string][] {
  const out: [string, string][] = [];
  let i = 0;
  const fail = (what: string): never => {
    throw new LokiPushError(`cannot parse stream labels ${JSON.stringify(s)} at ${i}: ${what}`);
  };
  const ws = () => {
    while (i < s.length && /\s/.test(s[i]!)) i++;
  };
  ws();
  if (s[i] !== '{') fail('expected "{"');
  i++;
  ws();
  while (s[i] !== '}') {
    const m = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(s.slice(i));
    if (m === null) fail('expected a label name');
    const name = m![0];
    i += name.length;
    ws();
    if (s[i] !== '=') fail('expected "="');
    i++;
    ws();
    if (s[i] !== '"') fail('expected a quoted value');
    const start = i;
    i++;
    while (i < s.length && s[i] !== '"') i += s[i] === '\\' ? 2 : 1;
    if (i >= s.length) fail('unterminated value');
    i++;
    try {
      out.push([name, JSON.parse(s.slice(start, i)) as string]);
    } catch {
      fail('invalid escape in value');
    }
    ws();
    if (s[i] === ',') {
      i++;
      ws();
    } else if (s[i] !== '}') fail('expected "," or "}"');
  }
  i++;
  ws();
  if (i !== s.length) fail('text after "}"');
  return out;
}
