/**
 * @module
 * A record's JSON text, built by concatenation: the fields every record of a file shares (its
 * path, host, Kubernetes metadata) are serialized once when the file is opened, and a line
 * costs the serialization of its own time, message, stream and lifted JSON fields only. Key
 * order: `@timestamp`, `message`, `stream`, lifted fields, `log`, `host`, source fields.
 */

import type { Filter } from '../../filters/filter.js';
import type { MessageLifter } from '../../parsers/message.js';
import type { ParsedLine } from '../../parsers/parser.js';

/** The text one file's records share: before the line's offset, and after it. */
export interface FileJson {
  readonly beforeOffset: string;
  readonly afterOffset: string;
  /** The same as UTF-8, for records written as bytes (`record-writer.ts`). */
  readonly beforeBytes: Buffer;
  readonly afterBytes: Buffer;
  /** A filter excluded the file: its records are counted and dropped. */
  readonly excluded: boolean;
}

/**
 * @example
 * const shared = fileJson('/var/log/pods/ns_p_u/c/0.log', 'node-a', [new KubernetesPathFilter('node-a')]);
 */
export function fileJson(path: string, node: string, filters: readonly Filter[]): FileJson {
  let after = `},"host":{"name":${JSON.stringify(node)}}`;
  let excluded = false;
  for (const filter of filters) {
    if (filter.excluded?.({ path }) === true) excluded = true;
    const fields = filter.sourceFields({ path });
    if (fields === undefined) continue;
    const text = JSON.stringify(fields);
    if (text.length > 2) after += `,${text.slice(1, -1)}`;
  }
  const beforeOffset = `,"log":{"file":{"path":${JSON.stringify(path)}},"offset":`;
  const afterOffset = `${after}}`;
  return {
    beforeOffset,
    afterOffset,
    beforeBytes: Buffer.from(beforeOffset),
    afterBytes: Buffer.from(afterOffset),
    excluded,
  };
}

/**
 * One record's JSON. `lift` reads the message into fields (JSON, logfmt, regex), or null for
 * none; `now` (a JSON string) is the time of lines that carry none.
 *
 * @example
 * recordJson(line, shared, new MessageLifter([jsonMessageParser]), JSON.stringify(new Date().toISOString()));
 * // '{"@timestamp":"2024-05-06T07:08:09.1Z","message":"hi","stream":"stdout","log":{…},"host":{…},"kubernetes":{…}}'
 */
export function recordJson(
  p: ParsedLine,
  file: FileJson,
  lift: MessageLifter | null,
  now: string,
): string {
  let message = p.message;
  let lifted = '';
  let lineTime = p.time;
  if (lift !== null) {
    const l = lift.lift(message);
    if (l !== undefined) {
      message = l.message;
      if (l.members !== '') lifted = `,${l.members}`;
      if (l.time !== undefined) lineTime = l.time;
    }
  }
  const time = lineTime === undefined ? now : JSON.stringify(lineTime);
  // Parsers give only `stdout` and `stderr`, which need no escaping.
  const stream = p.stream === undefined ? '' : `,"stream":"${p.stream}"`;
  return `{"@timestamp":${time},"message":${JSON.stringify(message)}${stream}${lifted}${file.beforeOffset}${p.offset}${file.afterOffset}`;
}
