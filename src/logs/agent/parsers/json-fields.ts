/**
 * @module
 * Structured logs: a message that is a JSON object (`{"level":"error","msg":"…"}`) has its keys
 * lifted into the record's fields, so `level:error` finds it. A key the agent itself sets
 * (`@timestamp`, `kubernetes`, `log`, `stream`, `host`, `container`, `json`) would overwrite where
 * the line came from; it goes under `json.<key>` instead. A string `message` key becomes the
 * message; otherwise the raw line stays the message, so the line can always be seen as written.
 */

export const RESERVED: ReadonlySet<string> = new Set([
  '@timestamp',
  'kubernetes',
  'log',
  'stream',
  'host',
  'container',
  'json',
]);

/** What a JSON message gives: the message to keep and the fields to add. */
export interface LiftedJson {
  message: string;
  /**
   * The fields to add as the members of a JSON object without its braces (`"level":"warn"`), or
   * empty. When no key needs moving, this is the message's own text: no re-serialization.
   */
  members: string;
}

/**
 * Lifts the keys of `message` when it is a JSON object; undefined when it is not one.
 *
 * @example
 * liftJson('{"level":"warn","message":"disk 91%"}');
 * // { message: 'disk 91%', members: '"level":"warn"' }
 */
export function liftJson(message: string): LiftedJson | undefined {
  // Cheap test first: most lines are not JSON, and JSON.parse throwing is slow.
  if (message.charCodeAt(0) !== 0x7b || message.charCodeAt(message.length - 1) !== 0x7d) {
    return undefined;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const obj = parsed as Record<string, unknown>;
  let plain = true;
  for (const k in obj) {
    if (k === 'message' || RESERVED.has(k)) {
      plain = false;
      break;
    }
  }
  if (plain) return { message, members: message.slice(1, -1).trim() };
  const fields: Record<string, unknown> = {};
  let nested: Record<string, unknown> | undefined;
  let text = message;
  for (const [k, v] of Object.entries(obj)) {
    if (k === 'message' && typeof v === 'string') text = v;
    else if (k === 'message' || RESERVED.has(k)) (nested ??= {})[k] = v;
    else fields[k] = v;
  }
  if (nested !== undefined) fields.json = nested;
  return { message: text, members: JSON.stringify(fields).slice(1, -1) };
}
