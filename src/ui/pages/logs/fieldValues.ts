/**
 * @module
 * Reading fields out of a document the way the store names them: by dotted path through nested
 * objects, where a key may itself contain dots (`labels` → `app.kubernetes.io/name` is the path
 * `labels.app.kubernetes.io/name`), and every leaf listed for the document table. Pure, tested
 * beside the file.
 */

/**
 * The value at `path` in `source`: the leaf, an array of leaves, or undefined when absent.
 * Keys containing dots are found by trying the longest key first at each level.
 *
 * @example
 * getField({ kubernetes: { labels: { 'app.kubernetes.io/name': 'web' } } }, 'kubernetes.labels.app.kubernetes.io/name'); // 'web'
 */
export function getField(source: unknown, path: string): unknown {
  if (path === '') return source;
  if (typeof source !== 'object' || source === null || Array.isArray(source)) return undefined;
  const obj = source as Record<string, unknown>;
  if (Object.hasOwn(obj, path)) return obj[path];
  for (let dot = path.lastIndexOf('.'); dot > 0; dot = path.lastIndexOf('.', dot - 1)) {
    const key = path.slice(0, dot);
    if (Object.hasOwn(obj, key)) {
      const found = getField(obj[key], path.slice(dot + 1));
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/**
 * Every leaf of a document as `[path, value]`, in document order; an array of scalars is one
 * entry, an array of objects contributes its objects' leaves.
 *
 * @example
 * flattenDoc({ a: { b: 1 }, c: [1, 2] }); // [['a.b', 1], ['c', [1, 2]]]
 */
export function flattenDoc(source: Record<string, unknown>): [string, unknown][] {
  const out: [string, unknown][] = [];
  const walk = (value: unknown, path: string) => {
    if (Array.isArray(value)) {
      if (value.some((v) => typeof v === 'object' && v !== null)) {
        for (const v of value) walk(v, path);
      } else out.push([path, value]);
    } else if (typeof value === 'object' && value !== null) {
      const entries = Object.entries(value);
      if (entries.length === 0) out.push([path, value]);
      for (const [k, v] of entries) walk(v, path === '' ? k : `${path}.${k}`);
    } else out.push([path, value]);
  };
  walk(source, '');
  return out;
}

/**
 * A field value as one line of text: strings as they are, arrays joined with `, `, objects as
 * JSON, absent as `''`.
 */
export function fieldText(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(fieldText).join(', ');
  return JSON.stringify(value);
}

/** A part of a highlighted value: `hit` marks the tokens the query matched. */
export interface HighlightPart {
  text: string;
  hit: boolean;
}

/**
 * Splits a server highlight (`<em>…</em>` around matched tokens) into parts, so the page renders
 * the marks as elements and the rest as text: nothing in a log line is ever parsed as HTML.
 *
 * @example
 * splitHighlight('connection <em>refused</em>'); // [{text:'connection ',hit:false},{text:'refused',hit:true}]
 */
export function splitHighlight(text: string): HighlightPart[] {
  const out: HighlightPart[] = [];
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf('<em>', i);
    if (open < 0) break;
    const close = text.indexOf('</em>', open + 4);
    if (close < 0) break;
    if (open > i) out.push({ text: text.slice(i, open), hit: false });
    out.push({ text: text.slice(open + 4, close), hit: true });
    i = close + 5;
  }
  if (i < text.length) out.push({ text: text.slice(i), hit: false });
  return out;
}

/**
 * A hit's RFC 3339 timestamp as the list shows it: UTC, `YYYY-MM-DD HH:MM:SS.mmm`, finer digits
 * kept when the line has them (they order lines within a millisecond).
 *
 * @example
 * displayTime('2024-05-06T07:08:09.5Z'); // '2024-05-06 07:08:09.500'
 */
export function displayTime(rfc3339: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/.exec(
    rfc3339,
  );
  if (m === null) return rfc3339;
  if (m[4] !== 'Z') {
    const ms = Date.parse(rfc3339);
    return Number.isNaN(ms) ? rfc3339 : displayTime(new Date(ms).toISOString());
  }
  const fraction = (m[3] ?? '').padEnd(3, '0');
  return `${m[1]} ${m[2]}.${fraction}`;
}
