/**
 * @module
 * A saved search: a named Discover view — KQL query, indices, time range, columns and order —
 * that everyone on the server can open again. Bodies from the API are checked here, field by
 * field, so a bad one is refused with the field at fault instead of being stored.
 */

/** What a client sends to create or replace a saved search. */
export interface SavedSearchInput {
  name: string;
  /** KQL; empty matches everything. */
  query: string;
  /** Comma-separated index names or patterns; empty searches every index. */
  indices: string;
  /** Time expressions as Discover takes them: `now-15m`, `now/d`, RFC 3339, epoch ms. */
  from: string;
  to: string;
  columns: string[];
  sort: 'desc' | 'asc';
}

/** A stored saved search: the input with its id, who saved it and when (ms since the epoch). */
export interface SavedSearch extends SavedSearchInput {
  id: string;
  /** Who saved it last (user or token name); null when auth is off. */
  owner: string | null;
  created: number;
  updated: number;
}

/** A body that is not a saved search; `field` names the first field at fault. */
export class SavedSearchValidationError extends Error {
  override name = 'SavedSearchValidationError';
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(`invalid saved search: ${field}: ${reason}`);
  }
}

/** Limits that keep one saved search a small document; a KQL query is rarely over 1 KiB. */
const MAX_NAME = 200;
const MAX_QUERY = 64 * 1024;
const MAX_TEXT = 1024;
const MAX_COLUMNS = 100;

function text(body: Record<string, unknown>, field: string, max: number, dflt?: string): string {
  const v = body[field] ?? dflt;
  if (typeof v !== 'string') throw new SavedSearchValidationError(field, 'must be a string');
  if (v.length > max) {
    throw new SavedSearchValidationError(field, `must be at most ${max} characters`);
  }
  return v;
}

/**
 * Checks a request body.
 *
 * @throws SavedSearchValidationError naming the field at fault
 * @example
 * parseSavedSearch({ name: 'Errors', query: 'level:error', from: 'now-1h', to: 'now' });
 */
export function parseSavedSearch(body: unknown): SavedSearchInput {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new SavedSearchValidationError('(body)', 'must be a JSON object');
  }
  const b = body as Record<string, unknown>;
  const name = text(b, 'name', MAX_NAME).trim();
  if (name === '') throw new SavedSearchValidationError('name', 'must not be empty');
  const columns = b.columns ?? [];
  if (!Array.isArray(columns) || columns.some((c) => typeof c !== 'string' || c === '')) {
    throw new SavedSearchValidationError('columns', 'must be a list of field paths');
  }
  if (columns.length > MAX_COLUMNS) {
    throw new SavedSearchValidationError('columns', `must list at most ${MAX_COLUMNS} fields`);
  }
  const sort = b.sort ?? 'desc';
  if (sort !== 'desc' && sort !== 'asc') {
    throw new SavedSearchValidationError('sort', 'must be "desc" or "asc"');
  }
  const from = text(b, 'from', MAX_TEXT, 'now-15m').trim();
  const to = text(b, 'to', MAX_TEXT, 'now').trim();
  return {
    name,
    query: text(b, 'query', MAX_QUERY, ''),
    indices: text(b, 'indices', MAX_TEXT, '').trim(),
    from: from === '' ? 'now-15m' : from,
    to: to === '' ? 'now' : to,
    columns: columns as string[],
    sort,
  };
}
