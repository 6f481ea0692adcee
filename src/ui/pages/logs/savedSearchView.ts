/**
 * @module
 * A saved search as the server stores it (`/api/v1/saved-searches`) and its mapping to and from
 * the page's URL state. Pure, tested beside this file.
 */
import { DEFAULT_STATE, type LogsUrlState } from './urlState';

/** What the server stores; times are RFC 3339. */
export interface SavedSearch {
  id: string;
  name: string;
  query: string;
  indices: string;
  from: string;
  to: string;
  columns: string[];
  sort: 'desc' | 'asc';
  owner: string | null;
  created: string;
  updated: string;
}

export type SavedSearchBody = Pick<
  SavedSearch,
  'name' | 'query' | 'indices' | 'from' | 'to' | 'columns' | 'sort'
>;

/**
 * The body that saves the view `state` under `name`.
 *
 * @example
 * toSavedSearch('Errors', decodeState('?q=level:error')).query; // 'level:error'
 */
export function toSavedSearch(name: string, state: LogsUrlState): SavedSearchBody {
  return {
    name: name.trim(),
    query: state.q,
    indices: state.index,
    from: state.from,
    to: state.to,
    columns: [...state.columns],
    sort: state.sort,
  };
}

/**
 * The URL state change that opens `saved`: its view, with no document or context open.
 *
 * @example
 * update(fromSavedSearch(saved));
 */
export function fromSavedSearch(saved: SavedSearchBody): Partial<LogsUrlState> {
  return {
    q: saved.query,
    index: saved.indices,
    from: saved.from || DEFAULT_STATE.from,
    to: saved.to || DEFAULT_STATE.to,
    columns: [...saved.columns],
    sort: saved.sort,
    doc: undefined,
    context: undefined,
  };
}

/** Whether the page shows exactly the view `saved` stores. */
export function showsSaved(state: LogsUrlState, saved: SavedSearchBody): boolean {
  const a = toSavedSearch(saved.name, state);
  return (
    a.query === saved.query &&
    a.indices === saved.indices &&
    a.from === saved.from &&
    a.to === saved.to &&
    a.sort === saved.sort &&
    a.columns.join('\n') === saved.columns.join('\n')
  );
}
