/**
 * @module
 * Page state kept in the URL's query string, so a view can be bookmarked, shared and restored by
 * back/forward. {@link useSearch} re-renders on back/forward and on {@link setSearch}; pages parse
 * and format their own parameters.
 */
import { useSyncExternalStore } from 'react';
import { navigate, NAVIGATE_EVENT } from './location';

const listeners = new Set<() => void>();

function subscribe(onChange: () => void): () => void {
  listeners.add(onChange);
  window.addEventListener('popstate', onChange);
  window.addEventListener(NAVIGATE_EVENT, onChange);
  return () => {
    listeners.delete(onChange);
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(NAVIGATE_EVENT, onChange);
  };
}

function currentSearch(): string {
  return window.location.search;
}

/**
 * The current query string, with its leading `?` (or `''`).
 *
 * @example
 * const panels = parseExploreSearch(useSearch());
 */
export function useSearch(): string {
  return useSyncExternalStore(subscribe, currentSearch);
}

/**
 * Replaces the query string of the current path.
 *
 * @param search the new query string, with or without its leading `?`
 * @param options `push` adds a history entry (for a change the back button should undo, such as
 *   running a query); the default replaces the entry (typing, toggles)
 * @example
 * setSearch('?view=sd', { push: true });
 */
export function setSearch(search: string, options: { push?: boolean } = {}): void {
  const normalized =
    search === '' || search === '?' ? '' : search.startsWith('?') ? search : `?${search}`;
  if (normalized === window.location.search) return;
  navigate(window.location.pathname + normalized + window.location.hash, {
    replace: !options.push,
  });
  for (const onChange of listeners) onChange();
}

/**
 * Sets or removes single parameters, keeping the others.
 *
 * @param changes name → value; undefined or '' removes the parameter
 * @example
 * setSearchParams({ health: 'down', q: undefined });
 */
export function setSearchParams(
  changes: Record<string, string | undefined>,
  options: { push?: boolean } = {},
): void {
  const params = new URLSearchParams(window.location.search);
  for (const [name, value] of Object.entries(changes)) {
    if (value === undefined || value === '') params.delete(name);
    else params.set(name, value);
  }
  setSearch(params.toString(), options);
}
