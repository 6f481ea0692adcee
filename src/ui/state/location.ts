/**
 * @module
 * The router's state: the current path, kept in the browser's History API so that back/forward,
 * reloads and deep links all work. React reads it through {@link usePath}; everything that changes
 * the URL goes through {@link navigate}, because `pushState` fires no event of its own.
 */
import { useSyncExternalStore } from 'react';

const listeners = new Set<() => void>();

/** Fired on `window` after every {@link navigate}, for state read from the URL's other parts. */
export const NAVIGATE_EVENT = 'vigil:navigate';

function subscribe(onChange: () => void): () => void {
  listeners.add(onChange);
  window.addEventListener('popstate', onChange);
  return () => {
    listeners.delete(onChange);
    window.removeEventListener('popstate', onChange);
  };
}

function currentPath(): string {
  return window.location.pathname;
}

/**
 * The current URL path (without query or hash); re-renders the caller when it changes.
 *
 * @example
 * const path = usePath(); // "/status"
 */
export function usePath(): string {
  return useSyncExternalStore(subscribe, currentPath);
}

/**
 * Moves to `path` without reloading the page.
 *
 * @param path absolute path within the app, e.g. `/status`
 * @param options `replace` rewrites the current history entry instead of adding one, for
 *   redirects that the back button should skip
 * @example
 * navigate('/status', { replace: true });
 */
export function navigate(path: string, options: { replace?: boolean } = {}): void {
  if (options.replace) window.history.replaceState(null, '', path);
  else window.history.pushState(null, '', path);
  for (const onChange of listeners) onChange();
  // The query string may have changed too: tell url-state's subscribers (useSearch).
  window.dispatchEvent(new Event(NAVIGATE_EVENT));
}
