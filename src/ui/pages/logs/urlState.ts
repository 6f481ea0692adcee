/**
 * @module
 * The Logs page's state as it lives in the URL, so that a link reproduces what its sender saw:
 * the query, the time range, the columns, the expanded document and the surrounding-lines view.
 * Pure: encoding and decoding take and give strings, tested under node:test beside the file.
 *
 * Parameters: `q` (KQL), `index` (comma-separated names or patterns), `from`, `to` (time
 * expressions), `col` (repeated, one per column, in order), `sort` (`asc`; newest first when
 * absent), `refresh` (auto-refresh interval such as `10s`), `doc` (the expanded document) and
 * `context` (the document whose surrounding lines are shown), both as `<index>/<sort token>`.
 * Defaults are left out of the URL so the plain `/logs` link stays short.
 */

/** A document named by its index and the page token (`sort`) of its hit, unique in the store. */
export interface DocRef {
  index: string;
  sort: string;
}

export interface LogsUrlState {
  q: string;
  index: string;
  from: string;
  to: string;
  columns: readonly string[];
  sort: 'desc' | 'asc';
  refresh: string;
  doc: DocRef | undefined;
  context: DocRef | undefined;
}

export const DEFAULT_STATE: LogsUrlState = {
  q: '',
  index: '',
  from: 'now-15m',
  to: 'now',
  columns: [],
  sort: 'desc',
  refresh: '',
  doc: undefined,
  context: undefined,
};

/**
 * `<index>/<sort>`: index names cannot contain `/` and page tokens are base64url, so the first
 * slash splits them. Undefined for anything else.
 */
export function parseDocRef(text: string | null): DocRef | undefined {
  if (text === null) return undefined;
  const slash = text.indexOf('/');
  if (slash <= 0 || slash === text.length - 1) return undefined;
  return { index: text.slice(0, slash), sort: text.slice(slash + 1) };
}

export function formatDocRef(ref: DocRef): string {
  return `${ref.index}/${ref.sort}`;
}

/**
 * Reads the state from a query string (`location.search`, with or without `?`). Missing or
 * unreadable parameters take their defaults.
 *
 * @example
 * decodeState('?q=level%3Aerror&from=now-1h&col=host&col=message').columns; // ['host', 'message']
 */
export function decodeState(search: string): LogsUrlState {
  const p = new URLSearchParams(search);
  const text = (name: string, dflt: string) => p.get(name) ?? dflt;
  return {
    q: text('q', DEFAULT_STATE.q),
    index: text('index', DEFAULT_STATE.index),
    from: text('from', DEFAULT_STATE.from) || DEFAULT_STATE.from,
    to: text('to', DEFAULT_STATE.to) || DEFAULT_STATE.to,
    columns: p.getAll('col').filter((c) => c !== ''),
    sort: p.get('sort') === 'asc' ? 'asc' : 'desc',
    refresh: text('refresh', DEFAULT_STATE.refresh),
    doc: parseDocRef(p.get('doc')),
    context: parseDocRef(p.get('context')),
  };
}

/**
 * The query string of a state, `?` included, or `''` when every value is the default.
 * `decodeState(encodeState(s))` gives back `s`.
 *
 * @example
 * encodeState({ ...DEFAULT_STATE, q: 'level:error' }); // '?q=level%3Aerror'
 */
export function encodeState(state: LogsUrlState): string {
  const p = new URLSearchParams();
  if (state.q !== DEFAULT_STATE.q) p.set('q', state.q);
  if (state.index !== DEFAULT_STATE.index) p.set('index', state.index);
  if (state.from !== DEFAULT_STATE.from) p.set('from', state.from);
  if (state.to !== DEFAULT_STATE.to) p.set('to', state.to);
  for (const c of state.columns) p.append('col', c);
  if (state.sort !== DEFAULT_STATE.sort) p.set('sort', state.sort);
  if (state.refresh !== DEFAULT_STATE.refresh) p.set('refresh', state.refresh);
  if (state.doc !== undefined) p.set('doc', formatDocRef(state.doc));
  if (state.context !== undefined) p.set('context', formatDocRef(state.context));
  const text = p.toString();
  return text === '' ? '' : `?${text}`;
}

/** Whether two refs name the same document. */
export function sameDoc(a: DocRef | undefined, b: DocRef | undefined): boolean {
  return a !== undefined && b !== undefined && a.index === b.index && a.sort === b.sort;
}
