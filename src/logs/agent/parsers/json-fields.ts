/**
 * @module
 * Structured logs: a message that is a JSON object (`{"level":"error","msg":"…"}`) has its keys
 * lifted into the record's fields, so `level:error` finds it. A key the agent itself sets
 * (`@timestamp`, `kubernetes`, `log`, `stream`, `host`, `container`) would overwrite where the line
 * came from; it goes under `json.<key>` instead. A string `message` key becomes the message;
 * otherwise the raw line stays the message, so the line can always be seen as written.
 */

const RESERVED = new Set([
  '@timestamp',
  'kubernetes',
  'log',
  'stream',
  'host',
  'container',
  'json',
]);

/**
 * Lifts the keys of `doc.message` into `doc` when it is a JSON object; returns whether it was.
 *
 * @example
 * const doc = { message: '{"level":"warn","message":"disk 91%"}' };
 * liftJson(doc); // true; doc is { message: 'disk 91%', level: 'warn' }
 */
export function liftJson(doc: Record<string, unknown>): boolean {
  const text = doc.message;
  // Cheap test first: most lines are not JSON, and JSON.parse throwing is slow.
  if (
    typeof text !== 'string' ||
    text.charCodeAt(0) !== 0x7b ||
    text.charCodeAt(text.length - 1) !== 0x7d
  ) {
    return false;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return false;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return false;
  let nested: Record<string, unknown> | undefined;
  for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) {
    if (k === 'message' && typeof v === 'string') doc.message = v;
    else if (RESERVED.has(k)) (nested ??= {})[k] = v;
    else if (k !== 'message') doc[k] = v;
    else (nested ??= {})[k] = v;
  }
  if (nested !== undefined) doc.json = nested;
  return true;
}
