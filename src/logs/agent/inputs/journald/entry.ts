/**
 * @module
 * One journal entry, as `journalctl --output=json` prints it, made into an agent record.
 *
 * journalctl prints a field as a string when it is valid UTF-8 text, as an array of byte values
 * when it is not (binary data, invalid UTF-8, or an ANSI escape-laden message), as an array of
 * those when the entry holds the field more than once, and as null when it is too large
 * (`--all` not given, > 4096 bytes). `MESSAGE` is decoded from all of them; the other fields
 * mapped are short identifiers and taken when they are strings.
 *
 * Fields of the record: `@timestamp` (`__REALTIME_TIMESTAMP`, µs kept), `message`, `log.level`
 * (the syslog severity name of `PRIORITY`) and `log.syslog.priority`, `systemd.unit`,
 * `syslog.identifier`, `process.pid`, `host.name` (`_HOSTNAME`, else the agent's node) and
 * `journald.cursor`. The record id is a hash of the node and the cursor: an entry read again
 * after a restart gets the same id.
 */

import { createHash } from 'node:crypto';
import type { MessageLifter } from '../../parsers/message.js';
import type { ParseCounts } from '../../parsers/parser.js';
import type { AgentRecord } from '../../stage.js';

/** Syslog severity names by `PRIORITY` (RFC 5424 §6.2.1, as syslog(3) and rsyslog name them). */
export const SEVERITY_NAMES = [
  'emerg',
  'alert',
  'crit',
  'err',
  'warning',
  'notice',
  'info',
  'debug',
] as const;

/** A parsed entry: the record, and the cursor reading resumes after. */
export interface JournalRecord {
  readonly record: AgentRecord;
  readonly cursor: string;
}

const decoder = new TextDecoder('utf-8', { fatal: false });
const strictDecoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes a field value: a string; an array of bytes (invalid UTF-8 replaced, counted in
 * `counts.invalidUtf8`); or, for a field given several times, the values joined by newlines.
 * Undefined for null (a field journalctl left out for its size) and anything else.
 */
export function fieldText(value: unknown, counts?: ParseCounts): string | undefined {
  if (typeof value === 'string') return value;
  if (!Array.isArray(value)) return undefined;
  if (value.length === 0) return '';
  if (typeof value[0] === 'number') {
    const bytes = Uint8Array.from(value as number[]);
    try {
      return strictDecoder.decode(bytes);
    } catch {
      if (counts !== undefined) counts.invalidUtf8++;
      return decoder.decode(bytes);
    }
  }
  const parts: string[] = [];
  for (const v of value) {
    const t = fieldText(v, counts);
    if (t !== undefined) parts.push(t);
  }
  return parts.join('\n');
}

/** `__REALTIME_TIMESTAMP` (µs since the epoch, a decimal string) as RFC 3339 with µs. */
export function realtimeToIso(us: string): string | undefined {
  if (!/^\d{1,17}$/.test(us)) return undefined;
  const micros = BigInt(us);
  const ms = Number(micros / 1000n);
  const iso = new Date(ms).toISOString(); // 2024-05-06T07:08:09.123Z
  const frac = (micros % 1_000_000n).toString().padStart(6, '0');
  return `${iso.slice(0, 19)}.${frac}Z`;
}

/** Cuts `text` to at most `maxBytes` UTF-8 bytes, on a character boundary. */
function cutUtf8(text: string, maxBytes: number): string {
  const buf = Buffer.from(text, 'utf8');
  let end = maxBytes;
  // Back off continuation bytes (10xxxxxx) so the cut does not split a character.
  while (end > 0 && (buf[end]! & 0xc0) === 0x80) end--;
  return buf.subarray(0, end).toString('utf8');
}

export interface EntryOptions {
  /** The agent's node: part of the id, and `host.name` when the entry has no `_HOSTNAME`. */
  node: string;
  maxMessageBytes: number;
  counts: ParseCounts;
  /** Reads `MESSAGE` into fields (logfmt, regex), or absent for none. */
  lift?: MessageLifter | null;
}

/**
 * Parses one line of `journalctl --output=json`; null (counted in `counts.malformed`) for a line
 * that is not a JSON object with a `__CURSOR`.
 *
 * @example
 * parseEntry('{"__CURSOR":"s=…","__REALTIME_TIMESTAMP":"1714979289123456","MESSAGE":"hi","PRIORITY":"6"}', o);
 * // { cursor: 's=…', record: { id: 'Hh3…', json: '{"@timestamp":"2024-05-06T07:08:09.123456Z","message":"hi","log":{"level":"info",…},…}' } }
 */
export function parseEntry(line: string, o: EntryOptions): JournalRecord | null {
  let e: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(line);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new Error('not an object');
    }
    e = parsed as Record<string, unknown>;
  } catch {
    o.counts.malformed++;
    return null;
  }
  const cursor = e.__CURSOR;
  if (typeof cursor !== 'string' || cursor === '') {
    o.counts.malformed++;
    return null;
  }
  let message = fieldText(e.MESSAGE, o.counts) ?? '';
  if (Buffer.byteLength(message, 'utf8') > o.maxMessageBytes) {
    message = cutUtf8(message, o.maxMessageBytes);
    o.counts.truncated++;
  }
  let time =
    (typeof e.__REALTIME_TIMESTAMP === 'string' && realtimeToIso(e.__REALTIME_TIMESTAMP)) ||
    new Date().toISOString();
  let lifted = '';
  const l = o.lift?.lift(message);
  if (l !== undefined) {
    message = l.message;
    if (l.members !== '') lifted = `,${l.members}`;
    if (l.time !== undefined) time = l.time;
  }

  let json = `{"@timestamp":${JSON.stringify(time)},"message":${JSON.stringify(message)}${lifted}`;
  const priority = typeof e.PRIORITY === 'string' ? Number(e.PRIORITY) : NaN;
  if (Number.isInteger(priority) && priority >= 0 && priority <= 7) {
    json += `,"log":{"level":"${SEVERITY_NAMES[priority]}","syslog":{"priority":${priority}}}`;
  }
  const unit = e._SYSTEMD_UNIT;
  if (typeof unit === 'string') json += `,"systemd":{"unit":${JSON.stringify(unit)}}`;
  const ident = e.SYSLOG_IDENTIFIER;
  if (typeof ident === 'string') json += `,"syslog":{"identifier":${JSON.stringify(ident)}}`;
  const pid = typeof e._PID === 'string' ? Number(e._PID) : NaN;
  if (Number.isSafeInteger(pid) && pid > 0) json += `,"process":{"pid":${pid}}`;
  const host = typeof e._HOSTNAME === 'string' && e._HOSTNAME !== '' ? e._HOSTNAME : o.node;
  json += `,"host":{"name":${JSON.stringify(host)}},"journald":{"cursor":${JSON.stringify(cursor)}}}`;
  return { cursor, record: { id: journalRecordId(o.node, cursor), json } };
}

/**
 * The id of the entry at `cursor` read on `node`: 22 base64url characters of a hash of both.
 * A cursor names one entry of one journal, so two entries never share an id.
 */
export function journalRecordId(node: string, cursor: string): string {
  return createHash('sha256')
    .update('journald\0')
    .update(node)
    .update('\0')
    .update(cursor)
    .digest('base64url')
    .slice(0, 22);
}
